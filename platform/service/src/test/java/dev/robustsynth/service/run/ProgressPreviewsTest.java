package dev.robustsynth.service.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.robustsynth.cli.OutcomeImage;
import dev.robustsynth.cli.ProgressEvent;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.TaskStatus;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.service.intake.SchemaCatalog;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.testing.ServiceTestResource;
import dev.robustsynth.service.testing.TestModels;
import dev.robustsynth.service.testing.TopicRecorder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A request's {@code progress} field through the running service on the shipped robust model: the cadence it asks
 * for (capped at 50 events per synthesis), and previews (at most four PNGs, at most 64 px, that change as the
 * synthesis runs) only when asked for. Every progress record is checked against schemas/progress.v1.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class ProgressPreviewsTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static RsynthClient client;
    private static TopicRecorder progressTopic;
    private static final SchemaCatalog SCHEMAS = new SchemaCatalog();

    @BeforeAll
    static void connect() throws Exception {
        client = new RsynthClient(RsynthClientConfig.of(ServiceTestResource.bootstrap));
        progressTopic = new TopicRecorder(ServiceTestResource.bootstrap, "rsynth.progress");
    }

    @AfterAll
    static void disconnect() throws Exception {
        client.close();
        progressTopic.close();
    }

    @BeforeEach
    void needsTheShippedModel() {
        assumeTrue(TestModels.shipped(), "models/" + TestModels.SHIPPED_NAME + " is not in this checkout");
    }

    private static TaskSubmission.Builder sixSneakers(String id, int steps) {
        return TaskSubmission.builder("generate").id(id).model(TestModels.SHIPPED_NAME).param("class", "sneaker")
                .param("count", 6).param("steps", steps).param("stopAt", 1.0).param("returnSeeds", false).seed(3);
    }

    private static List<ProgressEvent> run(TaskSubmission task) throws Exception {
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        TaskOutcome outcome = client.run(task, WAIT, events::add);
        assertEquals(TaskStatus.SUCCEEDED, outcome.status(), outcome.json().toString());
        return events;
    }

    /** The task's progress records as published, each valid against progress.v1, once the last one is there. */
    private static List<JsonNode> records(String id, int lastStep) throws Exception {
        progressTopic.await(id, r -> Json.parse(r.value()).path("step").asInt() == lastStep, WAIT);
        List<JsonNode> records = progressTopic.records(id).stream().map(ConsumerRecord::value).map(Json::parse)
                .toList();
        for (JsonNode r : records) {
            assertEquals(List.of(), SchemaCatalog.problems(SCHEMAS.message("progress.v1.schema.json"), r, ""),
                    r.toString());
        }
        return records;
    }

    private static BufferedImage png(OutcomeImage image) throws Exception {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.bytes()));
        assertNotNull(decoded, "preview " + image.index() + " is a PNG");
        return decoded;
    }

    @Test
    void withPreviewsEachEventCarriesAtMostFourSmallPngsThatChangeAsTheSynthesisRuns() throws Exception {
        List<ProgressEvent> events = run(sixSneakers("previews-on", 20).progress(5, true).build());

        assertEquals(List.of(5, 10, 15, 20), events.stream().map(ProgressEvent::step).toList(),
                "every 5 steps, as asked");
        for (ProgressEvent e : events) {
            assertEquals(4, e.previews().size(), "six images, four previews, at step " + e.step());
            for (OutcomeImage p : e.previews()) {
                BufferedImage image = png(p);
                assertTrue(image.getWidth() <= 64 && image.getHeight() <= 64, image.getWidth() + "x" + image.getHeight());
                assertEquals(28, image.getWidth(), "a 28-pixel model's preview is not resized");
                assertEquals(p.width(), image.getWidth());
                assertEquals(p.height(), image.getHeight());
                assertEquals(1, p.channels());
            }
        }
        for (int i = 0; i < 4; i++) {
            int item = i;
            assertFalse(Arrays.equals(events.getFirst().previews().get(item).bytes(),
                    events.getLast().previews().get(item).bytes()), "preview " + item + " changed from step 5 to 20");
        }
        assertFalse(Arrays.equals(events.getLast().previews().get(0).bytes(), events.getLast().previews().get(1).bytes()),
                "the previews are different images");
        assertTrue(records("previews-on", 20).stream().allMatch(r -> r.path("previews").size() == 4));
    }

    @Test
    void withoutTheProgressFieldEventsFollowThePluginsCadenceAndCarryNoPreviews() throws Exception {
        List<ProgressEvent> events = run(sixSneakers("previews-absent", 20).build());

        assertEquals(List.of(10, 20), events.stream().map(ProgressEvent::step).toList(),
                "the generate plugin's progress-every (10)");
        assertTrue(events.stream().allMatch(e -> e.previews().isEmpty()), events.toString());
        assertTrue(records("previews-absent", 20).stream().noneMatch(r -> r.has("previews")));

        List<ProgressEvent> asked = run(sixSneakers("previews-off", 20).progress(4, false).build());
        assertEquals(List.of(4, 8, 12, 16, 20), asked.stream().map(ProgressEvent::step).toList());
        assertTrue(asked.stream().allMatch(e -> e.previews().isEmpty()), asked.toString());
    }

    @Test
    void aSynthesisReportsAtMostFiftyTimesWhateverTheCadenceAsked() throws Exception {
        TaskSubmission task = TaskSubmission.builder("generate").id("previews-capped").model(TestModels.SHIPPED_NAME)
                .param("class", "bag").param("steps", 200).param("stopAt", 1.0).param("returnSeeds", false)
                .progress(1, true).build();
        List<ProgressEvent> events = run(task);

        assertEquals(IntStream.rangeClosed(1, 50).map(i -> 4 * i).boxed().toList(),
                events.stream().map(ProgressEvent::step).toList(), "every raised to ceil(200 / 50) = 4");
        assertTrue(events.stream().allMatch(e -> e.previews().size() == 1), "one image, one preview");
    }
}
