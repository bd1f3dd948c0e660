package dev.robustsynth.service;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.engine.Engine;
import dev.robustsynth.engine.EngineConfig;
import dev.robustsynth.engine.ModelHealth;
import dev.robustsynth.engine.image.ImageLimits;
import dev.robustsynth.pluginhost.HostedFactory;
import dev.robustsynth.pluginhost.PluginHost;
import dev.robustsynth.pluginhost.PluginHostConfig;
import dev.robustsynth.service.config.RsynthConfig;
import dev.robustsynth.service.intake.ImageInputs;
import dev.robustsynth.service.jobs.JobService;
import dev.robustsynth.service.jobs.JobTopology;
import dev.robustsynth.service.jobs.JobValidator;
import dev.robustsynth.service.intake.RequestIntake;
import dev.robustsynth.service.intake.SchemaCatalog;
import dev.robustsynth.service.intake.ImageFiles;
import dev.robustsynth.service.kafka.AttemptLog;
import dev.robustsynth.service.kafka.EmbeddedKafka;
import dev.robustsynth.service.kafka.KafkaSettings;
import dev.robustsynth.service.kafka.OutcomeIndex;
import dev.robustsynth.service.kafka.OutcomeRecords;
import dev.robustsynth.service.kafka.RecordSender;
import dev.robustsynth.service.kafka.TopicSetup;
import dev.robustsynth.service.kafka.Topics;
import dev.robustsynth.service.message.ImageOutputs;
import dev.robustsynth.service.message.ResultMessages;
import dev.robustsynth.service.message.RuntimeInfo;
import dev.robustsynth.service.metrics.ServiceMetrics;
import dev.robustsynth.service.run.InFlightTasks;
import dev.robustsynth.service.run.OutcomePublisher;
import dev.robustsynth.service.run.PluginWatchdog;
import dev.robustsynth.service.run.TaskDispatcher;
import dev.robustsynth.service.run.TaskHandle;
import dev.robustsynth.service.run.TaskRunner;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jboss.logging.Logger;

/**
 * The service below its Kafka channels: starts the embedded broker when no cluster is configured and creates the
 * topics, then the engine, the plugin host, the intake, the worker pool, the dispatcher, the attempts log and the
 * outcome index (the two read their topics with group-less clients of their own), and stops them in reverse order.
 * {@link ServiceLifecycle} starts it before SmallRye Reactive Messaging connects the channels
 * ({@code dev.robustsynth.service.kafka}), which then find the bootstrap servers and the parts they feed here.
 */
