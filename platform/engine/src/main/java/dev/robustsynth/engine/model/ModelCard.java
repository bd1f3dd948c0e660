package dev.robustsynth.engine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.SynthesisDefaults;
import dev.robustsynth.spi.ThreatModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The parts of {@code model.json} (docs/MODEL-FORMAT.md) the engine reads; unknown fields are ignored, and every
 * field but {@code classes} and {@code input} is optional.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelCard(String name, Integer formatVersion, List<String> classes, Input input, Output output,
                        ThreatModelCard threatModel, List<Layer> layers, Onnx onnx, Seeds seeds,
                        SeedMixture seedMixture, Defaults synthesisDefaults) {

    /** Used when a card has no {@code synthesisDefaults}: a middle-of-the-road L2 generation schedule. */
    public static final SynthesisDefaults FALLBACK_DEFAULTS = new SynthesisDefaults(10.0, 0.5, 60);

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(int channels, int height, int width, String name, String layout) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Output(String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ThreatModelCard(String norm, double eps) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Layer(String name, int[] shape, String description) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Onnx(String file, String sha256, Integer opset) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Seeds(String file, int channels, int height, int width, String kind, Double ridge, Integer rank) {
    }

    /** Optional per-class seed mixtures at the resolution of {@link Seeds}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SeedMixture(String file, Integer components, String kind) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Defaults(double eps, double stepSize, int steps) {
    }

    /**
     * Reads and checks a card.
     *
     * @throws ModelLoadException naming the file and the field at fault
     */
    public static ModelCard read(Path file) throws ModelLoadException {
        ModelCard card;
        try {
            card = MAPPER.readValue(Files.readAllBytes(file), ModelCard.class);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": not a readable model card: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        if (card.classes() == null || card.classes().size() < 2) {
            problems.add("'classes' must list at least two classes");
        }
        if (card.input() == null || card.input().channels() <= 0 || card.input().height() <= 0
                || card.input().width() <= 0) {
            problems.add("'input' must give positive channels, height and width");
        } else if (card.input().layout() != null && !card.input().layout().equalsIgnoreCase("NCHW")) {
            problems.add("'input.layout' is " + card.input().layout() + "; only NCHW is served");
        }
        if (card.layers() != null) {
            for (Layer layer : card.layers()) {
                if (layer.name() == null || layer.shape() == null) {
                    problems.add("every entry of 'layers' needs a name and a shape");
                }
            }
        }
        if (card.threatModel() != null) {
            try {
                card.threat();
            } catch (IllegalArgumentException e) {
                problems.add("'threatModel': " + e.getMessage());
            }
        }
        if (card.seedMixture() != null && (card.seedMixture().components() == null
                || card.seedMixture().components() < 1)) {
            problems.add("'seedMixture.components' must be a positive number of components");
        }
        if (!problems.isEmpty()) {
            throw new ModelLoadException(file + ": " + String.join("; ", problems));
        }
        return card;
    }

    /** The ONNX file name, {@code model.onnx} unless the card says otherwise. */
    public String onnxFile() {
        return onnx != null && onnx.file() != null ? onnx.file() : "model.onnx";
    }

    public Optional<String> declaredSha256() {
        return Optional.ofNullable(onnx).map(Onnx::sha256).filter(s -> !s.isBlank()).map(s -> s.toLowerCase(Locale.ROOT));
    }

    /** The seed mixture file name, {@code seeds-mixture.bin} unless the card says otherwise. */
    public String seedMixtureFile() {
        return seedMixture != null && seedMixture.file() != null ? seedMixture.file() : "seeds-mixture.bin";
    }

    public List<String> layerNames() {
        return layers == null ? List.of() : layers.stream().map(Layer::name).toList();
    }

    Optional<ThreatModel> threat() {
        if (threatModel == null) {
            return Optional.empty();
        }
        Norm norm = switch (String.valueOf(threatModel.norm()).toLowerCase(Locale.ROOT)) {
            case "l2" -> Norm.L2;
            case "linf", "l_inf", "l∞" -> Norm.LINF;
            default -> throw new IllegalArgumentException("unknown norm '" + threatModel.norm() + "'; known: l2, linf");
        };
        return Optional.of(new ThreatModel(norm, threatModel.eps()));
    }

    /** The task-facing view, with the checksum of the ONNX file actually loaded and every layer of the card. */
    public ModelInfo toInfo(String directoryName, String sha256) {
        return toInfo(directoryName, sha256, layer -> true);
    }

    /** The task-facing view with the card's layers that {@code served} accepts. */
    public ModelInfo toInfo(String directoryName, String sha256, Predicate<Layer> served) {
        List<LayerInfo> infos = layers == null ? List.of() : layers.stream().filter(served)
                .map(l -> new LayerInfo(l.name(), l.shape(), l.description() == null ? "" : l.description()))
                .toList();
        SynthesisDefaults defaults = synthesisDefaults == null ? FALLBACK_DEFAULTS
                : new SynthesisDefaults(synthesisDefaults.eps(), synthesisDefaults.stepSize(),
                        synthesisDefaults.steps());
        return new ModelInfo(name == null ? directoryName : name, sha256, classes, input.channels(), input.height(),
                input.width(), infos, threat(), defaults);
    }
}
