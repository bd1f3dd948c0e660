package dev.robustsynth.eval;

import dev.robustsynth.engine.Engine;
import dev.robustsynth.engine.EngineConfig;
import dev.robustsynth.engine.TaskControl;
import dev.robustsynth.pluginhost.HostedFactory;
import dev.robustsynth.pluginhost.PluginHost;
import dev.robustsynth.pluginhost.PluginHostConfig;
import dev.robustsynth.pluginhost.PreparedTask;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.ProgressSink;
import dev.robustsynth.spi.TaskContext;
import dev.robustsynth.spi.TaskRequest;
import dev.robustsynth.spi.TaskResult;
import dev.robustsynth.spi.ValidationContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the task plugins in this process the way the service does, minus Kafka: the plugins found on the class path,
 * one engine whose scheduler batches the syntheses of all concurrent tasks on a model. Each request is validated by
 * its factory before it runs.
 */
final class PluginRunner implements AutoCloseable {
    private static final ProgressSink NO_PROGRESS = progress -> { };

    private final Engine engine;
    private final PluginHost plugins;
    private final ExecutorService workers;
    private final AtomicLong ids = new AtomicLong();

    /** One task to run: its type, model, parameters, image parameters and seed. */
    record Job(String type, String model, Map<String, Object> params, Map<String, Image> images, long seed) {
    }

    PluginRunner(List<Path> modelDirs, int ortThreads, int maxBatch, int concurrency) {
        engine = Engine.start(EngineConfig.builder()
                .modelsDir(Path.of("no-models-dir")) // absent on purpose: only the two models named are served
                .extraDirs(modelDirs)
                .intraOpThreads(ortThreads)
                .maxBatch(maxBatch)
                .maxItems(10_000)
                .build());
        plugins = PluginHost.start(new PluginHostConfig(PluginRunner.class.getClassLoader(), Optional.empty(),
                Map.of()));
        workers = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "eval-task-" + ids.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    ModelInfo model(String name) {
        return engine.modelInfo(name).orElseThrow(() -> new IllegalArgumentException("model " + name
                + " is not loaded; loaded: " + engine.modelNames()));
    }

    /** Runs every job (concurrently, so the engine batches them) and returns the results in job order. */
    List<TaskResult> runAll(List<Job> jobs) throws Exception {
        List<Future<TaskResult>> futures = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            futures.add(workers.submit(() -> run(job)));
        }
        List<TaskResult> results = new ArrayList<>(jobs.size());
        for (Future<TaskResult> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        return results;
    }

    private TaskResult run(Job job) throws Exception {
        HostedFactory factory = plugins.factory(job.type()).orElseThrow(() -> new IllegalArgumentException(
                "no plugin serves task type " + job.type() + "; served: " + plugins.types()));
        ModelInfo info = model(job.model());
        TaskRequest request = new TaskRequest("eval-" + ids.incrementAndGet(), job.type(), job.model(),
                new Parameters(job.params()), job.seed(), Optional.empty());
        PreparedTask task = factory.prepare(new ValidationContext(request, info, job.images()));
        ModelFacade facade = engine.facade(job.model(), TaskControl.none());
        TaskContext context = new TaskContext() {
            @Override
            public TaskRequest request() {
                return request;
            }

            @Override
            public ModelFacade model() {
                return facade;
            }

            @Override
            public ProgressSink progress() {
                return NO_PROGRESS;
            }

            @Override
            public boolean cancelled() {
                return false;
            }

            @Override
            public Optional<Instant> deadline() {
                return Optional.empty();
            }
        };
        return task.run(context);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        plugins.close();
        engine.close();
    }
}
