package dev.robustsynth.service.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.cli.OutcomeImage;
import dev.robustsynth.cli.ProgressEvent;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.TaskStatus;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.service.testing.FashionMnist;
import dev.robustsynth.service.testing.GreyImages;
import dev.robustsynth.service.testing.ServiceTestResource;
import dev.robustsynth.service.testing.TestImages;
import dev.robustsynth.service.testing.TestModels;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each of the six task plugins end to end on the shipped robust Fashion model: a request through the CLI's client
 * library onto the real broker in this JVM, the service, the plugin, the engine (a real ONNX Runtime session on
 * {@code models/fashion-robust-l2}) and back as a result message. Inputs are real Fashion-MNIST test images; every
 * run takes 10 steps. The tests check the effect each task promises, through the result's JSON metadata and the
 * returned PNGs (decoded with the JDK): directions and bounds only, since the shipped model may be retrained.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class TaskPluginsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int STEPS = 10;
    private static final int PIXELS = FashionMnist.SIZE * FashionMnist.SIZE;
    /** Slack on the L2 ball for float rounding in the engine. */
    private static final double EPS_SLACK = 1e-4;
    /** The paint strokes' box: its top-left corner on the diagonal and its side. */
    private static final int BOX_AT = 8;
    private static final int BOX_SIDE = 12;
    private static RsynthClient client;

    private final List<ProgressEvent> progress = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void connect() throws Exception {
        client = new RsynthClient(RsynthClientConfig.of(ServiceTestResource.bootstrap));
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void needsTheShippedModel() {
        assumeTrue(TestModels.shipped(), "models/" + TestModels.SHIPPED_NAME + " is not in this checkout");
    }

    @Test
    void generateRaisesTheClassProbabilityAndMostResultsAreThatClass() throws Exception {
        int count = 5;
        TaskOutcome outcome = run(TaskSubmission.builder("generate").id("plugins-generate-1")
                .param("class", "sneaker").param("count", count).param("steps", STEPS).seed(7), "generate");

        double eps = outcome.metadata().path("eps").asDouble();
        assertEquals(List.of("sneaker"), texts(outcome.metadata().path("classes")));
        assertEquals(2 * count, outcome.images().size(), "results, then seeds");
        int asked = 0;
        for (int i = 0; i < count; i++) {
            OutcomeImage result = outcome.images().get(i);
            OutcomeImage seed = outcome.images().get(count + i);
            assertEquals("result", result.role());
            assertEquals("seed", seed.role());
            assertModelSized(result);
            assertModelSized(seed);
            JsonNode meta = result.metadata();
            assertEquals("sneaker", meta.path("class").asText());
            double start = meta.path("startProbability").asDouble();
            double end = meta.path("finalProbability").asDouble();
            assertTrue(meta.path("steps").asInt() <= STEPS);
            if (meta.path("stoppedEarly").asBoolean()) {
                assertTrue(end >= 0.9 && meta.path("steps").asInt() < STEPS, "early stop at p ≥ 0.9: " + meta);
            }
            assertTrue(end > start, "image " + i + ": p(sneaker) " + start + " → " + end);
            assertEquals(start, seed.metadata().path("probability").asDouble(), 1e-6, "the seed is the start");
            assertWithinBall(meta, eps);
            assertTrue(GreyImages.l2(samples(result), samples(seed)) <= eps + GreyImages.quantisationSlack(PIXELS),
                    "the result PNG lies in the ball around its seed PNG");
            asked += "sneaker".equals(meta.path("finalPredicted").asText()) ? 1 : 0;
        }
        assertTrue(asked > count / 2, "only " + asked + " of " + count + " results are classified as sneaker: "
                + summary(outcome));
        assertProgress(STEPS);
    }

    /* A seed already at stopAt retires before its first step; one below it stops within the budget. */
    @Test
    void generateEndsEachItemOnceItsClassReachesStopAt() throws Exception {
        int budget = 40;
        double stopAt = 0.97;
        int count = 3;
        TaskOutcome outcome = run(TaskSubmission.builder("generate").id("plugins-generate-stop")
                .param("class", "trouser").param("count", count).param("steps", budget).param("stopAt", stopAt)
                .param("returnSeeds", false).seed(12), "generate", budget);

        assertEquals(count, outcome.images().size());
        int stopped = 0;
        int driven = 0;
        for (OutcomeImage result : outcome.images()) {
            JsonNode meta = result.metadata();
            int steps = meta.path("steps").asInt();
            System.out.println("early stop: p " + meta.path("startProbability").asDouble() + " → "
                    + meta.path("finalProbability").asDouble() + " after " + steps + " steps");
            assertTrue(meta.path("stoppedEarly").asBoolean(false), "stopped before the budget: " + meta);
            assertTrue(steps < budget && meta.path("finalProbability").asDouble() >= stopAt - 1e-6,
                    "stopped at p ≥ " + stopAt + ": " + meta);
            if (meta.path("startProbability").asDouble() >= stopAt) {
                assertEquals(0, steps, "a seed already at stopAt is returned as it is");
                assertEquals(0.0, meta.path("l2Moved").asDouble(), 1e-9);
            } else {
                assertTrue(steps > 0, "a seed below stopAt takes steps: " + meta);
                driven++;
            }
            stopped++;
        }
        assertTrue(driven > 0, "at least one seed started below stopAt: " + summary(outcome));
        assertEquals(stopped, outcome.metadata().path("stoppedEarly").asInt());
    }

    @Test
    void inpaintKeepsTheKnownPixelsAndFillsTheHoleTowardTheClass() throws Exception {
        FashionMnist data = FashionMnist.testSet();
        int index = data.indexOf("ankle boot", 0);
        int[] original = data.samples(index);
        TaskOutcome outcome = run(TaskSubmission.builder("inpaint").id("plugins-inpaint-keep")
                .image("image", data.png(index)).param("hole", object().put("size", 10))
                .param("class", "ankle boot").param("keepKnown", true).param("eps", 3.0).param("steps", STEPS)
                .seed(5), "inpaint");

        JsonNode hole = outcome.metadata().path("hole");
        assertEquals(10, hole.path("size").asInt());
        boolean[] missing = holeMask(hole);
        assertEquals(100, GreyImages.count(missing));
        assertEquals(List.of("result", "corrupted", "mask"), roles(outcome));
        OutcomeImage result = outcome.images().get(0);
        assertModelSized(result);
        int[] painted = samples(result);
        int[] corrupted = samples(outcome.images().get(1));
        assertArrayEquals(mask(missing), samples(outcome.images().get(2)), "the mask image is the hole");
        assertEquals(0.0, GreyImages.maxAbs(corrupted, original, GreyImages.not(missing)),
                "the corrupted image keeps the known pixels");
        assertEquals(0.0, GreyImages.maxAbs(painted, original, GreyImages.not(missing)),
                "keepKnown: the known pixels are exactly the input's");
        assertTrue(GreyImages.maxAbs(painted, corrupted, missing) > 0, "the hole changed");

        JsonNode meta = result.metadata();
        assertEquals("given", outcome.metadata().path("target").asText());
        assertTrue(meta.path("finalProbability").asDouble() > meta.path("startProbability").asDouble(),
                summary(outcome));
        assertEquals(0.0, meta.path("knownL2Change").asDouble(), 1e-6);
        assertTrue(meta.path("missingL2Change").asDouble() > 0);
        assertWithinBall(meta, 3.0);
        assertTrue(GreyImages.l2(painted, corrupted) <= 3.0 + GreyImages.quantisationSlack(PIXELS));
        assertProgress(STEPS);
    }

    @Test
    void inpaintWithOnlyThePenaltyBarelyMovesTheKnownPixels() throws Exception {
        FashionMnist data = FashionMnist.testSet();
        int index = data.indexOf("trouser", 0);
        int[] original = data.samples(index);
        int[] hole = GreyImages.box(28, 28, 9, 9, 10, 10);
        TaskOutcome outcome = run(TaskSubmission.builder("inpaint").id("plugins-inpaint-penalty")
                .image("image", data.png(index)).image("mask", GreyImages.png(28, 28, hole))
                .param("eps", 3.0).param("steps", STEPS).seed(6), "inpaint");

        boolean[] missing = GreyImages.white(hole);
        boolean[] known = GreyImages.not(missing);
        int[] painted = samples(outcome.images().get(0));
        int[] corrupted = samples(outcome.images().get(1));
        JsonNode meta = outcome.images().get(0).metadata();
        assertEquals("predicted", outcome.metadata().path("target").asText());
        assertTrue(meta.path("finalProbability").asDouble() > meta.path("startProbability").asDouble(),
                summary(outcome));
        assertWithinBall(meta, 3.0);
        double knownRms = GreyImages.l2(painted, original, known) / Math.sqrt(GreyImages.count(known));
        double holeRms = GreyImages.l2(painted, corrupted, missing) / Math.sqrt(GreyImages.count(missing));
        assertTrue(knownRms < holeRms, "known pixels moved " + knownRms + " (rms) against " + holeRms
                + " in the hole");
        assertTrue(GreyImages.maxAbs(painted, original, known) <= 0.25, "a known pixel moved by "
                + GreyImages.maxAbs(painted, original, known));
        assertTrue(meta.path("knownL2Change").asDouble() < meta.path("missingL2Change").asDouble());
    }

    @Test
    void superresFromSevenBySevenSharpensTowardThePredictedClassInsideTheBall() throws Exception {
        FashionMnist data = FashionMnist.testSet();
        int index = data.indexOf("trouser", 1);
        int[] low = GreyImages.downsampleArea(data.samples(index), 28, 28, 4);
        TaskOutcome outcome = run(TaskSubmission.builder("superres").id("plugins-superres-4")
                .image("image", GreyImages.png(7, 7, low)).param("factor", 4).param("upsample", "nearest")
                .param("steps", STEPS).seed(3), "superres");

        assertEquals(List.of("result", "upsampled"), roles(outcome));
        OutcomeImage result = outcome.images().get(0);
        assertModelSized(result);
        int[] upsampled = samples(outcome.images().get(1));
        assertArrayEquals(GreyImages.upsampleNearest(low, 7, 7, 4), upsampled, "nearest upsampling ×4");
        assertSharpenedInsideTheBall(outcome, upsampled);
        saveForLooking("superres-input-7x7.png", GreyImages.png(7, 7, low));
        saveForLooking("superres-result.png", result.bytes());
        assertEquals(4, outcome.metadata().path("factor").asInt());
        assertTrue(outcome.metadata().path("consistencyPsnr").asDouble() >= 35,
                "the result re-downsamples to its input: " + outcome.metadata().path("consistencyPsnr"));
        assertProgress(STEPS);
    }

    @Test
    void superresFromFourteenByFourteenBilinear() throws Exception {
        FashionMnist data = FashionMnist.testSet();
        int index = data.indexOf("bag", 0);
        int[] low = GreyImages.downsampleArea(data.samples(index), 28, 28, 2);
        TaskOutcome outcome = run(TaskSubmission.builder("superres").id("plugins-superres-2")
                .image("image", GreyImages.png(14, 14, low)).param("factor", 2).param("upsample", "bilinear")
                .param("steps", STEPS).seed(4), "superres");

        assertModelSized(outcome.images().get(0));
        assertEquals("bilinear", outcome.metadata().path("upsample").asText());
        assertSharpenedInsideTheBall(outcome, samples(outcome.images().get(1)));
    }

    private static void assertSharpenedInsideTheBall(TaskOutcome outcome, int[] upsampled) {
        JsonNode meta = outcome.images().get(0).metadata();
        assertEquals("predicted", outcome.metadata().path("target").asText());
        assertEquals(outcome.images().get(1).metadata().path("predicted").asText(), meta.path("class").asText(),
                "the target is the prediction on the upsampled image");
        assertTrue(meta.path("finalProbability").asDouble() > meta.path("startProbability").asDouble(),
                summary(outcome));
        double eps = outcome.metadata().path("eps").asDouble();
        assertWithinBall(meta, eps);
        assertTrue(GreyImages.l2(samples(outcome.images().get(0)), upsampled)
                <= eps + GreyImages.quantisationSlack(PIXELS), "the result PNG lies in the ball around the upsampled");
        assertTrue(meta.path("l2Moved").asDouble() > 0, "the steps moved the image");
    }

    @Test
    void translateMovesATrouserTowardDressInsideTheBall() throws Exception {
        FashionMnist data = FashionMnist.testSet();
        int index = data.indexOf("trouser", 2);
        TaskOutcome outcome = run(TaskSubmission.builder("translate").id("plugins-translate-1")
                .image("image", data.png(index)).param("class", "dress").param("eps", 2.0).param("steps", STEPS)
                .seed(8), "translate");

        assertEquals(List.of("result", "source"), roles(outcome));
        assertArrayEquals(data.samples(index), samples(outcome.images().get(1)), "the source comes back unchanged");
        JsonNode meta = outcome.images().get(0).metadata();
        assertEquals("dress", meta.path("class").asText());
        assertTrue(meta.path("finalProbability").asDouble() > meta.path("startProbability").asDouble(),
                summary(outcome));
        assertWithinBall(meta, 2.0);
        assertTrue(GreyImages.l2(samples(outcome.images().get(0)), data.samples(index))
                <= 2.0 + GreyImages.quantisationSlack(PIXELS));
        assertProgress(STEPS);
    }

    @Test
    void sketchInvertsADarkOnLightDrawingAndMovesItTowardBag() throws Exception {
        FashionMnist data = FashionMnist.testSet();
        int[] drawing = GreyImages.invert(outline(data.samples(data.indexOf("bag", 1))));
        TaskOutcome outcome = run(TaskSubmission.builder("sketch").id("plugins-sketch-1")
                .image("image", GreyImages.png(28, 28, drawing)).param("class", "bag").param("invert", true)
                .param("eps", 3.0).param("steps", STEPS).seed(9), "sketch");

        assertEquals(List.of("result", "sketch"), roles(outcome));
        int[] start = samples(outcome.images().get(1));
        assertArrayEquals(GreyImages.invert(drawing), start, "invert: the task starts from the light-on-dark drawing");
        assertTrue(outcome.metadata().path("inverted").asBoolean(false));
        JsonNode meta = outcome.images().get(0).metadata();
        assertEquals("bag", meta.path("class").asText());
        assertTrue(meta.path("finalProbability").asDouble() > meta.path("startProbability").asDouble(),
                summary(outcome));
        assertWithinBall(meta, 3.0);
        assertTrue(GreyImages.l2(samples(outcome.images().get(0)), start)
                <= 3.0 + GreyImages.quantisationSlack(PIXELS));
        assertProgress(STEPS);
    }

    /* The channel chosen by the image method, a small step (0.1) and an anchor (lambda 1) on the pixels outside. */
    @Test
    void paintRaisesTheClassTiedFeatureInsideTheBoxMoreThanOutside() throws Exception {
        FashionMnist data = FashionMnist.testSet();
        int index = data.indexOf("t-shirt/top", 0);
        int side = BOX_SIDE;
        TaskOutcome outcome = run(TaskSubmission.builder("paint").id("plugins-paint-1")
                .image("image", data.png(index)).param("strokes", boxStrokeTowardBag())
                .param("featureSelection", "image").param("stepSize", 0.1).param("lambda", 1.0)
                .param("steps", STEPS).seed(10), "paint");

        assertEquals(List.of("result", "source"), roles(outcome));
        int[] source = data.samples(index);
        assertArrayEquals(source, samples(outcome.images().get(1)));
        JsonNode meta = outcome.images().get(0).metadata();
        JsonNode s = meta.path("strokes").path(0);
        assertEquals("stage3", s.path("layer").asText());
        assertEquals("image", s.path("featureSelection").asText());
        assertTrue(s.path("channel").isInt());
        assertFalse(s.path("confinedToRegion").asBoolean(true), "stage3 is spatial: the feature is localised");
        assertEquals(side * side, s.path("regionPixels").asInt());
        double insideGain = s.path("activationInsideAfter").asDouble() - s.path("activationInsideBefore").asDouble();
        double outsideGain = s.path("activationOutsideAfter").asDouble()
                - s.path("activationOutsideBefore").asDouble();
        assertTrue(insideGain > 0, "the feature rose inside the box: " + s);
        assertTrue(insideGain > outsideGain, "inside gain " + insideGain + " vs outside " + outsideGain);
        assertTrue(s.path("finalLoss").asDouble() < s.path("startLoss").asDouble(), "the stroke's objective fell");

        int[] painted = samples(outcome.images().get(0));
        boolean[] inside = boxMask(BOX_AT, BOX_AT, side, side);
        double insideRms = GreyImages.l2(painted, source, inside) / side;
        double outsideRms = GreyImages.l2(painted, source, GreyImages.not(inside)) / Math.sqrt(PIXELS - side * side);
        assertTrue(outsideRms < insideRms, "pixels outside moved " + outsideRms + " (rms) against " + insideRms);
        assertWithinBall(s, outcome.metadata().path("eps").asDouble());
        assertProgress(STEPS);
    }

    /*
     * The defaults (the model card's eps and step size, feather 1, lambda 0), a spatial layer, class-tied channel
     * chosen from seeds. Inside/outside is measured on the returned PNGs: outside is everything but the box, so the
     * feathered ring counts against the stroke.
     */
    @Test
    void paintAtItsDefaultsChangesTheStrokesRegionVisiblyMoreThanTheRest() throws Exception {
        FashionMnist data = FashionMnist.testSet();
        int index = data.indexOf("t-shirt/top", 1);
        int side = BOX_SIDE;
        TaskOutcome outcome = run(TaskSubmission.builder("paint").id("plugins-paint-default")
                .image("image", data.png(index)).param("strokes", boxStrokeTowardBag())
                .param("steps", STEPS).seed(13), "paint");

        int[] source = data.samples(index);
        int[] painted = samples(outcome.images().get(0));
        boolean[] inside = boxMask(BOX_AT, BOX_AT, side, side);
        double insideL2 = GreyImages.l2(painted, source, inside);
        double outsideL2 = GreyImages.l2(painted, source, GreyImages.not(inside));
        double insideRms = insideL2 / side;
        System.out.printf("paint defaults: inside L2 %.4f (rms %.4f), outside L2 %.4f, ratio %.2f%n", insideL2,
                insideRms, outsideL2, insideL2 / outsideL2);
        assertTrue(insideL2 >= 5 * outsideL2, "inside L2 " + insideL2 + " vs outside " + outsideL2);
        assertTrue(insideRms >= 0.05, "a visible change inside the box: rms " + insideRms);
        JsonNode s = outcome.images().get(0).metadata().path("strokes").path(0);
        assertEquals("seeds", s.path("featureSelection").asText());
        assertTrue(s.path("activationInsideAfter").asDouble() > s.path("activationInsideBefore").asDouble(),
                "the feature rose inside the box: " + s);
        saveForLooking("paint-before.png", data.png(index));
        saveForLooking("paint-after.png", outcome.images().get(0).bytes());
    }

    @Test
    void paintOnAPooledLayerRaisesTheFeatureAndFreezesThePixelsOutsideTheRegion() throws Exception {
        FashionMnist data = FashionMnist.testSet();
        int index = data.indexOf("pullover", 0);
        int[] region = GreyImages.box(28, 28, 6, 10, 16, 8);
        ObjectNode stroke = object().put("layer", "features").put("class", "coat");
        TaskOutcome outcome = run(TaskSubmission.builder("paint").id("plugins-paint-pooled")
                .image("image", data.png(index)).image("mask", GreyImages.png(28, 28, region))
                .param("strokes", JsonNodeFactory.instance.arrayNode().add(stroke))
                .param("featureSelection", "image").param("steps", STEPS).seed(11), "paint");

        JsonNode s = outcome.images().get(0).metadata().path("strokes").path(0);
        assertEquals("features", s.path("layer").asText());
        assertTrue(s.path("confinedToRegion").asBoolean(false), "a pooled layer cannot localise: pixels are frozen");
        assertTrue(s.path("activationInsideAfter").asDouble() > s.path("activationInsideBefore").asDouble(),
                "the chosen feature rose: " + s);
        int[] source = data.samples(index);
        int[] painted = samples(outcome.images().get(0));
        boolean[] inside = GreyImages.white(region);
        assertEquals(0.0, GreyImages.maxAbs(painted, source, GreyImages.not(inside)), "pixels outside the region");
        assertTrue(GreyImages.maxAbs(painted, source, inside) > 0, "the region changed");
        assertEquals(0.0, s.path("outsideL2Change").asDouble(), 1e-6);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private TaskOutcome run(TaskSubmission.Builder request, String type) throws Exception {
        return run(request, type, STEPS);
    }

    private TaskOutcome run(TaskSubmission.Builder request, String type, int steps) throws Exception {
        progress.clear();
        TaskOutcome outcome = client.run(request.model(TestModels.SHIPPED_NAME).build(), WAIT, progress::add);
        assertEquals(TaskStatus.SUCCEEDED, outcome.status(), outcome.json().toString());
        assertEquals("rsynth-" + type, outcome.provenance().path("plugin").asText());
        assertEquals(TestModels.SHIPPED_NAME, outcome.provenance().path("model").asText());
        assertEquals(steps, outcome.metadata().path("steps").asInt());
        System.out.println(type + ": " + summary(outcome));
        return outcome;
    }

    private void assertProgress(int steps) {
        assertFalse(progress.isEmpty(), "progress events on rsynth.progress");
        ProgressEvent last = progress.get(progress.size() - 1);
        assertEquals(steps, last.step(), progress::toString);
        assertEquals(1.0, last.fraction(), 1e-9);
    }

    private static void assertModelSized(OutcomeImage image) {
        assertEquals(28, image.width());
        assertEquals(28, image.height());
        assertEquals(1, image.channels());
        assertArrayEquals(new int[] {28, 28}, GreyImages.size(image.bytes()));
    }

    private static void assertWithinBall(JsonNode meta, double eps) {
        double moved = meta.path("l2Moved").asDouble(Double.NaN);
        assertTrue(moved <= eps + EPS_SLACK, "l2Moved " + moved + " > eps " + eps);
        double fromCentre = meta.path("l2FromCentre").asDouble(Double.NaN);
        assertTrue(Double.isNaN(fromCentre) || fromCentre <= eps + EPS_SLACK, "l2FromCentre " + fromCentre);
    }

    /** Writes a PNG for a person to look at, only when the system property {@code look.dir} names a folder. */
    private static void saveForLooking(String name, byte[] png) throws java.io.IOException {
        String dir = System.getProperty("look.dir", "");
        if (!dir.isBlank()) {
            java.nio.file.Files.write(java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir)).resolve(name),
                    png);
        }
    }

    private static int[] samples(OutcomeImage image) {
        assertTrue(image.hasBytes(), "image " + image.role() + " travelled inline");
        return TestImages.greySamples(image.bytes());
    }

    private static List<String> roles(TaskOutcome outcome) {
        return outcome.images().stream().map(OutcomeImage::role).toList();
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static boolean[] holeMask(JsonNode hole) {
        int size = hole.path("size").asInt();
        return boxMask(hole.path("x").asInt(), hole.path("y").asInt(), size, size);
    }

    /** One stroke raising the stage3 channel most tied to bag in the box of side {@link #BOX_SIDE} at {@link #BOX_AT}. */
    private static ArrayNode boxStrokeTowardBag() {
        ObjectNode stroke = object().put("layer", "stage3").put("class", "bag");
        stroke.set("box", object().put("x", BOX_AT).put("y", BOX_AT).put("width", BOX_SIDE).put("height", BOX_SIDE));
        return JsonNodeFactory.instance.arrayNode().add(stroke);
    }

    private static boolean[] boxMask(int x, int y, int width, int height) {
        boolean[] out = new boolean[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            out[i] = GreyImages.inBox(i, 28, x, y, width, height);
        }
        return out;
    }

    private static int[] mask(boolean[] where) {
        int[] out = new int[where.length];
        for (int i = 0; i < where.length; i++) {
            out[i] = where[i] ? 255 : 0;
        }
        return out;
    }

    /** A line drawing of an image: 255 on the object's boundary (a pixel above 0.3 next to one below), else 0. */
    private static int[] outline(int[] image) {
        int[] out = new int[image.length];
        int threshold = 77;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (image[y * 28 + x] < threshold) {
                    continue;
                }
                boolean edge = x == 0 || y == 0 || x == 27 || y == 27
                        || image[y * 28 + x - 1] < threshold || image[y * 28 + x + 1] < threshold
                        || image[(y - 1) * 28 + x] < threshold || image[(y + 1) * 28 + x] < threshold;
                out[y * 28 + x] = edge ? 255 : 0;
            }
        }
        return out;
    }

    /** The facts worth seeing when an effect assertion fails: per result, class, probabilities, distance. */
    private static String summary(TaskOutcome outcome) {
        StringBuilder out = new StringBuilder("eps=" + outcome.metadata().path("eps").asDouble());
        for (OutcomeImage image : outcome.images()) {
            if (!"result".equals(image.role())) {
                continue;
            }
            JsonNode m = image.metadata();
            out.append(String.format(" [%s p %.4f→%.4f pred %s→%s l2 %.3f]", m.path("class").asText("-"),
                    m.path("startProbability").asDouble(Double.NaN), m.path("finalProbability").asDouble(Double.NaN),
                    m.path("startPredicted").asText(), m.path("finalPredicted").asText(),
                    m.path("l2Moved").asDouble(Double.NaN)));
        }
        return out.toString();
    }
}
