package dev.robustsynth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.engine.install.ModelInstaller;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.testing.ServiceProcess;
import dev.robustsynth.service.testing.TestBroker;
import dev.robustsynth.service.testing.TopicRecorder;
import dev.robustsynth.spi.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Bring your own classifier into a running service: {@code models add} (ModelInstaller) installs a torch-exported
 * model with seeds fitted from a folder of PNGs into the models directory of a running service, which serves it
 * without a restart; a generate task through Kafka succeeds on it.
 */
class HotLoadTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path TORCH_MODEL = Path.of("../engine/src/test/resources/fixtures/small_cnn.onnx");

    @TempDir
    Path temp;

    @Test
    void aModelAddedToTheModelsDirectoryOfARunningServiceServesAGenerateTask() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            Path models = Files.createDirectories(temp.resolve("models"));
            Map<String, String> settings = ServiceProcess.settings(temp, broker.bootstrapServers(), "hot-load");
            settings.put("rsynth.models-dir", models.toString());
            settings.put("rsynth.models-watch-interval", "PT1S");
            try (ServiceProcess service = ServiceProcess.start(temp.resolve("service.log"), settings, WAIT);
                 RsynthClient client = new RsynthClient(RsynthClientConfig.of(broker.bootstrapServers()));
                 TopicRecorder results = new TopicRecorder(broker.bootstrapServers(), "rsynth.results")) {
                List<String> classes = new ArrayList<>();
                for (int k = 0; k < 10; k++) {
                    classes.add("class" + k);
                }
                ModelInstaller.Summary added = ModelInstaller.install(new ModelInstaller.Request(
                        Files.copy(TORCH_MODEL, temp.resolve("user.onnx")), "user-cnn", classes, pngs(classes),
                        Optional.of("l2:1.5"), List.of(), models));
                assertTrue(Files.isRegularFile(added.directory().resolve("model.json")), added.text());
                assertTrue(service.awaitLog("user-cnn", WAIT), "the service did not load the added model:\n"
                        + service.tail());

                client.submit(TaskSubmission.builder("generate").id("hot-1").model("user-cnn")
                        .param("class", "class3").param("steps", 5).build());
                JsonNode result = Json.parse(results.await("hot-1", WAIT).value());
                assertEquals("SUCCEEDED", result.path("status").asString(), result.toString());
                assertEquals("user-cnn", result.path("provenance").path("model").asString(),
                        result.toString());
            }
        }
    }

    private Path pngs(List<String> classes) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        Path root = temp.resolve("images");
        for (String c : classes) {
            Path dir = Files.createDirectories(root.resolve(c));
            for (int n = 0; n < 3; n++) {
                float[] px = new float[16 * 16];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (float) random.nextDouble();
                }
                Files.write(dir.resolve(n + ".png"), ImageCodec.encodePng(new Image(1, 16, 16, px)));
            }
        }
        return root;
    }
}
