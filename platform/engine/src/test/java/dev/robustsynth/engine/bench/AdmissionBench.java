package dev.robustsynth.engine.bench;

import dev.robustsynth.engine.Engine;
import dev.robustsynth.engine.EngineConfig;
import dev.robustsynth.engine.TaskControl;
import dev.robustsynth.engine.schedule.SchedulerStats;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.SeedSampler;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Weighted-admission micro-benchmark on one model (default models/fashion-robust-l2): tick time per batch size, then
 * the wall time of a one-image interactive synthesis idle and while a bulk synthesis (priority -10) keeps the
 * scheduler busy, for several {@code bulkRowsWhileInteractive} values. Prints the during/idle ratios.
 *
 * <p>Arguments: {@code [model directory] [interactive steps] [repetitions] [bulk rows...]}.
 */
public final class AdmissionBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "models/fashion-robust-l2");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        int[] shares = args.length > 3 ? Arrays.stream(args, 3, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 2, 4, 8, 32};
        System.out.printf(Locale.ROOT, "model %s, interactive synthesis of %d steps, %d repetitions%n", dir, steps,
                reps);
        boolean first = true;
        for (int share : shares) {
            EngineConfig config = EngineConfig.builder().modelsDir(Path.of("/nonexistent")).extraDirs(List.of(dir))
                    .maxBatch(32).bulkRowsWhileInteractive(share).build();
            try (Engine engine = Engine.start(config)) {
                String name = engine.modelNames().iterator().next();
                if (first) {
                    tickTimes(engine, name);
                    first = false;
                }
                ratio(engine, name, share, steps, reps);
            }
        }
    }

    static void tickTimes(Engine engine, String name) throws Exception {
        ModelFacade facade = engine.facade(name, TaskControl.none());
        StringBuilder line = new StringBuilder("tick time (ms) by batch:");
        for (int b : new int[] {1, 2, 4, 5, 8, 16, 32}) {
            facade.synthesize(spec(facade.info(), facade.seeds().orElseThrow(), 1, b, 5));
            SchedulerStats before = engine.schedulerStats(name).orElseThrow();
            facade.synthesize(spec(facade.info(), facade.seeds().orElseThrow(), 2, b, 100));
            SchedulerStats d = engine.schedulerStats(name).orElseThrow().since(before);
            line.append(String.format(Locale.ROOT, " %d: %.2f", b, d.tickNanos() / 1e6 / d.ticks()));
        }
        System.out.println(line);
    }

    static void ratio(Engine engine, String name, int share, int steps, int reps) throws Exception {
        ModelFacade interactive = engine.facade(name, TaskControl.none());
        AtomicBoolean stop = new AtomicBoolean();
        ModelFacade bulk = engine.facade(name, new TaskControl(stop::get, Optional.empty(), p -> { }, false, -10));
        ModelInfo info = interactive.info();
        SeedSampler seeds = interactive.seeds().orElseThrow();
        long[] idle = new long[reps];
        long[] busy = new long[reps];
        long bulkSteps = 0;
        long seconds = 0;
        for (int r = 0; r < reps; r++) {
            idle[r] = timed(interactive, spec(info, seeds, 100 + r, 1, steps));
            stop.set(false);
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                try {
                    bulk.synthesize(spec(info, seeds, 7, 256, 10_000));
                } catch (Exception e) {
                    // cancelled at the end of the repetition
                }
            });
            while (engine.schedulerStats(name).orElseThrow().liveBulkItems() == 0) {
                Thread.sleep(5);
            }
            Thread.sleep(200);
            SchedulerStats before = engine.schedulerStats(name).orElseThrow();
            busy[r] = timed(interactive, spec(info, seeds, 100 + r, 1, steps));
            SchedulerStats d = engine.schedulerStats(name).orElseThrow().since(before);
            bulkSteps += d.bulkImageSteps();
            seconds += busy[r];
            stop.set(true);
            load.join();
        }
        Arrays.sort(idle);
        Arrays.sort(busy);
        System.out.printf(Locale.ROOT, "bulk rows while interactive %2d: interactive %d steps idle median %.1f ms,"
                        + " during bulk median %.1f ms, ratio %.2f (max %.1f ms); bulk image-steps/s meanwhile %.0f%n",
                share, steps, idle[reps / 2] / 1e6, busy[reps / 2] / 1e6, (double) busy[reps / 2] / idle[reps / 2],
                busy[reps - 1] / 1e6, bulkSteps / (seconds / 1e9));
    }

    static long timed(ModelFacade facade, SynthesisSpec spec) throws Exception {
        long start = System.nanoTime();
        facade.synthesize(spec);
        return System.nanoTime() - start;
    }

    static SynthesisSpec spec(ModelInfo info, SeedSampler seeds, long seed, int items, int steps) {
        SplittableRandom random = new SplittableRandom(seed);
        List<SynthesisItem> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            int k = (int) Math.floorMod(seed + i, info.numClasses());
            list.add(SynthesisItem.of(seeds.sample(k, random), Objective.towardClass(k, info.numClasses())));
        }
        return new SynthesisSpec(list, new StepRule(Norm.L2, info.defaults().eps(), info.defaults().stepSize(), steps,
                false), 0, "generate");
    }
}
