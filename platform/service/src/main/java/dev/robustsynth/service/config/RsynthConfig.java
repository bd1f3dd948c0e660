package dev.robustsynth.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the service, prefix {@code rsynth}. Each key is declared once here with its default; the
 * README's configuration table lists them. Kafka client settings are the {@code kafka.*} keys (see
 * {@link dev.robustsynth.service.kafka.KafkaSettings}).
 */
@ConfigMapping(prefix = "rsynth")
public interface RsynthConfig {

    /** Directory of model directories served by the engine. */
    @WithDefault("models")
    Path modelsDir();

    /**
     * How often the model directories are rescanned: a model directory added is served without a restart, one
     * removed takes no new tasks and closes once its running tasks end. {@code PT0S} turns it off.
     */
    @WithDefault("PT10S")
    Duration modelsWatchInterval();

    /** More model directories (or directories of model directories). */
    Optional<List<Path>> extraModelDirs();

    /** Directory of external plugin jars (each jar, or each sub-directory of jars, gets its own class loader). */
    @WithDefault(".rsynth/plugins")
    Path pluginsDir();

    /**
     * The allowlist of external plugin jars ({@code sha256sum} lines); unset: {@code plugins.allow} in the plugins
     * directory. A jar not listed with its SHA-256 is refused.
     */
    Optional<Path> pluginsAllowlist();

    /** The model of requests that name none; when unset and exactly one model is served, that one. */
    Optional<String> defaultModel();

    /** Largest request record value accepted, in bytes; larger ones fail with MESSAGE_TOO_LARGE. */
    @WithDefault("8388608")
    int maxMessageBytes();

    /** Largest width × height of an input image; larger ones fail with IMAGE_TOO_LARGE before decoding. */
    @WithDefault("16777216")
    long maxImagePixels();

    /** Largest width or height of an input image. */
    @WithDefault("8192")
    int maxImageSide();

    /** Result PNGs up to this many bytes travel inline (base64); larger ones are written to results-dir as file: URIs. */
    @WithDefault("262144")
    int inlineImageLimit();

    /** Where result images above the inline limit are written. */
    @WithDefault(".rsynth/results")
    Path resultsDir();

    /** Task directories under the results directory older than this are deleted. */
    @WithDefault("PT24H")
    Duration resultsMaxAge();

    /**
     * Directories from which file: image URIs may be read (symlinks resolved; only regular files). Unset: every
     * file: URI is refused with IMAGE_URI_REFUSED.
     */
    Optional<List<Path>> imageUriRoots();

    /** Longest time checking one record (JSON, schemas, image reads and decoding, the factory's check) may take. */
    @WithDefault("PT10S")
    Duration intakeTimeout();

    /**
     * How many times a record may be handled when the service dies during it (attempts are persisted on the
     * attempts topic before a record is handled); the next delivery is quarantined as POISON_RECORD.
     */
    @WithDefault("3")
    int maxAttempts();

    /** Worker threads running tasks (each blocks while its syntheses step in the engine's shared batches). */
    @WithDefault("4")
    int workerThreads();

    /** Accepted tasks that may wait for a worker; beyond it the consumer pauses its partitions. */
    @WithDefault("16")
    int queueCapacity();

    /** How long shutdown waits for running tasks; those still running are left uncommitted for redelivery. */
    @WithDefault("30s")
    Duration shutdownGrace();

    /**
     * Longest run of one task's plugin code. Past it the task is told to stop and its thread is interrupted; it
     * fails with PLUGIN_TIMEOUT, and its worker takes the next task.
     */
    @WithDefault("PT15M")
    Duration taskTimeout();

    /**
     * How long plugin code told to stop (a cancel, the task timeout, the intake timeout during validate) may take
     * to end; past it its thread is abandoned: it runs on, its outcome is discarded, and it counts against
     * max-abandoned-workers.
     */
    @WithDefault("PT5S")
    Duration taskStopGrace();

    /**
     * Plugin threads that ignored a stop and still run; beyond this many, liveness ({@code rsynth-workers}) is
     * DOWN so the orchestrator restarts the process.
     */
    @WithDefault("4")
    int maxAbandonedWorkers();

    /** ONNX Runtime execution provider: cpu, cuda or auto. */
    @WithDefault("cpu")
    String executionProvider();

    /** ORT threads inside one operator; 0 = ORT's default. */
    @WithDefault("0")
    int ortThreads();

    /** Largest number of images one engine evaluation batches. */
    @WithDefault("32")
    int maxBatch();

    /**
     * Most rows of one engine evaluation that bulk-job syntheses take while an interactive synthesis is live (at
     * least 1, so a job always progresses); fewer rows make the interactive steps faster and the job slower.
     */
    @WithDefault("1")
    int bulkRowsWhileInteractive();

    /** Where the engine caches compiled synthesis graphs; "none" turns the cache off. */
    @WithDefault("${user.home}/.cache/rsynth/graphs")
    String graphCacheDir();

    /** This instance's name in ce_source (/rsynth/&lt;instance&gt;) and provenance; host name and pid by default. */
    Optional<String> instance();

    /** Serve the browser playground at / and its gateway under /api/v1/playground. */
    @WithName("playground.enabled")
    @WithDefault("true")
    boolean playgroundEnabled();

