package dev.robustsynth.service.jobs;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jboss.logging.Logger;

/**
 * The bulk-jobs {@link JobTopology} in a plain {@link KafkaStreams} instance owned by the service, exactly_once_v2.
 * Every instance of a group shares the application id, so the jobs' partitions are split between them and move on
 * a failure, with their stores restored from the changelogs.
 *
 * <p>Nothing here can stop the service: the constructor only starts a supervisor thread. It claims the state
 * directory ({@link JobStateDir}) under {@code <stateBase>/<Kafka cluster id>} (so that stores kept for one cluster
 * are never taken for another's), waits until every topic the topology reads or writes exists (it never creates
 * them: that is {@code rsynth.kafka.create-topics}' job, or the operator's), starts Kafka Streams, and when Streams
 * ends in ERROR (a failed global store, say) closes it and starts a new one after {@value #RESTART_SECONDS} s. A
 * failed stream thread is replaced. What it is doing and its last failure are in {@link #health()}.
 */
public final class JobService implements AutoCloseable {
    static final int RESTART_SECONDS = 10;
    private static final Logger LOG = Logger.getLogger(JobService.class);
    private static final Duration TOPIC_POLL = Duration.ofSeconds(2);
    private static final Duration TOPIC_WARN_EVERY = Duration.ofMinutes(1);

    /** What the jobs side of this instance is doing. */
    public enum Phase {
        /** Claiming the state directory and checking the topics. */
        STARTING,
        /** Some of the topology's topics do not exist yet; it checks again every 2 s. */
        WAITING_FOR_TOPICS,
        /** Kafka Streams is started (its own state says whether it is RUNNING or REBALANCING). */
        STREAMING,
        /** Kafka Streams failed or could not start; a new one starts shortly. */
        RESTARTING,
        CLOSED
    }

    /**
     * @param phase   what the supervisor is doing
     * @param streams the Kafka Streams state, when one is started
     * @param detail  why it waits (the missing topics) or its last failure
     */
    public record Health(Phase phase, Optional<KafkaStreams.State> streams, Optional<String> detail) {
        public Health {
            requireNonNull(phase, "phase is null");
            requireNonNull(streams, "streams is null");
            requireNonNull(detail, "detail is null");
        }

        /** Down only when jobs cannot run now for a failure (not while they wait for their topics). */
        public boolean up() {
            return switch (phase) {
                case STARTING, WAITING_FOR_TOPICS -> true;
                case STREAMING -> streams.map(s -> s != KafkaStreams.State.ERROR
                        && s != KafkaStreams.State.PENDING_ERROR).orElse(true);
                case RESTARTING, CLOSED -> false;
            };
        }
    }

    private final Properties streamsProps;
    private final Properties adminProps;
    private final Topology topology;
    private final Set<String> topics;
    private final Path stateBase;
    private final String instance;
    private final boolean reusableState;
    private final Object monitor = new Object();
    private final Thread supervisor;
    private volatile boolean closed;
    private volatile KafkaStreams streams;
    private volatile Phase phase = Phase.STARTING;
    private volatile String detail;

