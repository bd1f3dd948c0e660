package dev.robustsynth.plugins.support;

import dev.robustsynth.spi.ConfigKey;
import dev.robustsynth.spi.PluginConfig;
import java.util.List;

/**
 * The operator's settings every task plugin declares: a ceiling on steps, how the task scales the model's
 * synthesis defaults, and how often progress is reported.
 *
 * @param maxSteps      requests asking for more steps are rejected ({@code max-steps})
 * @param epsScale      default eps = model default eps × this ({@code eps-scale})
 * @param stepsScale    default steps = model default steps × this, rounded ({@code steps-scale})
 * @param progressEvery progress events every this many steps, 0 = only at the end ({@code progress-every})
 */
public record TaskTuning(int maxSteps, double epsScale, double stepsScale, int progressEvery) {
    public static final String MAX_STEPS = "max-steps";
    public static final String EPS_SCALE = "eps-scale";
    public static final String STEPS_SCALE = "steps-scale";
    public static final String PROGRESS_EVERY = "progress-every";
    public static final int DEFAULT_MAX_STEPS = 1000;

    public TaskTuning {
        if (maxSteps < 1 || !(epsScale > 0) || !(stepsScale > 0) || progressEvery < 0) {
            throw new IllegalArgumentException("invalid tuning " + maxSteps + ", " + epsScale + ", " + stepsScale
                    + ", " + progressEvery);
        }
    }

    /** The declared keys, with this task's default scales. */
    public static List<ConfigKey> keys(double defaultEpsScale, double defaultStepsScale) {
        return List.of(
                ConfigKey.intRange(MAX_STEPS, DEFAULT_MAX_STEPS, 1, 1_000_000,
                        "the most PGD steps one request may ask for; more is rejected before any work"),
                ConfigKey.doubleRange(EPS_SCALE, defaultEpsScale, 0.001, 1000.0,
                        "default eps of this task as a multiple of the model's synthesis default eps"),
                ConfigKey.doubleRange(STEPS_SCALE, defaultStepsScale, 0.001, 1000.0,
                        "default steps of this task as a multiple of the model's synthesis default steps"),
                ConfigKey.intRange(PROGRESS_EVERY, 10, 0, 1_000_000,
                        "report synthesis progress every this many steps (0: only at the end)"));
    }

    /** Reads the keys declared by {@link #keys} from a validated configuration. */
    public static TaskTuning from(PluginConfig config) {
        return new TaskTuning(config.integer(MAX_STEPS), config.number(EPS_SCALE), config.number(STEPS_SCALE),
                config.integer(PROGRESS_EVERY));
    }
}
