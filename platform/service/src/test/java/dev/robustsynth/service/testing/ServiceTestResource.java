package dev.robustsynth.service.testing;

import dev.robustsynth.pluginhost.PluginJars;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the Quarkus tests need outside the app: a real Kafka broker in the test JVM, a plugins directory with
 * two plugin jars compiled outside the reactor (one for this SPI, one claiming SPI 2.0), and the model directory.
 */
public class ServiceTestResource implements QuarkusTestResourceLifecycleManager {
    /** The bootstrap servers of the running broker, for the tests' own clients. */
    public static volatile String bootstrap;
    public static final String EXT_TYPE = "ext-echo";
    public static final String EXT_PLUGIN = "ext-echo-plugin";
    public static final String FUTURE_PLUGIN = "echo-from-the-future";
    public static final int MAX_MESSAGE_BYTES = 262_144;

    private TestBroker broker;

    @Override
    public Map<String, String> start() {
        broker = TestBroker.start();
        bootstrap = broker.bootstrapServers();
        try {
            Path work = Files.createTempDirectory("rsynth-service-test");
            Path plugins = work.resolve("plugins");
            PluginJars.buildEchoPlugin(plugins, "ext-echo.jar", "com.example.ext", EXT_PLUGIN, EXT_TYPE,
                    "SpiVersion.CURRENT", Map.of());
            PluginJars.buildEchoPlugin(plugins, "echo-v2.jar", "com.example.future", FUTURE_PLUGIN, "future-echo",
                    "\"3.0\"", Map.of());
            Map<String, String> config = new HashMap<>(TestModels.config(work, true));
            config.put("kafka.bootstrap.servers", bootstrap);
            config.put("rsynth.plugins-dir", plugins.toString());
            config.put("rsynth.results-dir", work.resolve("results").toString());
            config.put("rsynth.max-message-bytes", Integer.toString(MAX_MESSAGE_BYTES));
            config.put("rsynth.inline-image-limit", "65536");
            config.put("rsynth.worker-threads", "2");
            config.put("rsynth.kafka.partitions", "2");
            config.put("rsynth.shutdown-grace", "5s");
            config.put("rsynth.task.echo.max-steps", "50");
            config.put("rsynth.task.ext-echo.greeting", "hej");
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
