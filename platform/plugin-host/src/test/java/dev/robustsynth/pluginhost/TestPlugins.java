package dev.robustsynth.pluginhost;

import dev.robustsynth.spi.ConfigDefinition;
import dev.robustsynth.spi.ConfigKey;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.PluginConfig;
import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import dev.robustsynth.spi.TaskDescriptor;
import dev.robustsynth.spi.TaskFactory;
import dev.robustsynth.spi.TaskResult;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.ValidationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Class-path plugins for the host's tests, exposed through a throw-away {@code META-INF/services} file. */
public final class TestPlugins {
    static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

    private TestPlugins() {
    }

    /** A loader that sees the test class path plus a services file listing exactly {@code providers}. */
    static ClassLoader classPathWith(Path dir, Class<?>... providers) {
        try {
            Path services = Files.createDirectories(dir.resolve("cp/META-INF/services"));
            StringBuilder text = new StringBuilder();
            for (Class<?> provider : providers) {
                text.append(provider.getName()).append('\n');
            }
            Files.writeString(services.resolve(RobustSynthPlugin.class.getName()), text);
            return new URLClassLoader(new URL[] {dir.resolve("cp").toUri().toURL()}, TestPlugins.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TaskDescriptor descriptor(String type) {
        return new TaskDescriptor(type, "1.0.0", "test " + type, "{\"type\": \"object\"}", Set.of(),
                List.of("image/png"));
    }

    /** A factory that records its lifecycle in {@link #EVENTS} and declares one integer key, {@code level}. */
    static class RecordingFactory implements TaskFactory<Parameters> {
        private final String type;
        private final String owner;

        RecordingFactory(String type, String owner) {
            this.type = type;
            this.owner = owner;
        }

        @Override
        public TaskDescriptor descriptor() {
            return TestPlugins.descriptor(type);
        }

        @Override
        public ConfigDefinition configDefinition() {
            return ConfigDefinition.of(ConfigKey.intRange("level", 1, 0, 9, "a level"));
        }

        @Override
        public void init(PluginConfig config) {
            EVENTS.add("init " + type + " " + owner + " level=" + config.integer("level"));
        }

        @Override
        public Parameters validate(ValidationContext context) {
            return context.params();
        }

        @Override
        public SynthesisTask create(Parameters plan) {
            return context -> new TaskResult(List.of(), Map.of("owner", owner));
        }

        @Override
        public void close() {
            EVENTS.add("close " + type + " " + owner);
        }
    }

    public static final class AlphaBetaPlugin implements RobustSynthPlugin {
        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public String name() {
            return "alpha-beta";
        }

        @Override
        public Collection<TaskFactory<?>> taskFactories() {
            return List.of(new RecordingFactory("beta", name()), new RecordingFactory("alpha", name()));
        }
    }

    public static final class OtherAlphaPlugin implements RobustSynthPlugin {
        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public String name() {
            return "other-alpha";
        }

        @Override
        public Collection<TaskFactory<?>> taskFactories() {
            return List.of(new RecordingFactory("alpha", name()));
        }
    }

    /** Same name as {@link AlphaBetaPlugin}. */
    public static final class ImpostorPlugin implements RobustSynthPlugin {
        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public String name() {
            return "alpha-beta";
        }

        @Override
        public Collection<TaskFactory<?>> taskFactories() {
            return List.of(new RecordingFactory("gamma", name()));
        }
    }

    /** Its {@code gamma} factory fails in {@code init}. */
    public static final class FailingInitPlugin implements RobustSynthPlugin {
        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public String name() {
            return "failing";
        }

        @Override
        public Collection<TaskFactory<?>> taskFactories() {
            return List.of(new RecordingFactory("gamma", name()) {
                @Override
                public void init(PluginConfig config) {
                    throw new IllegalStateException("no GPU today");
                }
            });
        }
    }
}
