package dev.robustsynth.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.engine.Engine;
import dev.robustsynth.engine.EngineConfig;
import dev.robustsynth.engine.TaskControl;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.SeedSampler;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisOutcome;
import dev.robustsynth.spi.SynthesisSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Issue 14's bulk-job benchmark, run by hand; every ratio it prints comes from this one run.
 *
 * <ol>
 *   <li>In-process baseline: N Fashion generations (fashion-robust-l2, one image per item, classes round-robin,
 *       {@code steps} steps, no early stop) as ONE engine {@code synthesize} call, batch 32 like the service.</li>
 *   <li>The packaged service (embedded broker), the same N generations as one job.v1 record on {@code rsynth.jobs}
 *       ({@code stopAt 1}, no seeds returned), timed from the send to the job's SUCCEEDED on
 *       {@code rsynth.jobs.status}, with nothing else sent meanwhile: the same work as the baseline, so their ratio is
 *       (a). In {@code all} mode the baseline runs again after the service has stopped, and (a) is also given
 *       against the mean of the two, so that a box whose speed drifts during the run shows it.</li>
 *   <li>One-image interactive {@code generate} tasks of the same steps: {@code interactive} back to back between the
 *       jobs (idle, on a service warmed by the first job), and one every {@code probe-every} ms (start to start,
 *       never overlapping) during a second job of {@code probed-items} items: median, p95, max of submit → result
 *       on {@code rsynth.results} (read_committed), the share of that job's time that an interactive task was live
 *       (while one is, bulk gets only the engine's bulk share of each tick), and that job's own rate under the
 *       interactive load.</li>
 *   <li>The service's VmRSS from {@code /proc/<pid>/status} every second during the first job: peak and the
 *       medians of the first and last quarter.</li>
 *   <li>Where the service's CPU went over each job, by thread name, and the engine's ticks from /q/metrics (rows a
 *       tick, time a tick), to tell a slower engine from a starved one.</li>
 * </ol>
 *
 * <p>Arguments: {@code [N=10000] [steps=60] [idle interactive tasks=20] [probe-every ms=2000] [inprocess|job|all]
 * [probed-items=N/5] [warm-items=0]} (probe-every or probed-items 0: no second job; {@code job}: the service part
 * only, no ratio, for comparing service settings quickly; warm-items: a job of that many items first, so that the
 * job alone runs on a service whose JIT has settled, as a long-running one has);
 * 60 steps is what a {@code generate} task without {@code steps} runs on this model. System properties as in the
 * acceptance tests' surefire configuration ({@code rsynth.service-app}, {@code rsynth.model-dir}), and
 * {@code bench.service-options}: more JVM options for the service, space separated (e.g.
 * {@code -Drsynth.jobs.bulk-concurrency=48}); see platform/acceptance/README.md for the command.
 */
public final class BulkJobBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "fashion-robust-l2";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int interactive = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        long probeEveryMillis = args.length > 3 ? Long.parseLong(args[3]) : 2000;
        String mode = args.length > 4 ? args[4] : "all";
        int probedItems = args.length > 5 ? Integer.parseInt(args[5]) : Math.max(1, n / 5);
        int warmItems = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        if (!List.of("inprocess", "job", "all").contains(mode)) {
            throw new IllegalArgumentException("mode must be inprocess, job or all, got " + mode);
        }
        boolean all = !mode.equals("inprocess");
        Path modelDir = Path.of(System.getProperty("rsynth.model-dir", "models/fashion-robust-l2")).toAbsolutePath();
        Path app = Path.of(System.getProperty("rsynth.service-app",
                "platform/service/target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        List<String> serviceOptions = new ArrayList<>(List.of("-Drsynth.worker-threads=2", "-Drsynth.ort-threads=0",
                "-Drsynth.max-attempts=3"));
        serviceOptions.addAll(List.of(System.getProperty("bench.service-options", "").split("\\s+")).stream()
                .filter(o -> !o.isBlank()).toList());
        System.out.printf(Locale.ROOT, "bulk job bench: %d generations of %d steps on %s; %d idle interactive tasks,"
                + " one every %d ms during a second job of %d items; service options %s%n", n, steps, modelDir,
                interactive, probeEveryMillis, probedItems, serviceOptions);
        double inProcess = mode.equals("job") ? Double.NaN : inProcess(modelDir, n, steps);
        System.out.printf(Locale.ROOT, "(a) in-process: one engine call of %d items: %.1f img/s%n", n, inProcess);
        if (!all) {
            return;
        }
        double aloneRate = runService(app, modelDir, serviceOptions, n, steps, interactive, probeEveryMillis,
                probedItems, warmItems, inProcess);
        if (mode.equals("all")) {
            double after = inProcess(modelDir, n, steps);
            double mean = (inProcess + after) / 2;
            System.out.println("---");
            System.out.printf(Locale.ROOT, "(a) in-process again, after the service stopped: %.1f img/s (before:"
                    + " %.1f, drift %+.0f%%); job alone against their mean %.1f img/s: ratio %.3f (target >= 0.9);"
                    + " against the faster %.3f, the slower %.3f%n", after, inProcess,
                    100 * (after / inProcess - 1), mean, aloneRate / mean, aloneRate / Math.max(inProcess, after),
                    aloneRate / Math.min(inProcess, after));
        }
    }

    /**
     * The packaged service's part: a warm-up job (when {@code warmItems > 0}), the job alone, then idle and probed
     * interactive latency; returns the rate of the job alone.
     */
    static double runService(Path app, Path modelDir, List<String> serviceOptions, int n, int steps, int interactive,
                             long probeEveryMillis, int probedItems, int warmItems, double inProcess)
            throws Exception {
        double aloneRate;
        Path work = Files.createTempDirectory("rsynth-bulk-bench");
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        long started = System.nanoTime();
        try (PackagedService service = PackagedService.start(app, work, modelDir, plugins, serviceOptions)) {
            System.out.printf(Locale.ROOT, "service up in %.1f s (pid %d, %s)%n", (System.nanoTime() - started) / 1e9,
                    service.pid(), service.bootstrap());
            try (Client client = new Client(service.bootstrap())) {
                client.interactive("warm-" + UUID.randomUUID(), 0, steps);
                if (warmItems > 0) {
                    JobRun warm = runJob(client, service, warmItems, steps, 0);
                    System.out.println("---");
                    System.out.printf(Locale.ROOT, "(a) warm-up job on the fresh service: %d items in %.1f s: %.1f"
                            + " img/s; ratio %.3f%n", warmItems, warm.seconds(), warm.rate(), warm.rate() / inProcess);
                    warm.printCpuAndEngine();
                }
                JobRun alone = runJob(client, service, n, steps, 0);
                System.out.println("---");
                System.out.printf(Locale.ROOT, "(a) job alone: %d items in %.1f s: %.1f img/s; in-process %.1f img/s;"
                        + " ratio %.3f (target >= 0.9)%n", n, alone.seconds(), alone.rate(), inProcess,
                        alone.rate() / inProcess);
                System.out.printf(Locale.ROOT, "(c) service VmRSS over the job (%d samples, 1 s): peak %.0f MiB,"
                                + " first-quarter median %.0f MiB, last-quarter median %.0f MiB%n",
                        alone.sampler().samples.size(), alone.sampler().peak() / 1024.0,
                        alone.sampler().quarterMedian(false) / 1024.0, alone.sampler().quarterMedian(true) / 1024.0);
                alone.printCpuAndEngine();
                aloneRate = alone.rate();
                if (probedItems > 0 && probeEveryMillis > 0) {
                    List<Probe> idleProbes = new ArrayList<>();
                    for (int i = 0; i < interactive; i++) {
                        idleProbes.add(client.interactive("idle-" + i + "-" + UUID.randomUUID(), i % 10, steps));
                    }
                    JobRun probed = runJob(client, service, probedItems, steps, probeEveryMillis);
                    List<Long> idle = idleProbes.stream().map(Probe::nanos).toList();
                    List<Long> busy = probed.interactive().stream().map(Probe::nanos).toList();
                    System.out.println("---");
                    System.out.printf(Locale.ROOT, "(b) interactive one-image generate, %d steps: idle %s; during a"
                                    + " %d-item job %s; median ratio %.2f, p95 ratio %.2f (target <= 2)%n", steps,
                            summary(idle), probedItems, summary(busy), pct(busy, 50) / pct(idle, 50),
                            pct(busy, 95) / pct(idle, 95));
                    System.out.printf(Locale.ROOT, "    interactive work live %.0f%% of that job's time (%d tasks, one"
                            + " every %d ms); the job meanwhile: %.1f img/s, ratio %.3f%n",
                            100 * busy.stream().mapToLong(Long::longValue).sum() / 1e9 / probed.seconds(),
                            busy.size(), probeEveryMillis, probed.rate(), probed.rate() / inProcess);
                    System.out.printf(Locale.ROOT, "    idle phases, %s%n    during the job, %s%n",
                            Probe.phases(idleProbes), Probe.phases(probed.interactive()));
                    probed.printCpuAndEngine();
                    if (busy.size() < 5) {
                        System.out.printf(Locale.ROOT, "WARNING: only %d interactive tasks ran while the job ran%n",
                                busy.size());
                    }
                }
            }
        }
        return aloneRate;
    }

    /**
     * Submits a job of {@code n} items and waits for its end, sampling the service meanwhile; with
     * {@code probeEveryMillis > 0} it also runs one interactive task every that many ms (start to start) and keeps
     * the latencies of those that ran while the job was RUNNING.
     */
    static JobRun runJob(Client client, PackagedService service, int n, int steps, long probeEveryMillis)
            throws Exception {
        String jobId = "bench-" + UUID.randomUUID();
        ProcessSampler sampler = new ProcessSampler(service.pid());
        EngineMeters metersStart = EngineMeters.read(service.http());
        long benchCpuStart = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
        sampler.start();
        long jobStart = System.nanoTime();
        client.submitJob(jobId, n, steps);
        List<Probe> busy = new ArrayList<>();
        JsonNode status = null;
        long nextProbe = System.nanoTime();
        int k = 0;
        while (status == null) {
            if (probeEveryMillis > 0 && System.nanoTime() >= nextProbe) {
                nextProbe = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(probeEveryMillis);
                Probe probe = client.interactive("busy-" + k + "-" + UUID.randomUUID(), k % 10, steps);
                if (client.jobState(jobId).map(s -> s.path("state").asText()).orElse("").equals("RUNNING")) {
                    busy.add(probe);
                }
                k++;
            } else {
                Thread.sleep(20);
            }
            status = client.jobState(jobId).filter(s -> terminal(s.path("state").asText())).orElse(null);
        }
        double seconds = (System.nanoTime() - jobStart) / 1e9;
        sampler.stop();
        EngineMeters meters = EngineMeters.read(service.http()).minus(metersStart);
        double benchCpu = (ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() - benchCpuStart)
                / 1e9 / seconds;
        if (!status.path("state").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("the job ended " + status);
        }
        System.out.printf(Locale.ROOT, "job status: %s%n", status);
        return new JobRun(n, seconds, busy, sampler, meters, benchCpu);
    }

    /**
     * One interactive task: submit to result, and its phases from the result's provenance (the service runs on this
     * machine, so one clock): to the service (the send and the tasks consumer), queued (intake and a worker), run
     * (the plugin and the engine), from its end to the result record's send (its timestamp: the outcome waiting for
     * its transaction) and from there to the result read here (the commit and the read_committed fetch).
     */
    record Probe(long nanos, long toService, long queued, long run, long toSend, long toClient) {
        static String phases(List<Probe> probes) {
            List<Probe> slowest = probes.stream().sorted(Comparator.comparingLong(Probe::nanos).reversed()).limit(3)
                    .toList();
            return String.format(Locale.ROOT, "medians: to the service %.0f ms, queued %.0f, run %.0f, to the send"
                    + " %.0f, to the client %.0f; slowest: %s", median(probes, Probe::toService),
                    median(probes, Probe::queued), median(probes, Probe::run), median(probes, Probe::toSend),
                    median(probes, Probe::toClient), slowest.stream().map(p -> String.format(Locale.ROOT,
                            "%.0f = %.0f + %.0f + %.0f + %.0f + %.0f ms", p.nanos / 1e6, p.toService / 1e6,
                            p.queued / 1e6, p.run / 1e6, p.toSend / 1e6, p.toClient / 1e6)).toList());
        }

        private static double median(List<Probe> probes, ToLongFunction<Probe> phase) {
            return pct(probes.stream().map(phase::applyAsLong).toList(), 50) / 1e6;
        }
    }

    /** One job's run: its wall time, the interactive latencies taken during it, and the service's samples. */
    record JobRun(int items, double seconds, List<Probe> interactive, ProcessSampler sampler, EngineMeters meters,
                  double benchCpuShare) {
        double rate() {
            return items / seconds;
        }

        void printCpuAndEngine() {
            System.out.printf(Locale.ROOT, "(d) service CPU over the job by thread name (\"java\" is ONNX"
                    + " Runtime's own pool): %s%n", sampler.cpuByThreadName(14));
            System.out.printf(Locale.ROOT, "    this bench's own process (client producer and tails): %.0f%% of"
                    + " one core%n", 100 * benchCpuShare);
            System.out.printf(Locale.ROOT, "(e) engine over the job (/q/metrics): %.0f ticks, %.1f rows a tick,"
                    + " %.1f ms a tick, scheduler busy %.0f%% of the time, %.0f image-steps/s%n", meters.ticks(),
                    meters.imageSteps() / meters.ticks(), 1000 * meters.tickSeconds() / meters.ticks(),
                    100 * meters.tickSeconds() / seconds, meters.imageSteps() / seconds);
        }
    }

    static boolean terminal(String state) {
        return state.equals("SUCCEEDED") || state.equals("COMPLETED") || state.equals("CANCELLED")
                || state.equals("FAILED");
    }

    /** The same generations as the job, as one engine call with the service's batch limit. */
    static double inProcess(Path modelDir, int n, int steps) throws Exception {
        EngineConfig config = EngineConfig.builder().modelsDir(Path.of("/nonexistent")).extraDirs(List.of(modelDir))
                .maxBatch(32).maxItems(n).build();
        try (Engine engine = Engine.start(config)) {
            ModelFacade model = engine.facade(MODEL, TaskControl.none());
            ModelInfo info = model.info();
            SeedSampler seeds = model.seeds().orElseThrow();
            SplittableRandom random = new SplittableRandom(7);
            List<SynthesisItem> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i % info.numClasses();
                items.add(SynthesisItem.of(seeds.sampleSingleGaussian(k, random),
                        Objective.towardClass(k, info.numClasses())));
            }
            SynthesisSpec spec = new SynthesisSpec(items, new StepRule(Norm.L2, info.defaults().eps(),
                    info.defaults().stepSize(), steps, false), 0, "generate");
            ProcessSampler sampler = new ProcessSampler(ProcessHandle.current().pid());
            sampler.start();
            long start = System.nanoTime();
            SynthesisOutcome out = model.synthesize(spec);
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.stop();
            if (out.items().size() != n) {
                throw new IllegalStateException("engine returned " + out.items().size() + " items");
            }
            System.out.printf(Locale.ROOT, "in-process: %d items, %d ticks, %.1f s, %.1f rows a tick; CPU by thread"
                    + " name: %s%n", n, out.tickCount(), seconds, (double) n * steps / out.tickCount(),
                    sampler.cpuByThreadName(4));
            return n / seconds;
        }
    }

    static String summary(List<Long> nanos) {
        return String.format(Locale.ROOT, "n %d, median %.0f ms, p95 %.0f ms, max %.0f ms", nanos.size(),
                pct(nanos, 50) / 1e6, pct(nanos, 95) / 1e6, pct(nanos, 100) / 1e6);
    }

    /** Nearest-rank percentile. */
    static double pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = Math.max(1, (int) Math.ceil(p / 100.0 * sorted.size()));
        return sorted.get(rank - 1);
    }

    /**
     * VmRSS of a process, in KiB, and the CPU time of each of its threads (from {@code /proc/<pid>/task}), every
     * second. A thread's CPU counts from its first sample to its last, so a thread born and gone between two samples
     * is missed.
     */
    static final class ProcessSampler {
        final long pid;
        final List<Long> samples = new CopyOnWriteArrayList<>();
        final Map<Long, ThreadCpu> threads = new ConcurrentHashMap<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        Thread thread;
        long startNanos;
        long endNanos;

        record ThreadCpu(String name, long firstTicks, long lastTicks) {
        }

        ProcessSampler(long pid) {
            this.pid = pid;
        }

        void start() {
            startNanos = System.nanoTime();
            thread = Thread.ofPlatform().daemon(true).start(() -> {
                while (running.get()) {
                    try {
                        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                            if (line.startsWith("VmRSS:")) {
                                samples.add(Long.parseLong(line.replaceAll("[^0-9]", "")));
                            }
                        }
                        sampleThreads();
                        Thread.sleep(1000);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private void sampleThreads() throws IOException {
            try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (IOException gone) {
                        continue;
                    }
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] fields = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                    String name = stat.substring(open + 1, close);
                    threads.merge(Long.parseLong(task.getFileName().toString()), new ThreadCpu(name, ticks, ticks),
                            (was, now) -> new ThreadCpu(was.name(), was.firstTicks(), now.lastTicks()));
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
            endNanos = System.nanoTime();
        }

        long peak() {
            return samples.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        double quarterMedian(boolean last) {
            int q = Math.max(1, samples.size() / 4);
            List<Long> part = last ? samples.subList(samples.size() - q, samples.size()) : samples.subList(0, q);
            return pct(part, 50);
        }

        /**
         * CPU per thread name (numbers at the end dropped, so pools add up), in percent of one core over the
         * sampled time, largest first. Clock ticks are taken as 1/100 s (USER_HZ on Linux).
         */
        String cpuByThreadName(int top) {
            double seconds = (endNanos - startNanos) / 1e9;
            Map<String, Long> byName = new HashMap<>();
            threads.values().forEach(t -> byName.merge(t.name().replaceAll("[-#]?[0-9]+$", ""),
                    t.lastTicks() - t.firstTicks(), Long::sum));
            long total = byName.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%.0f%% of one core in all",
                    total / seconds));
            byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                    .forEach(e -> out.append(String.format(Locale.ROOT, "; %s %.1f%%", e.getKey(),
                            e.getValue() / seconds)));
            return out.toString();
        }
    }

    /** The engine's counters of the bench's model, from the service's Prometheus page. */
    record EngineMeters(double ticks, double imageSteps, double tickSeconds) {
        static EngineMeters read(URI service) throws IOException, InterruptedException {
            try (HttpClient http = HttpClient.newHttpClient()) {
                String page = http.send(HttpRequest.newBuilder(service.resolve("/q/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return new EngineMeters(meter(page, "rsynth_engine_ticks_total"),
                        meter(page, "rsynth_engine_image_steps_total", "lane=\"all\""),
                        meter(page, "rsynth_engine_tick_time_seconds_total"));
            }
        }

        private static double meter(String page, String name, String... tags) {
            return page.lines().filter(l -> l.startsWith(name + "{") && l.contains("model=\"" + MODEL + "\""))
                    .filter(l -> List.of(tags).stream().allMatch(l::contains))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + name + " for " + MODEL + " on /q/metrics"));
        }

        EngineMeters minus(EngineMeters before) {
            return new EngineMeters(ticks - before.ticks, imageSteps - before.imageSteps,
                    tickSeconds - before.tickSeconds);
        }
    }

    /** A producer and two read_committed tails: results (interactive outcomes) and job status. */
    static final class Client implements AutoCloseable {
        final KafkaProducer<String, String> producer;
        final KafkaConsumer<String, String> results;
        final KafkaConsumer<String, String> statuses;
        final Map<String, ConsumerRecord<String, String>> outcomes = new ConcurrentHashMap<>();
        final Map<String, JsonNode> jobStates = new ConcurrentHashMap<>();

        Client(String bootstrap) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20);
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
            results = tail(bootstrap, "rsynth.results");
            statuses = tail(bootstrap, "rsynth.jobs.status");
        }

        static KafkaConsumer<String, String> tail(String bootstrap, String topic) {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "bulk-bench-" + UUID.randomUUID());
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                    new StringDeserializer());
            consumer.subscribe(List.of(topic));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.assignment().isEmpty() && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(100));
            }
            return consumer;
        }

        /** Sends one one-image generate task and returns its latency to its result, with the result's phases. */
        Probe interactive(String id, int classIndex, int steps) throws Exception {
            ObjectNode task = JSON.createObjectNode().put("id", id).put("type", "generate").put("model", MODEL)
                    .put("seed", 11);
            task.putObject("params").put("class", classIndex).put("count", 1).put("steps", steps)
                    .put("returnSeeds", false);
            long start = System.nanoTime();
            Instant sent = Instant.now();
            producer.send(new ProducerRecord<>("rsynth.tasks", id, JSON.writeValueAsString(task))).get();
            long until = start + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < until) {
                ConsumerRecord<String, String> record = outcomes.remove(id);
                if (record != null) {
                    JsonNode outcome = read(record.value());
                    long took = System.nanoTime() - start;
                    if (!outcome.path("status").asText().equals("SUCCEEDED")) {
                        throw new IllegalStateException("interactive task failed: " + outcome);
                    }
                    JsonNode provenance = outcome.path("provenance");
                    Instant received = Instant.parse(provenance.path("receivedAt").asText());
                    Instant started = Instant.parse(provenance.path("startedAt").asText());
                    Instant finished = Instant.parse(provenance.path("finishedAt").asText());
                    long toClient = took - Duration.between(sent, finished).toNanos();
                    long toSend = Duration.between(finished, Instant.ofEpochMilli(record.timestamp())).toNanos();
                    return new Probe(took, Duration.between(sent, received).toNanos(),
                            Duration.between(received, started).toNanos(), Duration.between(started, finished)
                            .toNanos(), toSend, toClient - toSend);
                }
                drain();
            }
            throw new IllegalStateException("no result for " + id + " within 120 s");
        }

        void drain() {
            for (ConsumerRecord<String, String> r : results.poll(Duration.ofMillis(5))) {
                if (r.key() != null && !r.key().contains("/")) {
                    outcomes.put(r.key(), r);
                }
            }
            for (ConsumerRecord<String, String> r : statuses.poll(Duration.ofMillis(1))) {
                if (r.key() != null && r.value() != null) {
                    jobStates.put(r.key(), read(r.value()));
                }
            }
        }

        java.util.Optional<JsonNode> jobState(String id) {
            drain();
            return java.util.Optional.ofNullable(jobStates.get(id));
        }

        /** One job.v1 record: n generate items, classes round-robin, each one image of {@code steps} steps. */
        void submitJob(String id, int n, int steps) throws Exception {
            ObjectNode job = JSON.createObjectNode().put("id", id).put("type", "generate").put("model", MODEL)
                    .put("seed", 7);
            job.putObject("params").put("count", 1).put("steps", steps).put("stopAt", 1).put("returnSeeds", false);
            ArrayNode list = job.putObject("items").putArray("list");
            for (int i = 0; i < n; i++) {
                list.addObject().put("class", i % 10);
            }
            producer.send(new ProducerRecord<>("rsynth.jobs", id, JSON.writeValueAsString(job))).get();
        }

        static JsonNode read(String json) {
            try {
                return JSON.readTree(json);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable record: " + json, e);
            }
        }

        @Override
        public void close() {
            producer.close();
            results.close();
            statuses.close();
        }
    }
}
