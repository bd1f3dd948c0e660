package dev.robustsynth.service.playground;

import dev.robustsynth.cli.OutcomeImage;
import dev.robustsynth.cli.ProgressEvent;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.RsynthClientException;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.cli.TaskTimeoutException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Publishes the page's tasks to Kafka and follows their progress and outcome, with the CLI's {@link RsynthClient}
 * (one per service instance, opened on first use). Whichever instance of the group runs a task, its records come
 * back here through the results and progress topics. Each task's events go to its {@link TaskFeed}.
 */
@ApplicationScoped
public class PlaygroundGateway {
    private static final Logger LOG = Logger.getLogger(PlaygroundGateway.class);
    /** How long a task may run before the gateway gives up on it and cancels it. */
    static final Duration RESULT_WAIT = Duration.ofMinutes(30);
    /** Finished feeds are dropped this long after their outcome. */
    private static final long KEEP_FINISHED_NANOS = Duration.ofMinutes(10).toNanos();
    private static final int MAX_FEEDS = 500;

    @Inject
    PlaygroundKafka kafka;

    private final Map<String, TaskFeed> feeds = new ConcurrentHashMap<>();
    private RsynthClient client;
    private boolean closed;

    private synchronized RsynthClient client() throws RsynthClientException {
        if (closed) {
            throw new RsynthClientException("the playground gateway is closed");
        }
        if (client == null) {
            String bootstrap = kafka.bootstrapServers().orElseThrow(
                    () -> new RsynthClientException("the service has not started its Kafka clients yet"));
            Map<String, String> props;
            try {
                props = kafka.clientProperties();
            } catch (IllegalArgumentException e) {
                throw new RsynthClientException("rsynth.playground.kafka-config: " + e.getMessage(), e);
            }
            client = new RsynthClient(RsynthClientConfig.builder(bootstrap).topics(kafka.topics())
                    .kafkaProperties(props).source("/rsynth/playground").build());
        }
        return client;
    }

    /** Publishes the task and starts following it; returns once the broker has the request. */
    public PlaygroundEvent.Accepted submit(TaskSubmission task) throws RsynthClientException {
        evictFinished();
        if (feeds.size() >= MAX_FEEDS) {
            throw new RsynthClientException("the playground follows " + feeds.size()
                    + " tasks already; try again when some have finished");
        }
        RsynthClient c = client();
        TaskFeed feed = new TaskFeed();
        feeds.put(task.id(), feed);
        PlaygroundEvent.Accepted accepted = new PlaygroundEvent.Accepted(task.id(), task.type(),
                task.model().orElse(null), task.seed().isPresent() ? task.seed().getAsLong() : null);
        try {
            c.submit(task);
        } catch (RsynthClientException e) {
            feeds.remove(task.id());
            throw e;
        }
        feed.publish(accepted);
        Thread.ofVirtual().name("playground-" + task.id()).start(() -> follow(c, task.id(), feed));
        return accepted;
    }

    public Optional<TaskFeed> feed(String id) {
        return Optional.ofNullable(feeds.get(id));
    }

    /** Sends a cancel command for a task this gateway submitted; false for an id it does not know. */
    public boolean cancel(String id) throws RsynthClientException {
        if (!feeds.containsKey(id)) {
            return false;
        }
        client().cancel(id);
        return true;
    }

    private void follow(RsynthClient c, String id, TaskFeed feed) {
        try {
            TaskOutcome outcome = c.awaitResult(id, RESULT_WAIT, p -> feed.publish(progress(p)));
            feed.publish(outcome(outcome));
        } catch (TaskTimeoutException e) {
            try {
                c.cancel(id);
            } catch (RsynthClientException ce) {
                LOG.warnf("cannot cancel playground task %s after its timeout: %s", id, ce.getMessage());
            }
            feed.publish(failure(id, "DEADLINE_EXCEEDED", "no result within " + RESULT_WAIT + "; cancelled"));
        } catch (RsynthClientException e) {
            feed.publish(failure(id, "UNAVAILABLE", e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            feed.publish(failure(id, "UNAVAILABLE", "the gateway stopped following the task"));
        }
    }

    private static PlaygroundEvent.Progress progress(ProgressEvent p) {
        return new PlaygroundEvent.Progress(p.id(), p.stage(), p.step(), p.totalSteps(), p.fraction(), p.metrics(),
                p.previews().stream().filter(OutcomeImage::hasBytes).map(PlaygroundGateway::dataUrl).toList());
    }

    static PlaygroundEvent.Outcome outcome(TaskOutcome o) {
        PlaygroundEvent.Error error = o.error().map(e -> new PlaygroundEvent.Error(e.code(), e.message(), e.stage()))
                .orElse(null);
        return new PlaygroundEvent.Outcome(o.id(), o.type(), o.status().name(), error,
                o.images().stream().map(PlaygroundGateway::image).toList(), o.metadata(), o.provenance());
    }

    private static PlaygroundEvent.OutcomeImage image(OutcomeImage i) {
        return new PlaygroundEvent.OutcomeImage(i.role(), i.index(), i.width(), i.height(), i.channels(),
                i.hasBytes() ? dataUrl(i) : null, i.metadata());
    }

    private static String dataUrl(OutcomeImage i) {
        return "data:" + i.mediaType() + ";base64," + Base64.getEncoder().encodeToString(i.bytes());
    }

    private static PlaygroundEvent.Outcome failure(String id, String code, String message) {
        return new PlaygroundEvent.Outcome(id, "", "FAILED", new PlaygroundEvent.Error(code, message, "gateway"),
                java.util.List.of(), null, null);
    }

    private void evictFinished() {
        feeds.values().removeIf(f -> f.finishedLongerAgoThan(KEEP_FINISHED_NANOS));
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
        }
    }
}
