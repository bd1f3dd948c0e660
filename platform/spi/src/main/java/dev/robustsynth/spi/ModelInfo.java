package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a task may know of its model.
 *
 * @param name        the model's name, e.g. {@code cifar10-robust-l2}
 * @param sha256      checksum of the model's ONNX file, for provenance
 * @param classes     class names in logit order
 * @param channels    input channels
 * @param height      input height
 * @param width       input width
 * @param layers      activations a task may read or weight (feature painting)
 * @param threatModel the norm and radius the model was trained to resist; empty for a standard model
 * @param defaults    the model's suggested synthesis settings
 */
public record ModelInfo(String name, String sha256, List<String> classes, int channels, int height, int width,
                        List<LayerInfo> layers, Optional<ThreatModel> threatModel, SynthesisDefaults defaults) {

    public ModelInfo {
        requireNonNull(name, "name is null");
        requireNonNull(sha256, "sha256 is null");
        classes = List.copyOf(requireNonNull(classes, "classes is null"));
        layers = List.copyOf(requireNonNull(layers, "layers is null"));
        requireNonNull(threatModel, "threatModel is null");
        requireNonNull(defaults, "defaults is null");
    }

    public int numClasses() {
        return classes.size();
    }

    /**
     * The index of a class given by name (case-insensitive) or by its index as text.
     *
     * @throws InvalidParametersException naming the known classes
     */
    public int classIndex(String nameOrIndex) throws InvalidParametersException {
        String wanted = requireNonNull(nameOrIndex, "nameOrIndex is null").strip();
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).equalsIgnoreCase(wanted)) {
                return i;
            }
        }
        if (wanted.matches("\\d{1,4}")) {
            int index = Integer.parseInt(wanted);
            if (index < classes.size()) {
                return index;
            }
        }
        throw new InvalidParametersException("unknown class '" + nameOrIndex + "' for model " + name
                + "; known: " + String.join(", ", classes));
    }

    public Optional<LayerInfo> layer(String layerName) {
        return layers.stream().filter(l -> l.name().equals(layerName)).findFirst();
    }

    /** Whether an image has this model's input shape. */
    public boolean fits(Image image) {
        return image.channels() == channels && image.height() == height && image.width() == width;
    }

    public String inputShape() {
        return channels + "x" + height + "x" + width;
    }
}
