package dev.robustsynth.spi;

/**
 * Creates the tasks of one task type.
 *
 * <p>Lifecycle: the host discovers the factory through its plugin and calls {@link #init(PluginConfig)} once with
 * configuration validated against {@link #configDefinition()}, then {@link #postInit()} once every factory of
 * every plugin is initialised. It then calls {@link #validate} and {@link #create} once per request, from any
 * thread, and {@link #close()} once at shutdown, in reverse order of initialisation. There is one factory instance
 * per process and one task instance per request.
 */
public interface TaskFactory extends AutoCloseable {

    /** What this factory serves; constant for the factory's lifetime. */
    TaskDescriptor descriptor();

    /** The configuration keys this factory accepts; the host validates them all before {@link #init}. */
    default ConfigDefinition configDefinition() {
        return ConfigDefinition.EMPTY;
    }

    default void init(PluginConfig config) {
    }

    default void postInit() {
    }

    /**
     * Checks what the JSON Schema cannot (a class name the model knows, a mask of the model's size, a factor that
     * divides the input size) before any work starts. The host has already validated the parameters against
     * {@link TaskDescriptor#parametersSchema()}. An image parameter's value is its decoded {@link Image} when the
     * host decoded it before validation (the evaluation runner does), otherwise its wire form (the service, which
     * decodes images after routing); checks of image shapes must then run at the start of the task, still before
     * any model call.
     *
     * @throws InvalidParametersException with a sentence naming the parameter, its value and what was expected
     */
    default void validate(TaskRequest request, ModelInfo model) throws InvalidParametersException {
    }

    /** A new task for one validated request. */
    SynthesisTask create(TaskRequest request);

    @Override
    default void close() {
    }
}
