package dev.robustsynth.plugins.support;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.ConfigDefinition;
import dev.robustsynth.spi.ConfigKey;
import dev.robustsynth.spi.PluginConfig;
import dev.robustsynth.spi.TaskDescriptor;
import dev.robustsynth.spi.TaskFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A task factory whose descriptor carries the schema from the plugin jar and whose configuration declares the
 * {@link TaskTuning} keys (plus any of its own). Subclasses implement {@code validate} and {@code create}.
 *
 * @param <P> the task's plan
 */
public abstract class AbstractTaskFactory<P> implements TaskFactory<P> {
    private final TaskDescriptor descriptor;
    private final double defaultEpsScale;
    private final double defaultStepsScale;
    private volatile TaskTuning tuning;

    /**
     * @param defaultEpsScale   this task's default eps as a multiple of the model's synthesis default
     * @param defaultStepsScale this task's default steps as a multiple of the model's synthesis default
     */
    protected AbstractTaskFactory(TaskDescriptor descriptor, double defaultEpsScale, double defaultStepsScale) {
        this.descriptor = requireNonNull(descriptor, "descriptor is null");
        this.defaultEpsScale = defaultEpsScale;
        this.defaultStepsScale = defaultStepsScale;
    }

    /**
     * A descriptor for {@code type} with PNG output and the parameter schema read from {@code anchor}'s jar.
     */
    protected static TaskDescriptor describe(Class<?> anchor, String type, String version, String title,
                                             Set<String> imageParameters) {
        return new TaskDescriptor(type, version, title, SchemaResource.load(anchor, type), imageParameters,
                List.of("image/png"));
    }

    @Override
    public final TaskDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public final ConfigDefinition configDefinition() {
        List<ConfigKey> keys = new ArrayList<>(TaskTuning.keys(defaultEpsScale, defaultStepsScale));
        keys.addAll(extraKeys());
        return new ConfigDefinition(keys);
    }

    /** Configuration keys of the task beyond {@link TaskTuning}'s. */
    protected List<ConfigKey> extraKeys() {
        return List.of();
    }

    @Override
    public final void init(PluginConfig config) {
        this.tuning = TaskTuning.from(config);
        configure(config);
    }

    /** Reads the task's own keys from the validated configuration. */
    protected void configure(PluginConfig config) {
    }

    /**
     * The configured tuning.
     *
     * @throws IllegalStateException before {@link #init}
     */
    protected final TaskTuning tuning() {
        TaskTuning t = tuning;
        if (t == null) {
            throw new IllegalStateException("task factory '" + descriptor.type() + "' used before init");
        }
        return t;
    }
}
