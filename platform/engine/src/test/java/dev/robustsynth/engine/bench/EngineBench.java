package dev.robustsynth.engine.bench;

import dev.robustsynth.engine.Engine;
import dev.robustsynth.engine.EngineConfig;
import dev.robustsynth.engine.TaskControl;
import dev.robustsynth.engine.schedule.SchedulerStats;
import dev.robustsynth.engine.testing.ModelDirs;
import dev.robustsynth.engine.testing.Specs;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.SynthesisOutcome;
import dev.robustsynth.spi.SynthesisSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Engine benchmark, one run, three numbers (see README):
 * (a) image-steps/s of 32 concurrent one-image syntheses over that of one 32-image synthesis (target ≥ 0.8);
 * (b) the engine's own share of tick time at batch 32 (everything but the ORT run; target ≤ 5 %);
 * (c) peak resident memory (VmHWM).
 *
 * <p>Arguments: {@code [model directory or auto] [steps] [rounds] [intra-op threads]}. With {@code auto} it takes
 * models/cifar10-robust-l2, else models/fashion-robust-l2, else autodiff's cifar_resnet test fixture, and says which.
 */
public final class EngineBench {
    private static final int BATCH = 32;

    public static void main(String[] args) throws Exception {
        Path modelDir = args.length > 0 && !args[0].equals("auto") ? Path.of(args[0]) : pickModel();
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Path extra = modelDir;
        if (modelDir.toString().equals("fixture:cifar_resnet")) {
            Path tmp = Files.createTempDirectory("rsynth-bench");
            extra = ModelDirs.write(tmp, "cifar-resnet-fixture", ModelDirs.fixture("cifar_resnet.onnx"), 3, 32, 32,
                    10, "feat", 16);
        }
        EngineConfig config = EngineConfig.builder().modelsDir(Path.of("/nonexistent")).extraDirs(List.of(extra))
                .maxBatch(BATCH).intraOpThreads(threads).provider("auto").build();
        try (Engine engine = Engine.start(config)) {
            if (engine.modelNames().isEmpty()) {
                throw new IllegalStateException("no model loaded from " + extra + ": " + engine.health().failedModels());
            }
            String name = engine.modelNames().iterator().next();
            ModelInfo info = engine.modelInfo(name).orElseThrow();
            System.out.printf(Locale.ROOT, "model %s (%s, %d classes) from %s, provider %s, %d steps, %d rounds%n",
                    name, info.inputShape(), info.numClasses(), extra, engine.health().providerNote(), steps, rounds);
            ModelFacade facade = engine.facade(name, TaskControl.none());
            one32(facade, info, 5);
            many1(facade, info, 5);
            Mode one = new Mode();
            Mode many = new Mode();
            List<Double> ratios = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                // Alternate the order so that drifting machine load favours neither mode.
                boolean oneFirst = r % 2 == 0;
                double a = oneFirst ? one.run(engine, name, () -> one32(facade, info, steps), steps)
                        : many.run(engine, name, () -> many1(facade, info, steps), steps);
                double b = oneFirst ? many.run(engine, name, () -> many1(facade, info, steps), steps)
                        : one.run(engine, name, () -> one32(facade, info, steps), steps);
                double rateOne = oneFirst ? a : b;
                double rateMany = oneFirst ? b : a;
                ratios.add(rateMany / rateOne);
                System.out.printf(Locale.ROOT, "round %d: one 32-image synthesis %.1f image-steps/s, 32 one-image"
                        + " syntheses %.1f image-steps/s, ratio %.3f%n", r, rateOne, rateMany, rateMany / rateOne);
            }
            List<Double> sorted = ratios.stream().sorted().toList();
            System.out.println("---");
            System.out.printf(Locale.ROOT, "(a) concurrent/batched throughput ratio: %.3f over all rounds (%.1f vs %.1f"
                            + " image-steps/s; per-round median %.3f, min %.3f, max %.3f; target ≥ 0.8); mean batch of"
                            + " the concurrent runs %.1f%n", many.rate() / one.rate(), many.rate(), one.rate(),
                    sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1),
                    (double) many.stats.imageSteps() / many.stats.ticks());
            SchedulerStats o = one.stats;
            System.out.printf(Locale.ROOT, "(b) engine work per tick at batch %d: CPU %.2f %% of tick time (%.3f ms of the"
                            + " scheduler thread's CPU per %.2f ms tick; 32 one-image syntheses %.2f %%), wall %.2f %%"
                            + " (%.3f ms, includes waiting for a core; 32 one-image syntheses %.2f %%); target ≤ 5 %%%n",
                    BATCH, 100 * o.engineCpuFraction(), o.engineCpuNanos() / 1e6 / o.ticks(),
                    o.tickNanos() / 1e6 / o.ticks(), 100 * many.stats.engineCpuFraction(), 100 * o.overheadFraction(),
                    (o.tickNanos() - o.runNanos()) / 1e6 / o.ticks(), 100 * many.stats.overheadFraction());
            System.out.printf(Locale.ROOT, "ticks: one 32-image synthesis %d ticks, %.2f ms/tick (ORT run %.2f ms); 32"
                            + " one-image syntheses %d ticks, %.2f ms/tick (ORT run %.2f ms)%n", o.ticks(),
                    o.tickNanos() / 1e6 / o.ticks(), o.runNanos() / 1e6 / o.ticks(), many.stats.ticks(),
                    many.stats.tickNanos() / 1e6 / many.stats.ticks(), many.stats.runNanos() / 1e6 / many.stats.ticks());
            System.out.printf(Locale.ROOT, "(c) peak resident memory VmHWM: %s%n", vmHwm());
        }
    }

    static Path pickModel() {
        for (String name : List.of("cifar10-robust-l2", "fashion-robust-l2")) {
            Path dir = Path.of("models", name);
            if (Files.isRegularFile(dir.resolve("model.json"))) {
                return dir;
            }
            Path fromModule = Path.of("../../models", name);
            if (Files.isRegularFile(fromModule.resolve("model.json"))) {
                return fromModule;
            }
        }
        System.out.println("no shipped model found under models/; using autodiff's cifar_resnet test fixture"
                + " (3x32x32 ResNet, random weights)");
        return Path.of("fixture:cifar_resnet");
    }

    /** Accumulated time and scheduler counters of one mode over all rounds. */
    static final class Mode {
        long nanos;
        long imageSteps;
        SchedulerStats stats;

        interface Body {
            void run() throws Exception;
        }

        double run(Engine engine, String name, Body body, int steps) throws Exception {
            SchedulerStats before = engine.schedulerStats(name).orElseThrow();
            long start = System.nanoTime();
            body.run();
            long took = System.nanoTime() - start;
            SchedulerStats delta = engine.schedulerStats(name).orElseThrow().since(before);
            nanos += took;
            imageSteps += (long) BATCH * steps;
            stats = stats == null ? delta : add(stats, delta);
            return BATCH * (double) steps / (took / 1e9);
        }

        double rate() {
            return imageSteps / (nanos / 1e9);
        }

        static SchedulerStats add(SchedulerStats a, SchedulerStats b) {
            return new SchedulerStats(b.liveJobs(), b.liveItems(), b.waitingJobs(), a.ticks() + b.ticks(),
                    a.imageSteps() + b.imageSteps(), a.tickNanos() + b.tickNanos(), a.runNanos() + b.runNanos(),
                    a.engineCpuNanos() + b.engineCpuNanos(), a.completedJobs() + b.completedJobs(),
                    a.failedJobs() + b.failedJobs(), b.lastBatch(), b.liveBulkItems(),
                    a.bulkImageSteps() + b.bulkImageSteps());
        }
    }

    static SynthesisSpec spec(ModelInfo info, long seed, int items, int steps) {
        return Specs.toward(info.channels(), info.height(), info.width(), info.numClasses(), seed, items,
                Specs.l2(info.defaults().eps(), info.defaults().stepSize(), steps), 10);
    }

    static void one32(ModelFacade facade, ModelInfo info, int steps) throws Exception {
        SynthesisOutcome out = facade.synthesize(spec(info, 1, BATCH, steps));
        if (out.stepsRun() != steps) {
            throw new IllegalStateException("ran " + out.stepsRun() + " steps");
        }
    }

    static void many1(ModelFacade facade, ModelInfo info, int steps) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(BATCH);
        CountDownLatch ready = new CountDownLatch(BATCH);
        try {
            List<Future<SynthesisOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                long seed = 1 + i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return facade.synthesize(spec(info, seed, 1, steps));
                }));
            }
            for (Future<SynthesisOutcome> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static String vmHwm() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return line.substring(6).strip();
            }
        }
        return "unknown (no /proc/self/status)";
    }
}
