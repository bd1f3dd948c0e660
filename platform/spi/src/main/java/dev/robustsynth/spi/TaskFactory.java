package dev.robustsynth.spi;

/**
 * Creates the tasks of one task type.
 *
 * <p>Lifecycle: the host discovers the factory through its plugin and calls {@link #init(PluginConfig)} once with
 * configuration validated against {@link #configDefinition()}. Per request it calls {@link #validate} once, with
 * the request's images already decoded, and then {@link #create} with the plan {@code validate} returned, from any
 * thread; at shutdown it calls {@link #close()} once, in reverse order of initialisation. There is one factory
 * instance per process and one plan and one task per request.
 *
 * @param <P> the parsed, checked form of one request's parameters: everything the task needs, images included
 */
public interface TaskFactory<P> extends AutoCloseable {

    /** What this factory serves; constant for the factory's lifetime. */
    TaskDescriptor descriptor();

    /** The configuration keys this factory accepts; the host validates them all before {@link #init}. */
    default ConfigDefinition configDefinition() {
        return ConfigDefinition.EMPTY;
    }

    default void init(PluginConfig config) {
    }

    /**
     * Parses and checks what the JSON Schema cannot (a class name the model knows, an image of the model's size, a
     * factor that divides the input size) before any work starts, and returns the request as a plan. The host has
     * already validated the parameters against {@link TaskDescriptor#parametersSchema()} and decoded every image
     * parameter.
     *
     * @throws InvalidParametersException with a sentence naming the parameter, its value and what was expected
     */
    P validate(ValidationContext context) throws InvalidParametersException;

    /** A new task for the plan of one validated request. */
    SynthesisTask create(P plan);

    @Override
    default void close() {
    }
}
