package dev.robustsynth.plugins.testkit;

import dev.robustsynth.spi.ConfigException;
import dev.robustsynth.spi.TaskFactory;
import java.util.Map;

/** Runs a factory's lifecycle the way the host does: validate the configuration, init, postInit. */
public final class Factories {
    private Factories() {
    }

    public static <F extends TaskFactory> F initialised(F factory) {
        return initialised(factory, Map.of());
    }

    public static <F extends TaskFactory> F initialised(F factory, Map<String, String> config) {
        try {
            factory.init(factory.configDefinition().validate(factory.descriptor().type(), config));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        factory.postInit();
        return factory;
    }
}
