package dev.robustsynth.service;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.Engine;
import dev.robustsynth.engine.EngineConfig;
import dev.robustsynth.engine.ModelHealth;
import dev.robustsynth.engine.image.ImageLimits;
import dev.robustsynth.pluginhost.HostedFactory;
import dev.robustsynth.pluginhost.PluginHost;
import dev.robustsynth.pluginhost.PluginHostConfig;
import dev.robustsynth.service.config.RsynthConfig;
import dev.robustsynth.service.intake.ImageInputs;
import dev.robustsynth.service.intake.RequestIntake;
import dev.robustsynth.service.intake.SchemaCatalog;
import dev.robustsynth.service.intake.ImageFiles;
import dev.robustsynth.service.kafka.AttemptLog;
import dev.robustsynth.service.kafka.EmbeddedKafka;
import dev.robustsynth.service.kafka.KafkaSettings;
import dev.robustsynth.service.kafka.OutcomeIndex;
import dev.robustsynth.service.kafka.Publisher;
import dev.robustsynth.service.kafka.TaskConsumer;
import dev.robustsynth.service.kafka.TopicSetup;
import dev.robustsynth.service.kafka.TopicTail;
import dev.robustsynth.service.kafka.Topics;
import dev.robustsynth.service.message.ImageOutputs;
import dev.robustsynth.service.message.ResultMessages;
import dev.robustsynth.service.message.RuntimeInfo;
import dev.robustsynth.service.metrics.ServiceMetrics;
import dev.robustsynth.service.run.InFlightTasks;
import dev.robustsynth.service.run.OutcomePublisher;
import dev.robustsynth.service.run.TaskDispatcher;
import dev.robustsynth.service.run.TaskHandle;
import dev.robustsynth.service.run.TaskRunner;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * The whole service without Quarkus: starts the embedded broker when no cluster is configured, the engine, the
 * plugin host, the Kafka clients, the worker pool and the consumer loop, and stops them in reverse order. The
 * Quarkus application ({@link ServiceLifecycle}) and plain-Java tests both use it.
 */