    /**
     * The playground gateway's own Kafka login: a file of {@code kafka.*} lines (the format of {@code rsynth --config})
     * whose keys replace the service's settings for the gateway's clients only, e.g. its
     * {@code kafka.sasl.jaas.config}. Unset: the gateway uses the service's settings (and so its principal).
     */
    @WithName("playground.kafka-config")
    Optional<Path> playgroundKafkaConfig();

    /** Bulk jobs (dev.robustsynth.service.jobs). */
    Jobs jobs();

    /** Topic names. */
    Topics topics();

    /** Kafka behaviour that is not a client property. */
    Kafka kafka();

    /** Per-task-type plugin settings: rsynth.task.&lt;type&gt;.&lt;key&gt; (and rsynth.task.&lt;type&gt;.plugin). */
    Map<String, Map<String, String>> task();

    /** Topic names of the wire contract. */
    interface Topics {
        @WithDefault("rsynth.tasks")
        String tasks();

        @WithDefault("rsynth.results")
        String results();

        @WithDefault("rsynth.progress")
        String progress();

        @WithDefault("rsynth.control")
        String control();

        @WithDefault("rsynth.tasks.dlq")
        String dlq();

        /** Compacted: how many times each task record has started being handled (poison-pill counting). */
        @WithDefault("rsynth.attempts")
        String attempts();
    }

    /** Bulk jobs: the splitter and aggregator (Kafka Streams) and the bulk lane of the workers. */
    interface Jobs {
        /** Run the jobs topology on this instance. */
        @WithDefault("true")
        boolean enabled();

        /** Job requests (key = job id). */
        @WithDefault("rsynth.jobs")
        String topic();

        /** Compacted job status events (key = job id). */
        @WithName("status-topic")
        @WithDefault("rsynth.jobs.status")
        String statusTopic();

        /** Default most items of one job published and not yet answered. */
        @WithDefault("96")
        int window();

        /** Most items of one job; more: JOB_TOO_MANY_ITEMS. */
        @WithName("max-items")
        @WithDefault("100000")
        int maxItems();

        /** How often a RUNNING job's status is published. */
        @WithName("status-interval")
        @WithDefault("PT2S")
        Duration statusInterval();

        /** Where each job's images and manifest.jsonl go (one directory per job). */
        @WithName("output-root")
        @WithDefault(".rsynth/jobs")
        Path outputRoot();

        /**
         * Where each process claims its Kafka Streams state directory, {@code <state-dir>/<instance>} (held under a
         * file lock; a second live process of the same name gets {@code <instance>-<pid>}). Default:
         * {@code <java.io.tmpdir>/rsynth-streams}; point it at a volume that outlives the container so that a
         * restarted pod keeps its stores instead of restoring them from the changelogs.
         */
        @WithName("state-dir")
        Optional<Path> stateDir();

        /**
         * The jobs' own Kafka login: a file of {@code kafka.*} lines (the format of {@code rsynth --config}) whose keys
         * replace the service's settings for the jobs' Kafka Streams clients only, e.g. their
         * {@code kafka.sasl.jaas.config}. The splitter writes tasks, which the service principal may not
         * (deploy/k8s/kafka/users.yaml, {@code rsynth-jobs}). Unset: the service's settings (and principal).
         */
        @WithName("kafka-config")
        Optional<Path> kafkaConfig();

        /**
         * How long the outcome of a job's item may wait for others to share its transaction. One transaction per
         * outcome costs the broker (and a co-located one, the synthesis) measurably (platform/acceptance/README.md,
         * bulk job benchmark); an interactive outcome is never held and takes the waiting bulk ones with it.
         * 0: every outcome commits at once.
         */
        @WithName("commit-linger")
        @WithDefault("PT0.1S")
        Duration commitLinger();

        /** Threads of the bulk lane: tasks with a job run there, never on the interactive workers. */
        @WithName("bulk-concurrency")
        @WithDefault("32")
        int bulkConcurrency();
    }

    /** Consumer group, topic creation and the embedded broker. */
    interface Kafka {
        /** Consumer group of the tasks topic; instances sharing it share the work. */
        @WithDefault("rsynth-service")
        String groupId();

        /** Create the six topics at start when missing. */
        @WithDefault("true")
        boolean createTopics();

        /**
         * Readiness goes DOWN when offsets have waited this long for a successful commit (commits failing, e.g.
         * the broker unreachable), so traffic moves to healthy instances.
         */
        @WithDefault("PT2M")
        Duration commitStallBound();

        /** Partitions of created topics (the most service instances that can share the work). */
        @WithDefault("4")
        int partitions();

        /** Replication factor of created topics; unset = the broker's default. */
        Optional<Short> replicationFactor();

        /** The embedded broker, started when kafka.bootstrap.servers is not configured. */
        Embedded embedded();
    }

    /** The single-node KRaft broker inside the service's JVM. */
    interface Embedded {
        /** Its data directory (kept between runs). */
        @WithDefault(".rsynth/kafka")
        Path dir();

        /** Client port on localhost; 0 picks a free one. */
        @WithDefault("9092")
        int port();

        /** Controller port on localhost; 0 picks a free one. */
        @WithName("controller-port")
        @WithDefault("0")
        int controllerPort();
    }
}
