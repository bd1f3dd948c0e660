package dev.robustsynth.plugins.support;

import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** Class parameters: a class name (any case) or a class index, resolved against the model. */
public final class ClassParameter {
    private ClassParameter() {
    }

    /** The class named by parameter {@code name}, if the request has it. */
    public static Optional<Integer> optional(Parameters params, String name, ModelInfo model)
            throws InvalidParametersException {
        Optional<Object> value = params.get(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(resolve(value.get(), name, model));
    }

    /** The class named by parameter {@code name}, which the request must have. */
    public static int required(Parameters params, String name, ModelInfo model) throws InvalidParametersException {
        return optional(params, name, model).orElseThrow(() -> new InvalidParametersException(
                "parameter '" + name + "' is required: a class name or index of model " + model.name()
                        + " (" + String.join(", ", model.classes()) + ")"));
    }

    /** The distinct classes listed in array parameter {@code name}, in the order given. */
    public static List<Integer> list(Parameters params, String name, ModelInfo model)
            throws InvalidParametersException {
        LinkedHashSet<Integer> out = new LinkedHashSet<>();
        for (Object value : params.list(name)) {
            out.add(resolve(value, name, model));
        }
        return new ArrayList<>(out);
    }

    /** One class given as a name or an integral number. */
    public static int resolve(Object value, String parameter, ModelInfo model) throws InvalidParametersException {
        if (value instanceof String s) {
            try {
                return model.classIndex(s);
            } catch (InvalidParametersException e) {
                throw new InvalidParametersException("parameter '" + parameter + "': " + e.getMessage());
            }
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && d >= 0 && d < model.numClasses()) {
                return (int) d;
            }
            throw new InvalidParametersException("parameter '" + parameter + "' is " + value
                    + "; model " + model.name() + " has class indices 0 to " + (model.numClasses() - 1));
        }
        throw new InvalidParametersException("parameter '" + parameter + "' is " + value
                + "; expected a class name or index");
    }

    /** The names of {@code classes}, in order. */
    public static List<String> names(List<Integer> classes, ModelInfo model) {
        return classes.stream().map(model.classes()::get).toList();
    }
}
