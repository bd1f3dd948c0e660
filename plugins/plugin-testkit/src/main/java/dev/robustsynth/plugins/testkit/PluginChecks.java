package dev.robustsynth.plugins.testkit;

import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import dev.robustsynth.spi.TaskFactory;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/** Checks every task plugin must pass: discovery, SPI version, one factory per type, schema from one source. */
public final class PluginChecks {
    private PluginChecks() {
    }

    /**
     * Finds {@code pluginClass} through {@link ServiceLoader} as the host does, checks its SPI version, and returns
     * its one factory of task type {@code type} after checking that the factory's schema is the repository's file
     * {@code schemas/tasks/<type>.v1.schema.json} byte for byte and that it declares exactly {@code parameters}.
     *
     * @throws AssertionError naming what is wrong
     */
    public static TaskFactory<?> factoryOf(Class<? extends RobustSynthPlugin> pluginClass, String type,
                                        Set<String> parameters) {
        RobustSynthPlugin plugin = ServiceLoader.load(RobustSynthPlugin.class).stream()
                .filter(p -> p.type().equals(pluginClass)).map(ServiceLoader.Provider::get).findFirst()
                .orElseThrow(() -> new AssertionError(pluginClass.getName() + " is not registered in META-INF/services"));
        if (!SpiVersion.CURRENT.equals(plugin.spiVersion())) {
            throw new AssertionError("plugin reports SPI " + plugin.spiVersion() + ", built against " + SpiVersion.CURRENT);
        }
        if (!plugin.name().equals("rsynth-" + type)) {
            throw new AssertionError("plugin name " + plugin.name() + ", expected rsynth-" + type);
        }
        List<TaskFactory<?>> factories = plugin.taskFactories().stream()
                .filter(f -> f.descriptor().type().equals(type)).toList();
        if (factories.size() != 1) {
            throw new AssertionError("expected one factory of type " + type + ", found " + factories.size());
        }
        TaskFactory<?> factory = factories.get(0);
        String schema = factory.descriptor().parametersSchema();
        if (!schema.equals(SchemaChecks.repositoryCopy(type))) {
            throw new AssertionError("the schema in the jar differs from schemas/tasks/" + type + ".v1.schema.json");
        }
        SchemaChecks.check(schema, type, parameters);
        return factory;
    }
}
