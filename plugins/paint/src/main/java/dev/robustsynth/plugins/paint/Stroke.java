package dev.robustsynth.plugins.paint;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.plugins.support.ClassParameter;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One stroke of a paint request.
 *
 * @param index   0-based position in the request
 * @param region  where it paints
 * @param layer   the layer whose feature it raises; empty only when the model exposes no layer (run time fails then)
 * @param feature which channel of the layer
 */
record Stroke(int index, Region region, Optional<LayerInfo> layer, Feature feature) {
    Stroke {
        requireNonNull(region, "region is null");
        requireNonNull(layer, "layer is null");
        requireNonNull(feature, "feature is null");
    }

    String name() {
        return "stroke " + (index + 1);
    }

    /**
     * Parses {@code strokes[index]}.
     *
     * @param hasMask whether the request carries a mask parameter
     */
    static Stroke parse(Object value, int index, ModelInfo model, boolean hasMask) throws InvalidParametersException {
        String name = "stroke " + (index + 1);
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidParametersException(name + " is " + value + "; expected an object");
        }
        Parameters stroke = asParameters(map);
        try {
            Region region = region(stroke, model, hasMask);
            Optional<LayerInfo> layer = layer(stroke, model);
            Feature feature = feature(stroke, model, layer);
            return new Stroke(index, region, layer, feature);
        } catch (InvalidParametersException e) {
            throw new InvalidParametersException(name + ": " + e.getMessage());
        }
    }

    private static Parameters asParameters(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return new Parameters(copy);
    }

    private static Region region(Parameters stroke, ModelInfo model, boolean hasMask)
            throws InvalidParametersException {
        if (stroke.has("box") && stroke.has("label")) {
            throw new InvalidParametersException("give 'box' or 'label', not both");
        }
        if (stroke.has("box")) {
            Parameters box = stroke.object("box");
            for (String key : List.of("x", "y", "width", "height")) {
                if (!box.has(key)) {
                    throw new InvalidParametersException("'box' needs x, y, width and height");
                }
            }
            int x = box.integer("x", 0);
            int y = box.integer("y", 0);
            int w = box.integer("width", 0);
            int h = box.integer("height", 0);
            if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > model.width() || y + h > model.height()) {
                throw new InvalidParametersException("box " + w + "x" + h + " at (" + x + ", " + y
                        + ") does not lie inside model " + model.name() + "'s " + model.width() + "x"
                        + model.height() + " images");
            }
            return new Region.Box(x, y, w, h);
        }
        if (!hasMask) {
            throw new InvalidParametersException("a stroke without 'box' paints on 'mask', which the request lacks");
        }
        if (stroke.has("label")) {
            int label = stroke.integer("label", 0);
            if (label < 1 || label > 255) {
                throw new InvalidParametersException("'label' is " + label + "; expected a grey level 1 to 255");
            }
            return new Region.Label(label);
        }
        return new Region.White();
    }

    private static Optional<LayerInfo> layer(Parameters stroke, ModelInfo model) throws InvalidParametersException {
        List<String> known = model.layers().stream().map(LayerInfo::name).toList();
        Optional<String> named = stroke.string("layer");
        if (named.isPresent()) {
            return Optional.of(model.layer(named.get()).orElseThrow(() -> new InvalidParametersException(
                    "unknown layer '" + named.get() + "' for model " + model.name() + "; known: "
                            + (known.isEmpty() ? "none" : String.join(", ", known)))));
        }
        return model.layers().isEmpty() ? Optional.empty()
                : Optional.of(model.layers().get(model.layers().size() - 1));
    }

    private static Feature feature(Parameters stroke, ModelInfo model, Optional<LayerInfo> layer)
            throws InvalidParametersException {
        if (stroke.has("channel") == stroke.has("class")) {
            throw new InvalidParametersException("give 'channel' (a feature of the layer) or 'class' (the feature "
                    + "most tied to it), exactly one");
        }
        if (stroke.has("class")) {
            return new Feature.TiedToClass(ClassParameter.required(stroke, "class", model));
        }
        int channel = stroke.integer("channel", -1);
        if (layer.isPresent() && (channel < 0 || channel >= layer.get().channels())) {
            throw new InvalidParametersException("channel " + channel + " is outside layer '" + layer.get().name()
                    + "' (" + layer.get().channels() + " channels)");
        }
        return new Feature.Channel(channel);
    }
}
