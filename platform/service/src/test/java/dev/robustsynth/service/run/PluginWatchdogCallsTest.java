package dev.robustsynth.service.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.pluginhost.HostedFactory;
import dev.robustsynth.pluginhost.PluginSource;
import dev.robustsynth.service.intake.FailureCode;
import dev.robustsynth.service.intake.RecordRef;
import dev.robustsynth.service.intake.TaskEnvelope;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.SynthesisDefaults;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.TaskDescriptor;
import dev.robustsynth.spi.TaskFactory;
import dev.robustsynth.spi.TaskRequest;
import dev.robustsynth.spi.TaskResult;
import dev.robustsynth.spi.ValidationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's calls on real threads, with a 300 ms task timeout and a 200 ms stop grace: what each kind of
 * plugin code (ends, hangs until interrupted, ignores every stop, throws an Error) gets, and how the abandoned count
 * moves.
 */
class PluginWatchdogCallsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration GRACE = Duration.ofMillis(200);
    private static final ModelInfo MODEL = new ModelInfo("m", "0".repeat(64), List.of("a", "b"), 1, 4, 4, List.of(),
            Optional.empty(), new SynthesisDefaults(1, 1, 1));

    private final PluginWatchdog watchdog = new PluginWatchdog(new PluginWatchdog.Limits(TIMEOUT, GRACE, 1));

    @Test
    void aTaskThatEndsKeepsItsOwnOutcome() {
        RunOutcome outcome = watchdog.run(handle("fine"), Instant.now(), () -> 7, () -> success());
        assertTrue(outcome.succeeded(), outcome.message());
        assertEquals(0, watchdog.watched());
    }

    @Test
    void aTaskPastItsTimeoutIsToldToStopInterruptedAndFailsWithPluginTimeoutWithoutBeingAbandoned() {
        TaskHandle handle = handle("hangs");
        long started = System.nanoTime();
        RunOutcome outcome = watchdog.run(handle, Instant.now(), () -> 5, () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                return RunOutcome.failure(FailureCode.UNAVAILABLE, "interrupted", e, Instant.now(), 0);
            }
            return success();
        });
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(Optional.of(FailureCode.PLUGIN_TIMEOUT), outcome.code(), outcome.message());
        assertTrue(outcome.message().contains("rsynth.task-timeout") && outcome.message().endsWith("it was stopped"),
                outcome.message());
        assertTrue(millis >= TIMEOUT.toMillis() && millis < TIMEOUT.plus(GRACE).toMillis() + 1_000, millis + " ms");
        assertTrue(handle.givenUp() && handle.stopRequested(), "the task was told to stop");
        assertEquals(5, outcome.steps(), "the steps it made count in the watchdog's outcome");
        assertEquals(0, watchdog.abandoned());
    }

    @Test
    void aCancelledTaskThatStopsKeepsItsOwnOutcome() {
        TaskHandle handle = handle("stops");
        handle.requestCancel();
        RunOutcome outcome = watchdog.run(handle, Instant.now(), () -> 0, () -> {
            sleepUntil(handle::stopRequested);
            return RunOutcome.failure(FailureCode.CANCELLED, "cancelled", null, Instant.now(), 0);
        });
        assertEquals(Optional.of(FailureCode.CANCELLED), outcome.code(), outcome.message());
        assertFalse(handle.givenUp());
        assertEquals(0, watchdog.abandoned());
    }

    @Test
    void aCancelledTaskDeafToTheStopIsAbandonedAfterTheGraceAndWhatItReturnsLaterIsDiscarded() throws Exception {
        TaskHandle handle = handle("deaf");
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> returned = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> {
            sleepUntil(() -> watchdog.watched() == 1);
            handle.requestCancel();
        });
        RunOutcome outcome = watchdog.run(handle, Instant.now(), () -> 3, () -> {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // deaf on purpose
                }
            }
            returned.complete(null);
            return success();
        });
        assertEquals(Optional.of(FailureCode.PLUGIN_TIMEOUT), outcome.code(), outcome.message());
        assertTrue(outcome.message().contains("was cancelled and did not stop within PT0.2S"), outcome.message());
        assertEquals(1, watchdog.abandoned());
        assertEquals(1, watchdog.abandonedTotal());
        assertFalse(watchdog.overLimit(), "one abandoned thread is allowed");
        assertTrue(handle.givenUp(), "its progress is dropped from now on");

        release.countDown();
        returned.get(10, TimeUnit.SECONDS);
        sleepUntil(() -> watchdog.abandoned() == 0);
        assertEquals(0, watchdog.abandoned(), "the count goes down when the thread ends");
        assertEquals(1, watchdog.abandonedTotal());
    }

    @Test
    void aSecondAbandonedThreadIsOverTheLimit() {
        AtomicBoolean stop = new AtomicBoolean();
        try {
            for (int i = 1; i <= 2; i++) {
                RunOutcome outcome = watchdog.run(handle("spin-" + i), Instant.now(), () -> 0, () -> {
                    while (!stop.get()) {
                        Thread.onSpinWait();
                    }
                    return success();
                });
                assertEquals(Optional.of(FailureCode.PLUGIN_TIMEOUT), outcome.code(), outcome.message());
                assertTrue(outcome.message().contains("its thread is abandoned"), outcome.message());
                assertEquals(i > 1, watchdog.overLimit(), i + " abandoned");
            }
        } finally {
            stop.set(true);
        }
        sleepUntil(() -> watchdog.abandoned() == 0);
        assertFalse(watchdog.overLimit());
    }

    @Test
    void anErrorInValidateReachesTheCaller() {
        HostedFactory factory = factory(() -> {
            throw new StackOverflowError("deep");
        });
        StackOverflowError error = assertThrows(StackOverflowError.class,
                () -> watchdog.validate(factory, context("overflows")));
        assertEquals("deep", error.getMessage());
    }

    @Test
    void anInterruptedValidateDeafToTheInterruptIsAbandonedAfterTheGrace() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HostedFactory factory = factory(() -> {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // deaf on purpose
                }
            }
        });
        CompletableFuture<Throwable> caller = new CompletableFuture<>();
        Thread intake = Thread.ofVirtual().start(() -> {
            try {
                watchdog.validate(factory, context("deaf-validate"));
                caller.complete(null);
            } catch (Throwable t) {
                caller.complete(t);
            }
        });
        sleepUntil(() -> watchdog.watched() == 1);
        intake.interrupt();
        assertInstanceOf(InterruptedException.class, caller.get(10, TimeUnit.SECONDS));
        sleepUntil(() -> watchdog.abandoned() == 1);
        assertEquals(1, watchdog.abandoned(), "abandoned after the grace");
        release.countDown();
        sleepUntil(() -> watchdog.abandoned() == 0);
        assertEquals(0, watchdog.abandoned());
    }

    private static RunOutcome success() {
        return RunOutcome.success(new TaskResult(List.of(), Map.of()), Instant.now(), 0);
    }

    private static void sleepUntil(BooleanSupplier condition) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static HostedFactory factory(Runnable inValidate) {
        TaskFactory<TaskRequest> factory = new TaskFactory<>() {
            @Override
            public TaskDescriptor descriptor() {
                return new TaskDescriptor("probe", "1.0.0", "watchdog probe", "{\"type\": \"object\"}", Set.of(),
                        List.of("image/png"));
            }

            @Override
            public TaskRequest validate(ValidationContext context) {
                inValidate.run();
                return context.request();
            }

            @Override
            public SynthesisTask create(TaskRequest plan) {
                return context -> new TaskResult(List.of(), Map.of());
            }
        };
        return new HostedFactory(factory.descriptor(), factory, "probe-plugin", "2.0",
                PluginSource.classPath(PluginWatchdogCallsTest.class.getClassLoader()));
    }

    private static ValidationContext context(String id) {
        return new ValidationContext(new TaskRequest(id, "probe", MODEL.name(), Parameters.empty(), 1,
                Optional.empty()), MODEL, Map.of());
    }

    private TaskHandle handle(String id) {
        try {
            ValidationContext context = context(id);
            TaskEnvelope envelope = new TaskEnvelope(context.request(), MODEL,
                    factory(() -> { }).prepare(context), Json.object(), 0, Instant.now(),
                    new RecordRef("rsynth.tasks", 0, 0));
            return new TaskHandle(envelope, new ConsumerRecord<>("rsynth.tasks", 0, 0, new byte[0], new byte[0]),
                    outcome -> { });
        } catch (InvalidParametersException e) {
            throw new IllegalStateException(e);
        }
    }
}