    /**
     * @param kafka         the service's kafka.* client settings (bootstrap servers included)
     * @param application   the Streams application id (shared by the group's instances)
     * @param stateBase     where this process claims its state directory ({@code rsynth.jobs.state-dir})
     * @param instance      the instance name the directory is named after
     * @param reusableState whether the instance name outlives the process (a configured {@code rsynth.instance})
     */
    public JobService(Properties kafka, String application, Path stateBase, String instance, boolean reusableState,
                      Optional<Short> replication, JobTopology.Settings settings, JobValidator validator) {
        this.stateBase = requireNonNull(stateBase, "stateBase is null");
        this.instance = requireNonNull(instance, "instance is null");
        this.reusableState = reusableState;
        this.adminProps = new Properties();
        adminProps.putAll(kafka);
        Properties p = new Properties();
        p.putAll(kafka);
        p.remove("client.id");
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, application);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication.orElse((short) -1));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        p.put(StreamsConfig.producerPrefix("max.request.size"), 16 * 1024 * 1024);
        kafka.stringPropertyNames().stream().filter(k -> k.startsWith("session.timeout.ms")).forEach(k ->
                p.put(StreamsConfig.consumerPrefix(k), kafka.getProperty(k)));
        this.streamsProps = p;
        this.topology = JobTopology.build(settings, validator, Instant::now);
        this.topics = new TreeSet<>(Set.of(settings.jobs(), settings.status(), settings.tasks(), settings.results(),
                settings.control(), settings.dlq()));
        this.supervisor = Thread.ofPlatform().name("rsynth-jobs-supervisor").daemon().start(this::supervise);
    }

    private void supervise() {
        JobStateDir dir = null;
        Instant lastWarning = Instant.EPOCH;
        try (Admin admin = Admin.create(adminProps)) {
            while (!closed) {
                KafkaStreams started = null;
                try {
                    if (dir == null) {
                        String cluster = admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                        dir = JobStateDir.claim(stateBase.resolve(cluster == null ? "unknown-cluster" : cluster),
                                instance, reusableState);
                        streamsProps.put(StreamsConfig.STATE_DIR_CONFIG, dir.path().toAbsolutePath().toString());
                    }
                    Set<String> missing = new TreeSet<>(topics);
                    missing.removeAll(admin.listTopics().names().get(10, TimeUnit.SECONDS));
                    if (!missing.isEmpty()) {
                        detail = "missing topics " + missing + " (created at start when rsynth.kafka.create-topics "
                                + "is true; else create them)";
                        phase = Phase.WAITING_FOR_TOPICS;
                        if (Duration.between(lastWarning, Instant.now()).compareTo(TOPIC_WARN_EVERY) >= 0) {
                            LOG.warnf("bulk jobs wait: %s", detail);
                            lastWarning = Instant.now();
                        }
                        pause(TOPIC_POLL);
                        continue;
                    }
                    started = new KafkaStreams(topology, streamsProps);
                    started.setUncaughtExceptionHandler(e -> {
                        detail = "a jobs stream thread failed (replaced): " + e;
                        LOG.errorf(e, "the jobs topology failed; replacing its thread");
                        return StreamThreadExceptionResponse.REPLACE_THREAD;
                    });
                    started.setStateListener((now, before) -> {
                        synchronized (monitor) {
                            monitor.notifyAll();
                        }
                    });
                    streams = started;
                    started.start();
                    phase = Phase.STREAMING;
                    LOG.infof("bulk jobs: Kafka Streams '%s' started (state in %s)",
                            streamsProps.get(StreamsConfig.APPLICATION_ID_CONFIG), dir.path());
                    synchronized (monitor) {
                        while (!closed && started.state() != KafkaStreams.State.ERROR) {
                            monitor.wait(1_000);
                        }
                    }
                    if (!closed) {
                        throw new IllegalStateException("Kafka Streams ended in ERROR"
                                + (detail == null ? "" : "; last failure: " + detail));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    detail = e.toString();
                    phase = Phase.RESTARTING;
                    LOG.errorf(e, "bulk jobs: Kafka Streams failed; a new one starts in %d s (the task service "
                            + "runs on)", RESTART_SECONDS);
                    stop(started);
                    started = null;
                    pause(Duration.ofSeconds(RESTART_SECONDS));
                } finally {
                    if (closed) {
                        stop(started);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            detail = e.toString();
            phase = Phase.RESTARTING;
            LOG.errorf(e, "bulk jobs: the supervisor stopped; jobs do not run on this instance");
        } finally {
            stop(streams);
            if (dir != null) {
                dir.close();
            }
            phase = Phase.CLOSED;
        }
    }

    private void stop(KafkaStreams s) {
        if (s != null) {
            s.close(Duration.ofSeconds(10));
            if (streams == s) {
                streams = null;
            }
        }
    }

    private void pause(Duration d) throws InterruptedException {
        synchronized (monitor) {
            if (!closed) {
                monitor.wait(d.toMillis());
            }
        }
    }

    /** The job's latest status (job-status.v1 JSON) from this instance's copy of the status topic. */
    public Optional<byte[]> status(String id) {
        requireNonNull(id, "id is null");
        KafkaStreams s = streams;
        if (s == null) {
            throw new IllegalStateException("the job status store is not ready (" + phase
                    + (detail == null ? "" : ": " + detail) + ")");
        }
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = s.store(StoreQueryParameters.fromNameAndType(
                    JobTopology.STATUS, QueryableStoreTypes.keyValueStore()));
            return Optional.ofNullable(store.get(id));
        } catch (InvalidStateStoreException e) {
            throw new IllegalStateException("the job status store is not ready (" + s.state() + ")", e);
        }
    }

    public Health health() {
        KafkaStreams s = streams;
        return new Health(phase, Optional.ofNullable(s).map(KafkaStreams::state), Optional.ofNullable(detail));
    }

    @Override
    public void close() {
        closed = true;
        synchronized (monitor) {
            monitor.notifyAll();
        }
        try {
            supervisor.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
