package dev.robustsynth.service.playground;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one task, kept so that a page subscribing late (or reconnecting) gets all of them, then the rest
 * live; the stream completes after the outcome. At most {@link #MAX_PROGRESS} progress events are kept.
 */
final class TaskFeed {
    static final int MAX_PROGRESS = 1_000;

    private final List<PlaygroundEvent> events = new ArrayList<>();
    private final List<MultiEmitter<? super PlaygroundEvent>> subscribers = new ArrayList<>();
    private int progressKept;
    private boolean finished;
    private long finishedAtNanos;

    synchronized void publish(PlaygroundEvent event) {
        if (finished) {
            return;
        }
        if (event instanceof PlaygroundEvent.Progress && ++progressKept > MAX_PROGRESS) {
            events.removeIf(e -> e instanceof PlaygroundEvent.Progress);
            progressKept = 1;
        }
        events.add(event);
        for (MultiEmitter<? super PlaygroundEvent> s : subscribers) {
            s.emit(event);
        }
        if (event instanceof PlaygroundEvent.Outcome) {
            finished = true;
            finishedAtNanos = System.nanoTime();
            subscribers.forEach(MultiEmitter::complete);
            subscribers.clear();
        }
    }

    /** Every event so far, then the coming ones until the outcome. */
    Multi<PlaygroundEvent> stream() {
        return Multi.createFrom().emitter(emitter -> {
            synchronized (this) {
                events.forEach(emitter::emit);
                if (finished) {
                    emitter.complete();
                    return;
                }
                subscribers.add(emitter);
            }
            emitter.onTermination(() -> {
                synchronized (this) {
                    subscribers.remove(emitter);
                }
            });
        });
    }

    /** Whether the outcome arrived longer ago than {@code nanos}. */
    synchronized boolean finishedLongerAgoThan(long nanos) {
        return finished && System.nanoTime() - finishedAtNanos > nanos;
    }
}
