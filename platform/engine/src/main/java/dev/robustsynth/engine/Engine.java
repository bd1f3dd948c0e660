package dev.robustsynth.engine;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.OrtEnvironment;
import dev.robustsynth.engine.model.GraphCache;
import dev.robustsynth.engine.model.GraphCompiler;
import dev.robustsynth.engine.model.LoadedModel;
import dev.robustsynth.engine.model.ModelRegistry;
import dev.robustsynth.engine.optim.SpecPlanner;
import dev.robustsynth.engine.runtime.SessionFactory;
import dev.robustsynth.engine.schedule.Admission;
import dev.robustsynth.engine.schedule.SchedulerStats;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The synthesis engine: every model of the configuration loaded once, each with one shared pair of ORT sessions
 * and one step scheduler that batches all tasks' syntheses on it. The service asks for a {@link ModelFacade} per
 * task; closing the engine stops the schedulers (waiting syntheses end with {@code UNAVAILABLE}) and releases the
 * sessions.
 *
 * <pre>{@code
 * try (Engine engine = Engine.start(EngineConfig.builder().modelsDir(Path.of("models")).build())) {
 *     ModelFacade model = engine.facade("fashion-robust-l2", new TaskControl(cancelled, deadline, sink));
 *     SynthesisOutcome out = model.synthesize(spec);
 * }
 * }</pre>
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());

    private final ModelRegistry registry;
    private final SessionFactory sessions;
    private final Optional<java.util.concurrent.ScheduledExecutorService> watcher;
    private volatile boolean closed;

    private Engine(ModelRegistry registry, SessionFactory sessions, Optional<java.time.Duration> watchInterval) {
        this.registry = registry;
        this.sessions = sessions;
        this.watcher = watchInterval.map(every -> {
            var pool = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rsynth-model-watcher");
                t.setDaemon(true);
                return t;
            });
            pool.scheduleWithFixedDelay(this::rescanQuietly, every.toMillis(), every.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            return pool;
        });
    }

    private void rescanQuietly() {
        try {
            rescanModels();
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.SEVERE, "rescanning the models directories failed", e);
        }
    }

    /**
     * Hot-load: loads model directories added since the last scan and drops those removed (a removed model takes
     * no new tasks and is closed once its running calls end). Runs by itself every
     * {@link EngineConfig#watchInterval()} when one is configured; an admin hook may call it at any time.
     */
    public ModelRegistry.Changes rescanModels() {
        if (closed) {
            return new ModelRegistry.Changes(List.of(), List.of(), List.of());
        }
        ModelRegistry.Changes changes = registry.rescan();
        if (changes.any()) {
            LOG.info("models rescanned: added " + changes.added() + ", removed " + changes.removed() + ", refused "
                    + changes.refused() + "; serving " + registry.names());
        }
        return changes;
    }

    /** Loads every configured model, compiling graphs with platform/autodiff. Never throws for a bad model. */
    public static Engine start(EngineConfig config) {
        return start(config, new AutodiffGraphCompiler());
    }

    /** Loads every configured model with the given compiler (tests, other gradient compilers). */
    public static Engine start(EngineConfig config, GraphCompiler compiler) {
        requireNonNull(config, "config is null");
        requireNonNull(compiler, "compiler is null");
        SessionFactory sessions = new SessionFactory(OrtEnvironment.getEnvironment(), config.provider(),
                config.intraOpThreads(), config.interOpThreads());
        ModelRegistry.Options options = new ModelRegistry.Options(config.maxBatch(), config.warmUp(),
                new SpecPlanner(config.maxSteps(), config.maxItems()), config.cacheDir().map(GraphCache::new),
                config.maxModelBytes(), new Admission(config.bulkRowsWhileInteractive()));
        ModelRegistry registry = ModelRegistry.load(Optional.of(config.modelsDir()), config.extraDirs(), compiler,
                sessions, options);
        LOG.info("engine started: models " + registry.names() + ", provider " + sessions.providerNote()
                + (registry.failures().isEmpty() ? "" : ", refused " + registry.failures().keySet()));
        return new Engine(registry, sessions, config.watchInterval());
    }

    public Set<String> modelNames() {
        return registry.names();
    }

    public Optional<ModelInfo> modelInfo(String name) {
        return registry.get(name).map(LoadedModel::info);
    }

    /**
     * A facade over {@code model} bound to one task's control.
     *
     * @throws IllegalArgumentException for an unknown model, naming the known ones (check {@link #modelInfo} first
     *     to turn it into a task error)
     * @throws IllegalStateException after {@link #close()}
     */
    public ModelFacade facade(String model, TaskControl control) {
        requireNonNull(model, "model is null");
        requireNonNull(control, "control is null");
        if (closed) {
            throw new IllegalStateException("engine is closed");
        }
        LoadedModel loaded = registry.get(model).orElseThrow(() -> new IllegalArgumentException(
                "unknown model '" + model + "'; known: " + String.join(", ", registry.names())));
        return new TaskModelFacade(loaded, control);
    }

    /** Scheduler counters of one model (benchmarks, metrics). */
    public Optional<SchedulerStats> schedulerStats(String model) {
        return registry.get(model).map(m -> m.scheduler().stats());
    }

    public EngineHealth health() {
        List<ModelHealth> models = new ArrayList<>();
        for (Map.Entry<String, LoadedModel> e : registry.models().entrySet()) {
            LoadedModel m = e.getValue();
            SchedulerStats s = m.scheduler().stats();
            models.add(new ModelHealth(e.getKey(), m.info().sha256(), m.provider(), m.seeds().isPresent(),
                    s.liveJobs(), s.liveItems(), s.waitingJobs(), s.ticks(), s.imageSteps(), s.overheadFraction()));
        }
        return new EngineHealth(!closed, sessions.providerNote(), OrtEnvironment.getEnvironment().getVersion(), models,
                registry.failures());
    }

    /** Stops every scheduler and releases every session. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watcher.ifPresent(java.util.concurrent.ExecutorService::shutdownNow);
        registry.close();
        LOG.info("engine closed");
    }
}
