package dev.robustsynth.cli;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The status records of bulk jobs, read from the beginning of the compacted {@code rsynth.jobs.status}
 * ({@link RsynthClient#jobStatuses()}). {@link #latest} catches up to the records committed before the stream
 * opened and gives a job's latest status; {@link #await} then follows newer ones. Opened before a job is submitted,
 * it therefore sees only statuses of that submission after {@code latest} (however fast the service answers).
 * Not thread-safe.
 */
public final class JobStatusStream implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JobStatusStream.class.getName());

    private final TopicScan scan;
    private final Map<String, JobStatus> caughtUp = new java.util.HashMap<>();
    private boolean atEnd;

    JobStatusStream(RsynthClientConfig config) throws RsynthClientException {
        this.scan = new TopicScan(config, config.topics().jobStatus(), Map.of());
    }

    /** The latest status of job {@code id} committed before this stream opened. */
    public Optional<JobStatus> latest(String id) throws RsynthClientException {
        if (!atEnd) {
            scan.readToEnd((key, value) -> decode(key, value).ifPresent(s -> caughtUp.put(key, s)));
            atEnd = true;
        }
        return Optional.ofNullable(caughtUp.get(id));
    }

    /**
     * Follows job {@code id} past {@link #latest}, calling {@code onStatus} for each newer status, until one is
     * terminal. {@code known} is where following starts: {@code latest(id)} to watch a job, empty after submitting
     * one (an older status of a refused job with that id is then no answer). Returns the last status seen: terminal,
     * or not when {@code timeout} passed first; empty when none arrived within {@code startTimeout}.
     */
    public Optional<JobStatus> await(String id, Optional<JobStatus> known, Duration startTimeout, Duration timeout,
                                     Consumer<JobStatus> onStatus) throws RsynthClientException, InterruptedException {
        latest(id);
        long started = System.nanoTime();
        List<JobStatus> seen = new ArrayList<>();
        known.ifPresent(seen::add);
        while (seen.isEmpty() || !seen.getLast().state().terminal()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long elapsed = System.nanoTime() - started;
            if (elapsed > timeout.toNanos() || (seen.isEmpty() && elapsed > startTimeout.toNanos())) {
                break;
            }
            scan.poll(Duration.ofMillis(200), (key, value) -> {
                if (key.equals(id) && (seen.isEmpty() || !seen.getLast().state().terminal())) {
                    decode(key, value).ifPresent(s -> {
                        seen.add(s);
                        onStatus.accept(s);
                    });
                }
            });
        }
        return seen.isEmpty() ? Optional.empty() : Optional.of(seen.getLast());
    }

    private static Optional<JobStatus> decode(String key, byte[] value) {
        if (value == null) {
            return Optional.empty(); // a tombstone
        }
        try {
            return Optional.of(WireFormat.decodeJobStatus(value));
        } catch (MalformedMessageException e) {
            LOG.log(Level.WARNING, "skipping the status record of job {0}: {1}", key, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        scan.close();
    }
}
