package dev.robustsynth.service.jobs;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jboss.logging.Logger;

/**
 * The bulk-jobs {@link JobTopology} in a plain {@link KafkaStreams} instance owned by the service (started with the
 * assembly, closed before it), exactly_once_v2. Every instance of a group shares the application id, so the jobs'
 * partitions are split between them and move on a failure, with their stores restored from the changelogs.
 */
public final class JobService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobService.class);

    private final KafkaStreams streams;

    /**
     * @param kafka       the service's kafka.* client settings (bootstrap servers included)
     * @param application the Streams application id (shared by the group's instances)
     * @param stateDir    this instance's own state directory
     */
    public JobService(Properties kafka, String application, java.nio.file.Path stateDir, Optional<Short> replication,
                      JobTopology.Settings settings, JobValidator validator) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.remove("client.id");
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, application);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication.orElse((short) -1));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        p.put(StreamsConfig.producerPrefix("max.request.size"), 16 * 1024 * 1024);
        kafka.stringPropertyNames().stream().filter(k -> k.startsWith("session.timeout.ms")).forEach(k ->
                p.put(StreamsConfig.consumerPrefix(k), kafka.getProperty(k)));
        this.streams = new KafkaStreams(JobTopology.build(settings, validator, Instant::now), p);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.errorf(e, "the jobs topology failed; replacing its thread");
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
        LOG.infof("bulk jobs: Kafka Streams '%s' started (state in %s)", application, stateDir);
    }

    /** The job's latest status (job-status.v1 JSON) from this instance's copy of the status topic. */
    public Optional<byte[]> status(String id) {
        requireNonNull(id, "id is null");
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    JobTopology.STATUS, QueryableStoreTypes.keyValueStore()));
            return Optional.ofNullable(store.get(id));
        } catch (InvalidStateStoreException e) {
            throw new IllegalStateException("the job status store is not ready (" + streams.state() + ")", e);
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(10));
    }
}