public final class ServiceAssembly implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceAssembly.class);

    private final RsynthConfig config;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private EmbeddedKafka embedded;
    private KafkaSettings kafka;
    private Engine engine;
    private PluginHost plugins;
    private SchemaCatalog schemas;
    private Publisher publisher;
    private OutcomePublisher outcomes;
    private TaskDispatcher dispatcher;
    private TaskRunner runner;
    private TaskConsumer consumer;
    private TopicTail control;
    private AttemptLog attempts;
    private OutcomeIndex index;
    private RequestIntake intake;
    private String instance;
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
                                        ClassLoader classPathLoader) {
        requireNonNull(config, "config is null");
        ServiceAssembly assembly = new ServiceAssembly(config);
        try {
            assembly.startAll(kafkaSettings, registry, classPathLoader);
            return assembly;
        } catch (RuntimeException | Error e) {
            assembly.closeStarted();
            throw e;
        }
    }

    private void startAll(KafkaSettings kafkaSettings, MeterRegistry registry, ClassLoader classPathLoader) {
        instance = config.instance().orElseGet(ServiceAssembly::defaultInstance);
        Topics topics = Topics.of(config.topics());
        kafka = kafkaSettings;
        if (kafka.bootstrapServers().isEmpty()) {
            RsynthConfig.Embedded e = config.kafka().embedded();
            embedded = EmbeddedKafka.start(e.dir(), e.port(), e.controllerPort(), config.maxMessageBytes());
            toClose.add(embedded);
            kafka = kafka.withBootstrapServers(embedded.bootstrapServers());
        }
        if (config.kafka().createTopics()) {
            TopicSetup.ensure(kafka.admin("rsynth-admin-" + instance), topics.all(), config.kafka().partitions(),
                    config.kafka().replicationFactor(), Map.of(topics.attempts(), Map.of("cleanup.policy", "compact",
                            "segment.ms", "3600000")));
        }
        engine = Engine.start(engineConfig());
        toClose.add(engine);
        plugins = PluginHost.start(new PluginHostConfig(classPathLoader, Optional.of(config.pluginsDir()),
                taskProperties()));
        toClose.add(plugins);
        schemas = new SchemaCatalog();
        for (HostedFactory factory : plugins.factories()) {
            schemas.registerTask(factory.type(), factory.descriptor().parametersSchema());
        }
        int maxRecord = Math.max(config.maxMessageBytes(), 1_048_576) * 2;
        publisher = new Publisher(new KafkaProducer<>(kafka.producer("rsynth-producer-" + instance, maxRecord)),
                topics, "/rsynth/" + instance);
        toClose.add(publisher);
        ImageOutputs imageOutputs = new ImageOutputs(config.inlineImageLimit(), maxRecord / 2L, config.resultsDir());
        outcomes = new OutcomePublisher(publisher, new ResultMessages(imageOutputs), this::runtimeInfo,
                maxRecord - 65_536);
        ImageLimits limits = new ImageLimits(config.maxMessageBytes(), config.maxImageSide(), config.maxImageSide(),
                config.maxImagePixels());
        intake = new RequestIntake(plugins, engine, schemas,
                new ImageInputs(limits, new ImageFiles(config.imageUriRoots())), config.maxMessageBytes(),
                config.defaultModel());
        ServiceMetrics metrics = new ServiceMetrics(registry, () -> Set.copyOf(plugins.types()));
        InFlightTasks inFlight = new InFlightTasks();
        runner = new TaskRunner(engine, config.workerThreads(), outcomes::progress,
                (handle, wait) -> metrics.queueWait(handle.envelope().type(), wait));
        toClose.add(runner);
        index = new OutcomeIndex(new KafkaConsumer<>(kafka.committedReader("rsynth-outcomes-" + instance)),
                new KafkaConsumer<>(kafka.committedReader("rsynth-outcomes-fetch-" + instance)), topics.results());
        toClose.add(index);
        dispatcher = new TaskDispatcher(intake, index, inFlight, runner, outcomes, metrics,
                new TaskDispatcher.Limits(config.intakeTimeout(), config.maxAttempts()));
        metrics.gauges(() -> inFlight.count(TaskHandle.State.QUEUED), () -> inFlight.count(TaskHandle.State.RUNNING),
                () -> inFlight.count(TaskHandle.State.PUBLISHING));

        control = new TopicTail(new KafkaConsumer<>(kafka.controlConsumer("rsynth-control-" + instance)),
                topics.control(), TopicTail.Start.END, "rsynth-control-consumer",
                new ControlCommands(inFlight, schemas));
        toClose.add(control);
        if (!control.awaitCaughtUp(Duration.ofSeconds(30))) {
            LOG.warn("the control consumer is not positioned after 30 s; cancellations may be missed until it is");
        }
        attempts = new AttemptLog(new KafkaProducer<>(kafka.producer("rsynth-attempts-" + instance, 1_048_576)),
                new KafkaConsumer<>(kafka.controlConsumer("rsynth-attempts-reader-" + instance)), topics.attempts());
        toClose.add(attempts);
        int capacity = config.workerThreads() + config.queueCapacity();
        consumer = new TaskConsumer(new TaskConsumer.Clients(
                new KafkaConsumer<>(kafka.taskConsumer(config.kafka().groupId(), "rsynth-tasks-" + instance,
                        Math.max(1, Math.min(capacity, 50)))),
                new KafkaProducer<>(kafka.transactionalProducer("rsynth-outcomes-" + instance,
                        "rsynth-" + config.kafka().groupId() + "-" + instance, maxRecord)),
                attempts, index), topics.tasks(), dispatcher, capacity);
        metrics.consumerGauges(consumer::lag, consumer::commitFailures,
                () -> consumer.oldestUncommittedAge().toMillis() / 1000.0);
        consumer.start();
        LOG.infof("RobustSynth service '%s' started: Kafka %s%s, task types %s, models %s, provider %s, "
                        + "%d workers", instance, kafka.bootstrapServers().orElse("?"),
                embedded == null ? "" : " (embedded)", plugins.types(), engine.modelNames(),
                engine.health().providerNote(), config.workerThreads());
    }

    private EngineConfig engineConfig() {
        String cache = config.graphCacheDir().strip();
        return EngineConfig.builder()
                .modelsDir(config.modelsDir())
                .extraDirs(config.extraModelDirs().orElse(List.of()))
                .provider(config.executionProvider())
                .intraOpThreads(config.ortThreads())
                .maxBatch(config.maxBatch())
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

    public TaskConsumer consumer() {
        return consumer;
    }

    /** The control topic's listener (cancel commands). */
    public TopicTail control() {
        return control;
    }

    public TaskDispatcher dispatcher() {
        return dispatcher;
    }

    public RequestIntake intake() {
        return intake;
    }

    public OutcomeIndex outcomeIndex() {
        return index;
    }

    public Publisher publisher() {
        return publisher;
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public Optional<EmbeddedKafka> embedded() {
        return Optional.ofNullable(embedded);
    }

    /**
     * Graceful stop: the consumer stops taking records, running tasks get the shutdown grace to finish and publish,
     * finished records are committed, unfinished ones stay uncommitted (redelivered after a restart); then
     * everything else closes in reverse order of start.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (consumer != null) {
                consumer.stop(config.shutdownGrace());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
