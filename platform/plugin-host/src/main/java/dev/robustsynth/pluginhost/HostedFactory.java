package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.TaskDescriptor;
import dev.robustsynth.spi.TaskFactory;
import dev.robustsynth.spi.ValidationContext;

/**
 * The factory that serves one task type in this process.
 *
 * @param descriptor       the factory's descriptor, read once at discovery
 * @param factory          the initialised factory
 * @param pluginName       the plugin it belongs to
 * @param pluginSpiVersion the SPI version that plugin was built for (for provenance)
 * @param source           where the plugin came from
 */
public record HostedFactory(TaskDescriptor descriptor, TaskFactory<?> factory, String pluginName,
                            String pluginSpiVersion, PluginSource source) {
    public HostedFactory {
        requireNonNull(descriptor, "descriptor is null");
        requireNonNull(factory, "factory is null");
        requireNonNull(pluginName, "pluginName is null");
        requireNonNull(pluginSpiVersion, "pluginSpiVersion is null");
        requireNonNull(source, "source is null");
    }

    public String type() {
        return descriptor.type();
    }

    /**
     * Validates one request in the plugin's class loader and keeps the plan the factory returned, typed, inside the
     * prepared task; the host never sees the plan's type.
     *
     * @throws InvalidParametersException from the factory's checks
     */
    public PreparedTask prepare(ValidationContext context) throws InvalidParametersException {
        requireNonNull(context, "context is null");
        return call(() -> planned(factory, context));
    }

    private <P> PreparedTask planned(TaskFactory<P> typed, ValidationContext context)
            throws InvalidParametersException {
        P plan = typed.validate(context);
        return new PreparedTask(this, () -> typed.create(plan));
    }

    /**
     * Runs plugin code with the plugin's class loader as the thread's context class loader (so a plugin's own
     * {@code ServiceLoader} and resource look-ups find its jar), restoring the previous one afterwards.
     */
    public <T, E extends Exception> T call(PluginCall<T, E> call) throws E {
        return inContext(source.classLoader(), call);
    }

    static <T, E extends Exception> T inContext(ClassLoader loader, PluginCall<T, E> call) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
