package dev.robustsynth.engine.optim;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.pgd.PixelTerms;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.PixelAnchor;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisSpec;
import dev.robustsynth.spi.TaskException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@link SynthesisSpec} against a model and turns it into {@link ItemPlan}s. Runs on the caller's
 * thread, so a spec that does not fit fails its own call with a {@link TaskException} naming the item and the
 * value, and never reaches the scheduler.
 *
 * @param maxSteps largest step count accepted
 * @param maxItems largest number of items in one synthesis
 */
public record SpecPlanner(int maxSteps, int maxItems) {

    public SpecPlanner {
        if (maxSteps <= 0 || maxItems <= 0) {
            throw new IllegalArgumentException("maxSteps and maxItems must be positive, got " + maxSteps + ", "
                    + maxItems);
        }
    }

    public List<ItemPlan> plan(SynthesisSpec spec, ModelInfo model) throws TaskException {
        requireNonNull(spec, "spec is null");
        requireNonNull(model, "model is null");
        if (spec.rule().steps() > maxSteps) {
            throw invalid("steps " + spec.rule().steps() + " exceed the limit of " + maxSteps);
        }
        if (spec.items().size() > maxItems) {
            throw invalid("a synthesis may hold at most " + maxItems + " items, got " + spec.items().size());
        }
        List<ItemPlan> plans = new ArrayList<>(spec.items().size());
        for (int i = 0; i < spec.items().size(); i++) {
            plans.add(planItem(i, spec.items().get(i), model));
        }
        return plans;
    }

    private static ItemPlan planItem(int index, SynthesisItem item, ModelInfo model) throws TaskException {
        String where = "item " + index + ": ";
        requireShape(where + "start image", item.start(), model);
        requireShape(where + "centre image", item.centre(), model);
        if (item.anchor().isPresent()) {
            PixelAnchor anchor = item.anchor().get();
            requireShape(where + "anchor reference", anchor.reference(), model);
            if (!Float.isFinite((float) anchor.lambda())) {
                throw invalid(where + "anchor lambda " + anchor.lambda() + " overflows a float");
            }
        }
        if (item.stopAtProbability().isPresent() && item.objective().target().isEmpty()) {
            throw invalid(where + "early stop needs a target class");
        }
        Objective objective = item.objective();
        int k = model.numClasses();
        float[] target = new float[k];
        float ceWeight = 0f;
        if (objective.target().isPresent()) {
            target = objective.target().get();
            requireLength(where + "target", target, k, "the model's " + k + " classes");
            requireFinite(where + "target", target);
            for (int i = 0; i < k; i++) {
                if (target[i] < 0) {
                    throw invalid(where + "target[" + i + "] is " + target[i] + "; a soft label is non-negative");
                }
            }
            ceWeight = objective.ceWeight();
        }
        float[] logitWeights = objective.logitWeights().orElse(new float[k]);
        requireLength(where + "logit weights", logitWeights, k, "the model's " + k + " classes");
        requireFinite(where + "logit weights", logitWeights);
        List<LayerInfo> graphLayers = Layers.graphLayers(model);
        float[][] activationWeights = new float[graphLayers.size()][];
        for (Map.Entry<String, float[]> e : objective.activationWeights().entrySet()) {
            if (e.getKey().equals(Layers.LOGITS) && model.layer(Layers.LOGITS).isPresent()) {
                requireLength(where + "weights of layer 'logits'", e.getValue(), k, "the model's " + k + " classes");
                requireFinite(where + "weights of layer 'logits'", e.getValue());
                logitWeights = logitWeights.clone();
                for (int i = 0; i < k; i++) {
                    logitWeights[i] += e.getValue()[i];
                }
                continue;
            }
            int layer = layerIndex(graphLayers, e.getKey());
            if (layer < 0) {
                throw new TaskException(ErrorCode.MODEL_UNSUPPORTED, where + "layer '" + e.getKey()
                        + "' is not exposed by model " + model.name() + "; exposed: "
                        + String.join(", ", model.layers().stream().map(LayerInfo::name).toList()));
            }
            LayerInfo info = graphLayers.get(layer);
            requireLength(where + "weights of layer '" + info.name() + "'", e.getValue(), info.size(),
                    "the layer's " + info.size() + " values");
            requireFinite(where + "weights of layer '" + info.name() + "'", e.getValue());
            activationWeights[layer] = e.getValue();
        }
        int stopClass = item.stopAtProbability().isPresent() ? item.stopClass() : -1;
        return new ItemPlan(PixelTerms.of(item), stopClass, target, ceWeight, logitWeights, activationWeights);
    }

    private static int layerIndex(List<LayerInfo> layers, String name) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static void requireShape(String what, Image image, ModelInfo model) throws TaskException {
        if (!model.fits(image)) {
            throw new TaskException(ErrorCode.INVALID_IMAGE, what + " is " + image.shape() + "; model "
                    + model.name() + " expects " + model.inputShape());
        }
    }

    private static void requireLength(String what, float[] values, int expected, String why) throws TaskException {
        if (values.length != expected) {
            throw invalid(what + " has " + values.length + " values; expected " + expected + " for " + why);
        }
    }

    private static void requireFinite(String what, float[] values) throws TaskException {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw invalid(what + "[" + i + "] is " + values[i] + "; values must be finite");
            }
        }
    }

    private static TaskException invalid(String message) {
        return new TaskException(ErrorCode.INVALID_PARAMETERS, message);
    }
}
