package dev.robustsynth.trainer.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.trainer.Preset;
import dev.robustsynth.trainer.model.ArchitectureSpec;
import dev.robustsynth.trainer.train.AttackConfig;
import dev.robustsynth.trainer.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The {@code model.json} model card of docs/MODEL-FORMAT.md (format version 1).
 *
 * @param name            model name
 * @param classes         class names in logit order
 * @param spec            architecture (input shape, normalisation)
 * @param recipe          training recipe; its attack (or null) is the threat model
 * @param trainingSeconds wall-clock training time
 * @param metrics         measured accuracies
 * @param onnxSha256      hex sha256 of model.onnx
 * @param seeds           seed statistics shape, or null when no seeds.bin is shipped
 * @param synthesis       generation defaults
 */
public record ModelCard(String name, List<String> classes, ArchitectureSpec spec, TrainConfig recipe,
        double trainingSeconds, Metrics metrics, String onnxSha256, SeedStatistics seeds,
        Preset.SynthesisDefaults synthesis) {

    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ModelCard {
        Objects.requireNonNull(name, "name is null");
        classes = List.copyOf(classes);
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", name);
        root.put("formatVersion", FORMAT_VERSION);
        ArrayNode cls = root.putArray("classes");
        classes.forEach(cls::add);
        ObjectNode input = root.putObject("input");
        input.put("channels", spec.channels());
        input.put("height", spec.height());
        input.put("width", spec.imageWidth());
        input.putArray("range").add(0).add(1);
        input.put("layout", "NCHW");
        input.put("name", "x");
        root.putObject("output").put("name", "logits");
        ObjectNode norm = root.putObject("normalization");
        ArrayNode mean = norm.putArray("mean");
        for (float m : spec.mean()) {
            mean.add(round(m));
        }
        ArrayNode std = norm.putArray("std");
        for (float s : spec.std()) {
            std.add(round(s));
        }
        norm.put("inGraph", true);
        root.put("architecture", spec.description());
        AttackConfig attack = recipe.attack();
        if (attack == null) {
            root.putNull("threatModel");
        } else {
            root.putObject("threatModel").put("norm", attack.norm().id()).put("eps", round(attack.eps()));
        }
        ObjectNode r = root.putObject("recipe");
        r.put("epochs", recipe.epochs());
        r.put("batchSize", recipe.batchSize());
        r.put("optimizer", recipe.optimizerDescription());
        r.put("weightDecay", round(recipe.weightDecay()));
        r.put("schedule", "onecycle max " + round(recipe.maxLr()));
        if (attack == null) {
            r.putNull("attack");
        } else {
            r.putObject("attack").put("norm", attack.norm().id()).put("eps", round(attack.eps()))
                    .put("steps", attack.steps()).put("stepSize", round(attack.stepSize()))
                    .put("randomStart", attack.randomStart());
        }
        r.put("augmentation", recipe.augmentationDescription());
        r.put("seed", recipe.seed());
        r.put("trainer", "rsynth-trainer (DJL PyTorch engine, CPU)");
        root.put("trainingSeconds", Math.round(trainingSeconds));
        ObjectNode m = root.putObject("metrics");
        m.put("testImages", metrics.testImages());
        m.put("cleanAccuracy", round(metrics.cleanAccuracy()));
        ArrayNode robust = m.putArray("robust");
        for (Metrics.Robust rb : metrics.robust()) {
            robust.addObject().put("norm", rb.norm()).put("eps", round(rb.eps())).put("steps", rb.steps())
                    .put("stepSize", round(rb.stepSize())).put("images", rb.images())
                    .put("accuracy", round(rb.accuracy()));
        }
        ArrayNode layers = root.putArray("layers");
        for (OnnxExporter.Layer l : OnnxExporter.layers(spec)) {
            ObjectNode ln = layers.addObject().put("name", l.name());
            ArrayNode shape = ln.putArray("shape");
            for (long d : l.shape()) {
                shape.add(d);
            }
            ln.put("description", l.description());
        }
        root.putObject("onnx").put("file", "model.onnx").put("sha256", onnxSha256).put("opset", OnnxExporter.OPSET);
        if (seeds == null) {
            root.putNull("seeds");
        } else {
            root.putObject("seeds").put("file", "seeds.bin").put("channels", seeds.channels())
                    .put("height", seeds.height()).put("width", seeds.width()).put("kind", SeedStatistics.KIND)
                    .put("ridge", seeds.ridge());
        }
        root.putObject("synthesisDefaults").put("eps", synthesis.eps()).put("stepSize", synthesis.stepSize())
                .put("steps", synthesis.steps());
        return root;
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), toJson());
    }

    /** Rounds to 4 significant decimals so the card stays readable (float noise would show otherwise). */
    static double round(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }
}