public final class ServiceAssembly implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceAssembly.class);

    /** What the service sends on channels from below them: progress events and attempt counts. */
    public record Senders(RecordSender progress, RecordSender attempts) {
        public Senders {
            requireNonNull(progress, "progress is null");
            requireNonNull(attempts, "attempts is null");
        }
    }

    private final RsynthConfig config;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private EmbeddedKafka embedded;
    private KafkaSettings kafka;
    private Topics topics;
    private Engine engine;
    private PluginHost plugins;
    private SchemaCatalog schemas;
    private TaskDispatcher dispatcher;
    private AttemptLog attempts;
    private OutcomeIndex index;
    private RequestIntake intake;
    private ServiceMetrics metrics;
    private JobService jobs;
    private PluginWatchdog watchdog;
    private String instance;
    private int maxRecordBytes;
    private boolean closed;

    private ServiceAssembly(RsynthConfig config) {
        this.config = config;
    }

    /**
     * Starts everything; on failure, stops what had started and rethrows.
     *
     * @param kafkaSettings the {@code kafka.*} client settings; without bootstrap servers an embedded broker starts
     * @param classPathLoader where class-path plugins are looked up
     */
    public static ServiceAssembly start(RsynthConfig config, KafkaSettings kafkaSettings, MeterRegistry registry,
                                        ClassLoader classPathLoader, Senders senders) {
        requireNonNull(config, "config is null");
        ServiceAssembly assembly = new ServiceAssembly(config);
        try {
            assembly.startAll(kafkaSettings, registry, classPathLoader, senders);
            return assembly;
        } catch (RuntimeException | Error e) {
            assembly.closeStarted();
            throw e;
        }
    }

    private void startAll(KafkaSettings kafkaSettings, MeterRegistry registry, ClassLoader classPathLoader,
                          Senders senders) {
        instance = config.instance().orElseGet(ServiceAssembly::defaultInstance);
        topics = Topics.of(config.topics());
        kafka = kafkaSettings;
        if (kafka.bootstrapServers().isEmpty()) {
            RsynthConfig.Embedded e = config.kafka().embedded();
            embedded = EmbeddedKafka.start(e.dir(), e.port(), e.controllerPort(), config.maxMessageBytes());
            toClose.add(embedded);
            kafka = kafka.withBootstrapServers(embedded.bootstrapServers());
        }
        if (config.kafka().createTopics()) {
            List<String> all = new ArrayList<>(topics.all());
            all.add(config.jobs().topic());
            all.add(config.jobs().statusTopic());
            TopicSetup.ensure(kafka.admin("rsynth-admin-" + instance), all, config.kafka().partitions(),
                    config.kafka().replicationFactor(), Map.of(topics.attempts(), Map.of("cleanup.policy", "compact",
                            "segment.ms", "3600000"), config.jobs().statusTopic(), Map.of("cleanup.policy",
                            "compact")));
        }
        engine = Engine.start(engineConfig());
        toClose.add(engine);
        plugins = PluginHost.start(new PluginHostConfig(classPathLoader, Optional.of(config.pluginsDir()),
                config.pluginsAllowlist(), taskProperties()));
        toClose.add(plugins);
        schemas = new SchemaCatalog();
        for (HostedFactory factory : plugins.factories()) {
            schemas.registerTask(factory.type(), factory.descriptor().parametersSchema());
        }
        maxRecordBytes = Math.max(config.maxMessageBytes(), 1_048_576) * 2;
        ImageOutputs imageOutputs = new ImageOutputs(config.inlineImageLimit(), maxRecordBytes / 2L,
                config.resultsDir(), config.resultsMaxAge(), Clock.systemUTC());
        OutcomePublisher outcomes = new OutcomePublisher(new OutcomeRecords(topics, "/rsynth/" + instance),
                senders.progress(), new ResultMessages(imageOutputs), this::runtimeInfo, maxRecordBytes - 65_536);
        ImageLimits limits = new ImageLimits(config.maxMessageBytes(), config.maxImageSide(), config.maxImageSide(),
                config.maxImagePixels());
        watchdog = new PluginWatchdog(new PluginWatchdog.Limits(config.taskTimeout(), config.taskStopGrace(),
                config.maxAbandonedWorkers()));
        intake = new RequestIntake(plugins, engine, schemas,
                new ImageInputs(limits, new ImageFiles(config.imageUriRoots())), config.maxMessageBytes(),
                config.defaultModel(), watchdog);
        metrics = new ServiceMetrics(registry, () -> Set.copyOf(plugins.types()));
        metrics.engineMeters(engine);
        InFlightTasks inFlight = new InFlightTasks();
        TaskRunner runner = new TaskRunner(engine, config.workerThreads(), config.jobs().bulkConcurrency(),
                outcomes::progress, (handle, wait) -> metrics.queueWait(handle.envelope().type(), wait), watchdog);
        toClose.add(runner);
        index = new OutcomeIndex(new KafkaConsumer<>(kafka.committedReader("rsynth-outcomes-" + instance)),
                new KafkaConsumer<>(kafka.committedReader("rsynth-outcomes-fetch-" + instance)),
                Admin.create(kafka.admin("rsynth-outcomes-admin-" + instance)), topics.results());
        toClose.add(index);
        dispatcher = new TaskDispatcher(intake, index, inFlight, runner, outcomes, metrics,
                new TaskDispatcher.Limits(config.intakeTimeout(), config.maxAttempts()));
        metrics.gauges(() -> inFlight.count(TaskHandle.State.QUEUED), () -> inFlight.count(TaskHandle.State.RUNNING),
                () -> inFlight.count(TaskHandle.State.PUBLISHING));
        attempts = new AttemptLog(senders.attempts(),
                new KafkaConsumer<>(kafka.reader("rsynth-attempts-reader-" + instance)), topics.attempts());
        toClose.add(attempts);
        if (config.jobs().enabled()) {
            startJobs();
        }
        LOG.infof("RobustSynth service '%s' started: Kafka %s%s, task types %s, models %s, provider %s, "
                        + "%d workers", instance, kafka.bootstrapServers().orElse("?"),
                embedded == null ? "" : " (embedded)", plugins.types(), engine.modelNames(),
                engine.health().providerNote(), config.workerThreads());
    }

    private void startJobs() {
        RsynthConfig.Jobs j = config.jobs();
        JobValidator.Catalog catalog = new JobValidator.Catalog() {
            @Override
            public Optional<com.networknt.schema.Schema> taskSchema(String type) {
                return plugins.factory(type).flatMap(f -> schemas.task(type));
            }

            @Override
            public Set<String> types() {
                return new java.util.TreeSet<>(plugins.types());
            }

            @Override
            public Optional<String> model(Optional<String> named) {
                return named.or(intake::defaultModel).filter(m -> engine.modelInfo(m).isPresent());
            }

            @Override
            public Set<String> models() {
                return new java.util.TreeSet<>(engine.modelNames());
            }
        };
        JobValidator validator = new JobValidator(schemas, catalog, config.imageUriRoots().orElse(List.of()),
                j.maxItems());
        JobTopology.Settings settings = new JobTopology.Settings(j.topic(), j.statusTopic(), topics.tasks(),
                topics.results(), topics.control(), topics.dlq(), j.window(), j.statusInterval(), j.outputRoot(),
                "/rsynth/" + instance);
        Properties streamsKafka = kafka.admin("rsynth-jobs-" + instance);
        j.kafkaConfig().ifPresent(file -> streamsKafka.putAll(RsynthClientConfig.kafkaPropertiesFromFile(file)));
        jobs = new JobService(streamsKafka, "rsynth-jobs-" + config.kafka().groupId(),
                j.stateDir().orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "rsynth-streams")),
                instance, config.instance().isPresent(), config.kafka().replicationFactor(), settings, validator);
        toClose.add(jobs);
    }

    /** The bulk-jobs streams of this instance, unless rsynth.jobs.enabled is false. */
    public Optional<JobService> jobs() {
        return Optional.ofNullable(jobs);
    }

    private EngineConfig engineConfig() {
        String cache = config.graphCacheDir().strip();
        return EngineConfig.builder()
                .modelsDir(config.modelsDir())
                .extraDirs(config.extraModelDirs().orElse(List.of()))
                .provider(config.executionProvider())
                .intraOpThreads(config.ortThreads())
                .maxBatch(config.maxBatch())
                .bulkRowsWhileInteractive(config.bulkRowsWhileInteractive())
                .watchInterval(config.modelsWatchInterval().isZero() ? null : config.modelsWatchInterval())
                .cacheDir(cache.isEmpty() || cache.equalsIgnoreCase("none") ? null : Path.of(cache))
                .build();
    }

    private Map<String, String> taskProperties() {
        Map<String, String> props = new HashMap<>();
        config.task().forEach((type, settings) -> settings.forEach((key, value) ->
                props.put(PluginHostConfig.TASK_PREFIX + type + "." + key, value)));
        return props;
    }

    private RuntimeInfo runtimeInfo(String model) {
        var health = engine.health();
        String provider = health.models().stream().filter(m -> m.name().equals(model)).map(ModelHealth::provider)
                .findFirst().orElse(health.providerNote());
        return RuntimeInfo.current(health.ortVersion(), provider.toUpperCase(java.util.Locale.ROOT), instance);
    }

    private static String defaultInstance() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    public RsynthConfig config() {
        return config;
    }

    public String instance() {
        return instance;
    }

    public Engine engine() {
        return engine;
    }

    public PluginHost plugins() {
        return plugins;
    }

    public SchemaCatalog schemas() {
        return schemas;
    }

    /** Where the task channel's records are handed. */
    public TaskDispatcher dispatcher() {
        return dispatcher;
    }

    public RequestIntake intake() {
        return intake;
    }

    public OutcomeIndex outcomeIndex() {
        return index;
    }

    public AttemptLog attempts() {
        return attempts;
    }

    /** Runs and bounds the plugins' validate and run calls; counts the threads it abandoned. */
    public PluginWatchdog watchdog() {
        return watchdog;
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    public Topics topics() {
        return topics;
    }

    /**
     * How many task records may be pending at once before the tasks channel takes no more: the interactive workers
     * and their queue, plus the bulk lane and one job's window, so that bulk items waiting in a partition do not
     * hold back the interactive records behind them.
     */
    public int capacity() {
        return config.workerThreads() + config.queueCapacity()
                + (config.jobs().enabled() ? config.jobs().bulkConcurrency() + config.jobs().window() : 0);
    }

    /** The largest record the service's producers send. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public Optional<EmbeddedKafka> embedded() {
        return Optional.ofNullable(embedded);
    }

    /** Stops everything in reverse order of start (the channels have been drained before). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeStarted();
    }

    private void closeStarted() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.warnf("closing %s failed: %s", toClose.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        toClose.clear();
    }
}
