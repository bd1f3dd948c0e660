package dev.robustsynth.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.engine.optim.SpecPlanner;
import dev.robustsynth.engine.testing.Specs;
import dev.robustsynth.engine.testing.TinyLinearModel;
import dev.robustsynth.engine.testing.TinyRuntime;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ItemOutcome;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Progress;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisOutcome;
import dev.robustsynth.spi.SynthesisSpec;
import dev.robustsynth.spi.TaskException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class StepSchedulerTest {
    private static final int C = 3;
    private static final int H = 6;
    private static final int W = 5;
    private static final int K = 4;

    private TinyRuntime runtime;
    private CountingBackend backend;
    private StepScheduler scheduler;

    @BeforeEach
    void start() throws Exception {
        runtime = new TinyRuntime(new TinyLinearModel(C, H, W, K, 7), 4);
        backend = new CountingBackend(runtime.backend);
        scheduler = new StepScheduler("tiny", backend, new SpecPlanner(1_000_000, 64));
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.close();
        runtime.close();
    }

    static JobRequest request(SynthesisSpec spec) {
        return new JobRequest(spec, () -> false, Optional.empty(), p -> { }, false);
    }

    SynthesisSpec spec(long seed, int items, int steps) {
        return Specs.toward(C, H, W, K, seed, items, Specs.l2(1.5, 0.2, steps), 0);
    }

    @Test
    void resultDoesNotDependOnWhatSharesTheBatch() throws Exception {
        SynthesisOutcome alone = scheduler.synthesize(request(spec(100, 1, 40)));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<SynthesisOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                long seed = i == 7 ? 100 : 200 + 3 * i;
                futures.add(pool.submit(() -> scheduler.synthesize(request(spec(seed, 1, 40)))));
            }
            SynthesisOutcome batched = futures.get(7).get();
            assertEquals(alone.images(), batched.images(), "bit-identical images alone and among 16 (batch 4)");
            assertEquals(alone.items().get(0).finalLoss(), batched.items().get(0).finalLoss());
            for (Future<SynthesisOutcome> f : futures) {
                assertEquals(40, f.get().stepsRun());
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(backend.maxBatch > 1, "the runs really were batched");
    }

    @Test
    void aSynthesisWithMoreItemsThanTheBatchRotatesAndMatchesItsItemsAlone() throws Exception {
        SynthesisOutcome ten = scheduler.synthesize(request(spec(300, 10, 15)));
        for (int i = 0; i < 10; i += 3) {
            SynthesisOutcome one = scheduler.synthesize(request(spec(300 + i, 1, 15)));
            assertEquals(one.images().get(0), ten.images().get(i), "item " + i);
        }
        assertTrue(ten.tickCount() > 16, "10 items on batch 4 need more ticks than steps: " + ten.tickCount());
    }

    @Test
    void workSubmittedMidwayJoinsTheRunningTicks() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        SynthesisSpec longSpec = Specs.toward(C, H, W, K, 1, 1, Specs.l2(1.5, 0.01, 1_000_000), 0);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<SynthesisOutcome> running = pool.submit(() -> scheduler.synthesize(
                    new JobRequest(longSpec, stop::get, Optional.empty(), p -> { }, false)));
            while (scheduler.stats().ticks() < 20) {
                Thread.sleep(1);
            }
            SchedulerStats before = scheduler.stats();
            SynthesisOutcome joined = scheduler.synthesize(request(spec(8, 2, 10)));
            SchedulerStats during = scheduler.stats().since(before);
            assertFalse(running.isDone(), "the long synthesis is still running");
            assertEquals(11, joined.tickCount(), "10 steps and the final evaluation, no waiting");
            assertTrue(during.imageSteps() >= 3 * 11 - 2, "it shared ticks with the running one: " + during);
            assertEquals(scheduler.synthesize(request(spec(8, 2, 10))).images(), joined.images());
            stop.set(true);
            assertEquals(ErrorCode.CANCELLED, ((TaskException) assertThrows(Exception.class, running::get)
                    .getCause()).code());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void targetProbabilityRisesAndLossFalls() throws Exception {
        SynthesisOutcome out = scheduler.synthesize(request(spec(5, 3, 30)));
        for (ItemOutcome item : out.items()) {
            assertTrue(item.finalLoss() < item.startLoss() - 0.1, item.startLoss() + " → " + item.finalLoss());
            assertTrue(item.l2FromCentre() <= 1.5 + 1e-5, "inside the ball: " + item.l2FromCentre());
        }
    }

    @Test
    void keepBestReturnsTheLowestLossIterate() throws Exception {
        // A huge step overshoots and oscillates; the best iterate is then not the last.
        StepRule rule = new StepRule(Norm.LINF, 1.0, 0.6, 12, true);
        SynthesisOutcome best = scheduler.synthesize(request(Specs.toward(C, H, W, K, 9, 1, rule, 0)));
        StepRule last = new StepRule(Norm.LINF, 1.0, 0.6, 12, false);
        SynthesisOutcome plain = scheduler.synthesize(request(Specs.toward(C, H, W, K, 9, 1, last, 0)));
        assertTrue(best.items().get(0).finalLoss() <= plain.items().get(0).finalLoss());
        assertTrue(best.items().get(0).finalLoss() <= best.items().get(0).startLoss());
    }

    @Test
    void zeroStepsReturnsTheStartAndItsLoss() throws Exception {
        SynthesisSpec spec = spec(11, 2, 0);
        SynthesisOutcome out = scheduler.synthesize(request(spec));
        assertEquals(spec.items().get(0).start(), out.images().get(0));
        assertEquals(out.items().get(0).startLoss(), out.items().get(0).finalLoss());
        assertEquals(1, out.tickCount());
    }

    @Test
    void progressArrivesEveryKStepsWithPreviews() throws Exception {
        List<Progress> events = new CopyOnWriteArrayList<>();
        SynthesisSpec spec = Specs.toward(C, H, W, K, 3, 2, Specs.l2(1.5, 0.2, 25), 10);
        scheduler.synthesize(new JobRequest(spec, () -> false, Optional.empty(), events::add, true));
        assertEquals(List.of(10, 20, 25), events.stream().map(Progress::step).toList());
        Progress first = events.get(0);
        assertEquals(25, first.totalSteps());
        assertEquals(2, first.previews().size());
        assertTrue(first.metrics().containsKey("meanLoss"));
    }

    @Test
    void cancellingStopsWithinOneTickAndFreesTheSlot() throws Exception {
        AtomicBoolean cancel = new AtomicBoolean();
        AtomicLong ticksAtCancel = new AtomicLong(-1);
        SynthesisSpec spec = Specs.toward(C, H, W, K, 1, 1, Specs.l2(1.5, 0.01, 1_000_000), 1);
        JobRequest request = new JobRequest(spec, cancel::get, Optional.empty(), p -> {
            if (p.step() == 50) {
                ticksAtCancel.set(backend.runs.get());
                cancel.set(true);
            }
        }, false);
        TaskException e = assertThrows(TaskException.class, () -> scheduler.synthesize(request));
        assertEquals(ErrorCode.CANCELLED, e.code());
        waitIdle();
        assertTrue(backend.runs.get() - ticksAtCancel.get() <= 1,
                "ticks after cancelling: " + (backend.runs.get() - ticksAtCancel.get()));
        assertEquals(0, scheduler.stats().liveItems());
        assertEquals(20, scheduler.synthesize(request(spec(2, 1, 20))).stepsRun(), "the scheduler still serves");
    }

    @Test
    void aSynthesisPastItsDeadlineEndsWithDeadlineExceeded() throws Exception {
        SynthesisSpec spec = Specs.toward(C, H, W, K, 1, 2, Specs.l2(1.5, 0.01, 1_000_000), 0);
        Instant deadline = Instant.now().plusMillis(150);
        long start = System.nanoTime();
        TaskException e = assertThrows(TaskException.class, () -> scheduler.synthesize(
                new JobRequest(spec, () -> false, Optional.of(deadline), p -> { }, false)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
        assertTrue(millis >= 140 && millis < 1000, "ended after " + millis + " ms");
        waitIdle();
        assertEquals(0, scheduler.stats().liveItems());
        Instant past = Instant.now().minusSeconds(1);
        TaskException late = assertThrows(TaskException.class, () -> scheduler.synthesize(
                new JobRequest(spec(1, 1, 5), () -> false, Optional.of(past), p -> { }, false)));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, late.code());
    }

    @Test
    void aFailingGraphEvaluationFailsThatTickOnly() throws Exception {
        backend.failNext.set(true);
        TaskException e = assertThrows(TaskException.class, () -> scheduler.synthesize(request(spec(1, 1, 5))));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("injected"), e.getMessage());
        assertEquals(5, scheduler.synthesize(request(spec(1, 1, 5))).stepsRun());
    }

    @Test
    void aThrowingProgressSinkOrCancelCheckDoesNotKillTheScheduler() throws Exception {
        SynthesisSpec spec = Specs.toward(C, H, W, K, 1, 1, Specs.l2(1.5, 0.1, 6), 2);
        SynthesisOutcome out = scheduler.synthesize(new JobRequest(spec, () -> false, Optional.empty(), p -> {
            throw new IllegalStateException("sink bug");
        }, false));
        assertEquals(6, out.stepsRun());
        TaskException e = assertThrows(TaskException.class, () -> scheduler.synthesize(new JobRequest(spec, () -> {
            throw new IllegalStateException("cancel-check bug");
        }, Optional.empty(), p -> { }, false)));
        assertEquals(ErrorCode.CANCELLED, e.code());
        assertEquals(6, scheduler.synthesize(request(spec)).stepsRun());
    }

    @Test
    void closingEndsWaitingSynthesesWithUnavailable() throws Exception {
        SynthesisSpec spec = Specs.toward(C, H, W, K, 1, 1, Specs.l2(1.5, 0.01, 1_000_000), 0);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<SynthesisOutcome> f = pool.submit(() -> scheduler.synthesize(request(spec)));
            long until = System.nanoTime() + 5_000_000_000L;
            while (scheduler.stats().ticks() < 3 && System.nanoTime() < until && !f.isDone()) {
                Thread.sleep(1);
            }
            assertFalse(f.isDone(), "the synthesis is still running when the scheduler closes");
            scheduler.close();
            scheduler.close();
            Exception e = assertThrows(Exception.class, f::get);
            TaskException t = (TaskException) e.getCause();
            assertEquals(ErrorCode.UNAVAILABLE, t.code());
            TaskException after = assertThrows(TaskException.class, () -> scheduler.synthesize(request(spec)));
            assertEquals(ErrorCode.UNAVAILABLE, after.code());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void finishedImagesAreValidAndFrozenPixelsAreUntouched() throws Exception {
        Image start = Specs.noise(C, H, W, 77);
        float[] mask = new float[H * W];
        for (int i = 0; i < mask.length; i += 2) {
            mask[i] = 1f;
        }
        var item = dev.robustsynth.spi.SynthesisItem.of(start, dev.robustsynth.spi.Objective.towardClass(2, K))
                .withChangeMask(new Image(1, H, W, mask));
        SynthesisOutcome out = scheduler.synthesize(request(new SynthesisSpec(List.of(item),
                Specs.l2(3, 0.3, 20), 0, "masked")));
        Image result = out.images().get(0);
        assertNotNull(result);
        boolean moved = false;
        for (int c = 0; c < C; c++) {
            for (int i = 0; i < H * W; i++) {
                float a = result.at(c, i / W, i % W);
                float b = start.at(c, i / W, i % W);
                if (mask[i] == 0f) {
                    assertEquals(Float.floatToRawIntBits(b), Float.floatToRawIntBits(a), "frozen value changed");
                } else {
                    moved |= a != b;
                }
            }
        }
        assertTrue(moved, "free values moved");
    }

    void waitIdle() throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (scheduler.stats().liveItems() > 0 && System.nanoTime() < until) {
            Thread.sleep(2);
        }
        Thread.sleep(20);
        assertFalse(scheduler.stats().liveItems() > 0, "scheduler did not go idle");
    }

    static void assertSame(float[] a, float[] b) {
        assertArrayEquals(a, b);
    }
}
