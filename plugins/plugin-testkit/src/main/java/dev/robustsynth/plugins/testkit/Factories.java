package dev.robustsynth.plugins.testkit;

import dev.robustsynth.spi.ConfigException;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskFactory;
import dev.robustsynth.spi.TaskResult;
import dev.robustsynth.spi.ValidationContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a factory the way the host does: validate the configuration and init; per request, validate with the
 * decoded images, then create the task from the plan and run it.
 */
public final class Factories {
    private Factories() {
    }

    public static <F extends TaskFactory<?>> F initialised(F factory) {
        return initialised(factory, Map.of());
    }

    public static <F extends TaskFactory<?>> F initialised(F factory, Map<String, String> config) {
        try {
            factory.init(factory.configDefinition().validate(factory.descriptor().type(), config));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return factory;
    }

    /**
     * The validation context of one request: {@link Image} values in {@code params} are the decoded images, and
     * the request's parameters carry them in wire form ({@code {"data": ...}}), as a host's would.
     */
    public static ValidationContext context(TaskFactory<?> factory, ModelFacade model, Map<String, ?> params,
                                            long seed) {
        Map<String, Object> wire = new LinkedHashMap<>();
        Map<String, Image> images = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            if (value instanceof Image image) {
                images.put(name, image);
                wire.put(name, Map.of("data", "iVBORw0KGgo="));
            } else {
                wire.put(name, value);
            }
        });
        return new ValidationContext(TestTaskContext.request(factory.descriptor().type(), model, wire, seed),
                model.info(), images);
    }

    /** The factory's plan for one request ({@link #context}), as the host would get it. */
    public static Object validate(TaskFactory<?> factory, ModelFacade model, Map<String, ?> params)
            throws InvalidParametersException {
        return factory.validate(context(factory, model, params, 1));
    }

    /** Validates one request ({@link #context}), creates its task from the plan and runs it. */
    public static TaskResult run(TaskFactory<?> factory, ModelFacade model, Map<String, ?> params, long seed)
            throws TaskException {
        return run(factory, context(factory, model, params, seed), new TestTaskContext(
                context(factory, model, params, seed).request(), model));
    }

    /** Validates {@code validation}, creates the task from the plan and runs it with {@code context}. */
    public static TaskResult run(TaskFactory<?> factory, ValidationContext validation, TestTaskContext context)
            throws TaskException {
        return runTyped(factory, validation, context);
    }

    private static <P> TaskResult runTyped(TaskFactory<P> factory, ValidationContext validation,
                                           TestTaskContext context) throws TaskException {
        return factory.create(factory.validate(validation)).run(context);
    }
}
