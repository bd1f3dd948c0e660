package dev.robustsynth.plugins.support;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Prediction;
import dev.robustsynth.spi.ResultImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Result metadata shared by all tasks, as JSON-compatible values. Per image: the target class, its probability
 * before and after, both full probability vectors, the predicted class before and after, steps, L2 distance moved
 * from the start and from the ball's centre, loss before and after. Per task: the task version, the PGD settings
 * actually used and the resolved class names.
 */
public final class Reports {
    public static final String ROLE_RESULT = "result";

    private Reports() {
    }

    /** The per-image metadata of one optimised image (a new, mutable map). */
    public static Map<String, Object> image(ItemReport report, ModelInfo model) {
        Map<String, Object> out = new LinkedHashMap<>();
        report.planned().targetClass().ifPresent(k -> {
            out.put("class", model.classes().get(k));
            out.put("classIndex", k);
            out.put("startProbability", number(report.start().probability(k)));
            out.put("finalProbability", number(report.result().probability(k)));
        });
        out.put("startPredicted", model.classes().get(report.start().topClass()));
        out.put("finalPredicted", model.classes().get(report.result().topClass()));
        out.put("startProbabilities", probabilities(report.start()));
        out.put("finalProbabilities", probabilities(report.result()));
        out.put("steps", report.outcome().steps());
        out.put("stoppedEarly", report.outcome().stoppedEarly());
        putFinite(out, "l2Moved", report.outcome().l2FromStart());
        putFinite(out, "l2FromCentre", report.outcome().l2FromCentre());
        putFinite(out, "startLoss", report.outcome().startLoss());
        putFinite(out, "finalLoss", report.outcome().finalLoss());
        out.putAll(report.planned().metadata());
        return out;
    }

    /** The optimised image of {@code report} with its metadata. */
    public static ResultImage result(String role, ItemReport report, ModelInfo model) {
        return new ResultImage(role, report.outcome().image(), image(report, model));
    }

    /** Another image (a seed, a start image, a mask) with its own metadata. */
    public static ResultImage plain(String role, Image image, Map<String, Object> metadata) {
        return new ResultImage(role, image, metadata);
    }

    /** Task-level metadata (a new, mutable map) that tasks extend with their own facts. */
    public static Map<String, Object> task(String taskVersion, StepSettings settings, List<Integer> classes,
                                           ModelInfo model, int stepsRun) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("taskVersion", taskVersion);
        out.put("model", model.name());
        out.putAll(settings.metadata());
        out.put("stepsRun", stepsRun);
        out.put("classes", ClassParameter.names(classes, model));
        return out;
    }

    /** A probability vector as a list of numbers. */
    public static List<Double> probabilities(Prediction prediction) {
        float[] p = prediction.probabilities();
        List<Double> out = new ArrayList<>(p.length);
        for (float v : p) {
            out.add(number(v));
        }
        return out;
    }

    /** A float as the double its shortest decimal text denotes (0.8f → 0.8, not 0.800000011920929). */
    public static double number(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    /** Puts {@code value} unless it is NaN or infinite (JSON has no such numbers). */
    public static void putFinite(Map<String, Object> map, String key, double value) {
        if (Double.isFinite(value)) {
            map.put(key, value);
        }
    }
}
