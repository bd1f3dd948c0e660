package dev.robustsynth.service.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.cli.ProgressEvent;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.TaskError;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.TaskStatus;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.service.kafka.DeadLetterHeaders;
import dev.robustsynth.service.testing.FashionMnist;
import dev.robustsynth.service.testing.GreyImages;
import dev.robustsynth.service.testing.ServiceTestResource;
import dev.robustsynth.service.testing.TestModels;
import dev.robustsynth.service.testing.TopicRecorder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One bad parameter per task plugin, through Kafka on the shipped Fashion model: each request gets a FAILED result
 * with the error code, stage and a message naming the parameter, its original record goes to the dead-letter topic,
 * and no synthesis step runs (no progress event; a request refused by validation has no provenance, one refused at
 * the start of the run reports 0 steps). The service then serves the next good request.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class TaskPluginsRejectionTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static RsynthClient client;
    private static TopicRecorder dlq;

    private final List<ProgressEvent> progress = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void connect() throws Exception {
        client = new RsynthClient(RsynthClientConfig.of(ServiceTestResource.bootstrap));
        dlq = new TopicRecorder(ServiceTestResource.bootstrap, "rsynth.tasks.dlq");
    }

    @AfterAll
    static void disconnect() throws Exception {
        client.close();
        dlq.close();
    }

    @BeforeEach
    void needsTheShippedModel() {
        assumeTrue(TestModels.shipped(), "models/" + TestModels.SHIPPED_NAME + " is not in this checkout");
    }

    @Test
    void generateRefusesAnUnknownClassAndListsTheKnownOnes() throws Exception {
        TaskError error = refused(TaskSubmission.builder("generate").id("plugins-bad-generate")
                .param("class", "unicorn").param("steps", 5), "INVALID_PARAMETERS", "validate");
        assertMentions(error, "'class'", "unicorn", "sneaker", "ankle boot");
    }

    @Test
    void inpaintRefusesAMaskOfTheWrongSize() throws Exception {
        TaskError error = refused(TaskSubmission.builder("inpaint").id("plugins-bad-inpaint")
                .image("image", image("coat")).image("mask", GreyImages.png(14, 14, GreyImages.box(14, 14, 2, 2, 5, 5)))
                .param("steps", 5), "WRONG_IMAGE_SHAPE", "validate");
        assertMentions(error, "'mask'", "14x14", "28x28");
    }

    @Test
    void superresRefusesAFactorThatDoesNotDivideTheModelSize() throws Exception {
        TaskError error = refused(TaskSubmission.builder("superres").id("plugins-bad-superres")
                .image("image", GreyImages.png(9, 9, new int[81])).param("factor", 3).param("steps", 5),
                "INVALID_PARAMETERS", "validate");
        assertMentions(error, "'factor'", "3", "divide", "28x28");
    }

    @Test
    void superresRefusesALowResolutionImageThatDoesNotMatchItsFactorBeforeAnyModelCall() throws Exception {
        // validate sees the decoded image, so the request is refused before a task exists
        TaskError error = refused(TaskSubmission.builder("superres").id("plugins-bad-superres-size")
                .image("image", GreyImages.png(8, 8, new int[64])).param("factor", 4).param("steps", 5),
                "INVALID_PARAMETERS", "validate");
        assertMentions(error, "'image'", "8x8", "7x7");
    }

    @Test
    void translateRefusesMoreStepsThanTheConfiguredMaximum() throws Exception {
        TaskError error = refused(TaskSubmission.builder("translate").id("plugins-bad-translate")
                .image("image", image("trouser")).param("class", "dress").param("steps", 1001),
                "INVALID_PARAMETERS", "validate");
        assertMentions(error, "'steps'", "1001", "1000", "max-steps");
    }

    @Test
    void sketchRefusesANonPositiveEps() throws Exception {
        // eps > 0 is part of the parameter schema, which the service checks before the plugin sees the request
        TaskError error = refused(TaskSubmission.builder("sketch").id("plugins-bad-sketch")
                .image("image", image("bag")).param("class", "bag").param("eps", 0.0).param("steps", 5),
                "SCHEMA_VIOLATION", "validate");
        assertMentions(error, "eps");
    }

    @Test
    void paintRefusesAStrokeOnAnUnknownLayerAndOneTiedToAnUnknownClass() throws Exception {
        ObjectNode box = JsonNodeFactory.instance.objectNode().put("x", 4).put("y", 4).put("width", 8).put("height", 8);
        ObjectNode layer = JsonNodeFactory.instance.objectNode().put("layer", "stage9").put("channel", 0);
        layer.set("box", box);
        TaskError error = refused(TaskSubmission.builder("paint").id("plugins-bad-paint-layer")
                .image("image", image("shirt")).param("strokes", JsonNodeFactory.instance.arrayNode().add(layer))
                .param("steps", 5), "INVALID_PARAMETERS", "validate");
        assertMentions(error, "stroke 1", "stage9", "stage3");

        ObjectNode unknownClass = JsonNodeFactory.instance.objectNode().put("class", "unicorn");
        unknownClass.set("box", box);
        error = refused(TaskSubmission.builder("paint").id("plugins-bad-paint-class")
                .image("image", image("shirt")).param("strokes", JsonNodeFactory.instance.arrayNode()
                        .add(unknownClass)).param("steps", 5), "INVALID_PARAMETERS", "validate");
        assertMentions(error, "stroke 1", "unicorn");
    }

    @Test
    void aGoodRequestAfterTheRefusalsIsServed() throws Exception {
        refused(TaskSubmission.builder("translate").id("plugins-bad-then-good-1")
                .image("image", image("trouser")).param("class", "nothing").param("steps", 2),
                "INVALID_PARAMETERS", "validate");
        TaskOutcome outcome = client.run(TaskSubmission.builder("translate").id("plugins-bad-then-good-2")
                .model(TestModels.SHIPPED_NAME).image("image", image("trouser")).param("class", "dress")
                .param("steps", 2).build(), WAIT, p -> { });
        assertEquals(TaskStatus.SUCCEEDED, outcome.status(), outcome.json().toString());
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static byte[] image(String className) {
        FashionMnist data = FashionMnist.testSet();
        return data.png(data.indexOf(className, 0));
    }

    private TaskOutcome outcome(TaskSubmission.Builder request) throws Exception {
        progress.clear();
        return client.run(request.model(TestModels.SHIPPED_NAME).build(), WAIT, progress::add);
    }

    /** Submits a request that validation must refuse; checks result, dead letter and that no work was done. */
    private TaskError refused(TaskSubmission.Builder request, String code, String stage) throws Exception {
        TaskOutcome outcome = outcome(request);
        TaskError error = assertRefused(outcome, code, stage);
        assertTrue(outcome.provenance().isMissingNode() || outcome.provenance().isNull()
                || outcome.provenance().isEmpty(), "refused before a task existed: " + outcome.json());
        assertDeadLettered(outcome.id(), code);
        return error;
    }

    private TaskError assertRefused(TaskOutcome outcome, String code, String stage) {
        assertEquals(TaskStatus.FAILED, outcome.status(), outcome.json().toString());
        TaskError error = outcome.error().orElseThrow(() -> new AssertionError("no error: " + outcome.json()));
        assertEquals(code, error.code(), error.message());
        assertEquals(stage, error.stage(), error.message());
        assertTrue(outcome.images().isEmpty());
        assertTrue(progress.isEmpty(), "no synthesis progress for a refused request: " + progress);
        return error;
    }

    private static void assertDeadLettered(String id, String code) throws InterruptedException {
        ConsumerRecord<byte[], byte[]> letter = dlq.await(id, WAIT);
        assertEquals(code, TopicRecorder.header(letter, DeadLetterHeaders.CODE));
    }

    private static void assertMentions(TaskError error, String... fragments) {
        String message = error.message().toLowerCase(Locale.ROOT);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment.toLowerCase(Locale.ROOT)),
                    "the message should mention '" + fragment + "': " + error.message());
        }
    }
}
