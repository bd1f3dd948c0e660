package dev.robustsynth.plugins.support;

import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisDefaults;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PGD settings one request runs with, after defaults: L2 ball of radius {@code eps}, normalised steps of
 * {@code stepSize}, {@code steps} iterations, optionally returning the best iterate.
 */
public record StepSettings(double eps, double stepSize, int steps, boolean keepBest) {
    public static final String EPS = "eps";
    public static final String STEP_SIZE = "stepSize";
    public static final String STEPS = "steps";
    public static final String KEEP_BEST = "keepBest";

    /**
     * Reads {@code eps}, {@code stepSize}, {@code steps} and {@code keepBest} from the request; what is left out
     * comes from the model's defaults scaled by the task's tuning (steps capped at the configured maximum).
     *
     * @throws InvalidParametersException for eps or step size ≤ 0, negative steps, or more steps than allowed
     */
    public static StepSettings resolve(Parameters params, ModelInfo model, TaskTuning tuning)
            throws InvalidParametersException {
        SynthesisDefaults defaults = model.defaults();
        double eps = params.number(EPS, defaults.eps() * tuning.epsScale());
        if (!(eps > 0)) {
            throw new InvalidParametersException("parameter 'eps' is " + eps
                    + "; expected a number > 0 (the L2 radius around the start image)");
        }
        double stepSize = params.number(STEP_SIZE, defaults.stepSize());
        if (!(stepSize > 0)) {
            throw new InvalidParametersException("parameter 'stepSize' is " + stepSize + "; expected a number > 0");
        }
        int defaultSteps = (int) Math.min(tuning.maxSteps(), Math.max(1, Math.round(defaults.steps() * tuning.stepsScale())));
        int steps = params.integer(STEPS, defaultSteps);
        if (steps < 0) {
            throw new InvalidParametersException("parameter 'steps' is " + steps + "; expected an integer ≥ 0");
        }
        if (steps > tuning.maxSteps()) {
            throw new InvalidParametersException("parameter 'steps' is " + steps + "; at most " + tuning.maxSteps()
                    + " are allowed (configuration key " + TaskTuning.MAX_STEPS + ")");
        }
        return new StepSettings(eps, stepSize, steps, params.bool(KEEP_BEST, false));
    }

    public StepRule rule() {
        return new StepRule(Norm.L2, eps, stepSize, steps, keepBest);
    }

    /** The settings as task metadata. */
    public Map<String, Object> metadata() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("norm", "L2");
        out.put(EPS, eps);
        out.put(STEP_SIZE, stepSize);
        out.put(STEPS, steps);
        out.put(KEEP_BEST, keepBest);
        return out;
    }
}
