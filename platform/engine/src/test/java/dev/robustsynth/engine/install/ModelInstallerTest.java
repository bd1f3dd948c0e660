package dev.robustsynth.engine.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsynth.engine.Engine;
import dev.robustsynth.engine.EngineConfig;
import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.engine.testing.ModelDirs;
import dev.robustsynth.spi.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code models add} on a torch-exported classifier (autodiff's small_cnn fixture, 1×16×16, 10 classes) and a
 * temporary folder of PNGs: the model directory appears complete and an engine serves it; refusals name the
 * unsupported operator with its node, the wrong layout, or the input range the images show the model expects
 * ({@code byte_range_cnn.onnx}, a torch CNN trained on [0,255] colour images), and leave nothing behind.
 */
@Timeout(120)
class ModelInstallerTest {
    @TempDir
    Path tmp;

    List<String> classes() {
        List<String> c = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            c.add("class" + k);
        }
        return c;
    }

    Path pngs() throws Exception {
        SplittableRandom random = new SplittableRandom(4);
        Path root = tmp.resolve("images");
        for (String c : classes()) {
            Path dir = Files.createDirectories(root.resolve(c));
            for (int n = 0; n < 3; n++) {
                float[] px = new float[28 * 28];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (float) random.nextDouble();
                }
                Files.write(dir.resolve(n + ".png"), ImageCodec.encodePng(new Image(1, 28, 28, px)));
            }
        }
        return root;
    }

    ModelInstaller.Request request(Path onnx, Path models) throws Exception {
        return new ModelInstaller.Request(onnx, "user-cnn", classes(), pngs(), Optional.of("l2:1.5"), List.of("feat"),
                models);
    }

    static final List<String> COLOURS = List.of("red", "green", "blue");

    /** make_byte_range_fixture.py's classes: channel c uniform in [0.55,1], the others in [0,0.45]. */
    static List<Image> colourImages(int colour, int count, SplittableRandom random) {
        List<Image> images = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            float[] px = new float[3 * 32 * 32];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 32 * 32; i++) {
                    px[c * 32 * 32 + i] = (float) (c == colour ? 0.55 + 0.45 * random.nextDouble()
                            : 0.45 * random.nextDouble());
                }
            }
            images.add(new Image(3, 32, 32, px));
        }
        return images;
    }

    Path colourPngs() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        Path root = tmp.resolve("colours");
        for (int k = 0; k < COLOURS.size(); k++) {
            Path dir = Files.createDirectories(root.resolve(COLOURS.get(k)));
            List<Image> images = colourImages(k, 10, random);
            for (int n = 0; n < images.size(); n++) {
                Files.write(dir.resolve(n + ".png"), ImageCodec.encodePng(images.get(n)));
            }
        }
        return root;
    }

    @Test
    void refusesAModelThatExpectsByteInputNamingTheRangeAndLeavesNothingBehind() throws Exception {
        Path onnx = Files.write(tmp.resolve("bytes.onnx"), ModelDirs.fixture("byte_range_cnn.onnx"));
        Path models = Files.createDirectories(tmp.resolve("models"));
        ModelInstaller.RefusedException e = assertThrows(ModelInstaller.RefusedException.class,
                () -> ModelInstaller.install(new ModelInstaller.Request(onnx, "colours", COLOURS, colourPngs(),
                        Optional.empty(), List.of(), models)));
        System.out.println("refusal: " + e.getMessage());
        assertTrue(e.getMessage().contains("expect input in 0:255") && e.getMessage().contains("--input-range 0:255"),
                e.getMessage());
        try (Stream<Path> files = Files.list(models)) {
            assertEquals(0, files.count(), "nothing left in the models directory");
        }
    }

    @Test
    void withInputRange0To255TheCommandInstallsAModelThatClassifiesZeroToOneImages() throws Exception {
        Path onnx = Files.write(tmp.resolve("bytes.onnx"), ModelDirs.fixture("byte_range_cnn.onnx"));
        Path models = tmp.resolve("models");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = ModelsCommand.commandLine().setOut(new java.io.PrintWriter(out)).setErr(new java.io.PrintWriter(err))
                .execute("add", onnx.toString(), "--name", "colours", "--classes", String.join(",", COLOURS),
                        "--images", colourPngs().toString(), "--input-range", "0:255", "--models-dir",
                        models.toString());
        assertEquals(0, code, out + "\n" + err);
        System.out.print(out);
        assertTrue(out.toString().contains("range    0:255 (stated"), out.toString());
        List<Image> fresh = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(6);
        for (int k = 0; k < COLOURS.size(); k++) {
            for (Image im : colourImages(k, 20, random)) {
                fresh.add(im);
                labels.add(k);
            }
        }
        try (Engine engine = Engine.start(EngineConfig.builder().modelsDir(models).cacheDir(null).provider("cpu")
                .maxBatch(4).build())) {
            var predictions = engine.facade("colours", dev.robustsynth.engine.TaskControl.none()).classify(fresh);
            int right = 0;
            for (int i = 0; i < fresh.size(); i++) {
                float[] p = predictions.get(i).probabilities();
                int arg = 0;
                for (int k = 1; k < p.length; k++) {
                    arg = p[k] > p[arg] ? k : arg;
                }
                right += arg == labels.get(i) ? 1 : 0;
            }
            assertTrue(right >= 57, "served model right on " + right + " of 60 [0,1] images");
        }
        // the served graph takes [0,1]: added again without the flag, the check finds no better range
        ModelInstaller.Summary again = ModelInstaller.install(new ModelInstaller.Request(
                models.resolve("colours/model.onnx"), "colours-unit", COLOURS, colourPngs(), Optional.empty(),
                List.of(), models));
        assertTrue(again.inputRange().startsWith("0:1 (checked"), again.inputRange());
    }

    @Test
    void mcNemarIsTheExactOneSidedBinomialTailOfTheDiscordantPairs() {
        boolean[] a = new boolean[14];
        boolean[] base = new boolean[14];
        for (int i = 0; i < 10; i++) {
            a[i] = true;
        }
        a[12] = true;
        base[12] = true;
        base[13] = true;
        // 11 discordant pairs, 10 favour a: P(X >= 10 | 11, 1/2) = 12 / 2048
        assertEquals(12 / 2048.0, InputRangeCheck.mcNemarOneSided(a, base), 1e-12);
        assertEquals(1.0, InputRangeCheck.mcNemarOneSided(base, base), 1e-12);
    }

    @Test
    void addsATorchExportedModelThatAnEngineThenServes() throws Exception {
        Path onnx = Files.write(tmp.resolve("model.onnx"), ModelDirs.fixture("small_cnn.onnx"));
        Path models = tmp.resolve("models");
        ModelInstaller.Summary s = ModelInstaller.install(request(onnx, models));
        System.out.print(s.text());
        assertEquals("1x16x16", s.input());
        assertEquals(List.of("feat"), s.exposed());
        try (Stream<Path> files = Files.list(models)) {
            assertEquals(List.of(models.resolve("user-cnn")), files.toList(), "only the model directory");
        }
        JsonNode card = new ObjectMapper().readTree(models.resolve("user-cnn/model.json").toFile());
        assertEquals("diag-lowrank", card.path("seeds").path("kind").asText());
        assertEquals(1.5, card.path("threatModel").path("eps").asDouble());
        try (Engine engine = Engine.start(EngineConfig.builder().modelsDir(models).cacheDir(null).provider("cpu")
                .maxBatch(2).build())) {
            assertEquals(java.util.Set.of("user-cnn"), engine.modelNames());
            assertTrue(engine.modelInfo("user-cnn").orElseThrow().layer("feat").isPresent());
        }
    }

    @Test
    void refusesAnUnsupportedOperatorNamingItsTypeAndNodeAndLeavesNothingBehind() throws Exception {
        ModelProto m = ModelProto.parseFrom(ModelDirs.fixture("small_cnn.onnx"));
        var g = m.getGraph().toBuilder();
        int at = -1;
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (g.getNode(i).getOpType().equals("Relu")) {
                at = i;
                break;
            }
        }
        NodeProto relu = g.getNode(at);
        g.setNode(at, relu.toBuilder().setOpType("Erf"));
        Path onnx = Files.write(tmp.resolve("erf.onnx"), m.toBuilder().setGraph(g).build().toByteArray());
        Path models = Files.createDirectories(tmp.resolve("models"));
        ModelInstaller.RefusedException e = assertThrows(ModelInstaller.RefusedException.class,
                () -> ModelInstaller.install(request(onnx, models)));
        System.out.println("refusal: " + e.getMessage());
        assertTrue(e.getMessage().contains("Erf") && e.getMessage().contains(relu.getName()), e.getMessage());
        try (Stream<Path> files = Files.list(models)) {
            assertEquals(0, files.count(), "nothing left in the models directory");
        }
    }

    @Test
    void refusesAnNhwcInputNamingTheLayout() throws Exception {
        ModelProto m = ModelProto.parseFrom(ModelDirs.fixture("small_cnn.onnx"));
        var g = m.getGraph().toBuilder();
        var in = g.getInput(0).toBuilder();
        var shape = in.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        shape.getDimBuilder(1).setDimValue(16);
        shape.getDimBuilder(3).setDimValue(1);
        g.setInput(0, in);
        ModelInstaller.RefusedException e = assertThrows(ModelInstaller.RefusedException.class,
                () -> ModelInstaller.checkInput(m.toBuilder().setGraph(g).build()));
        assertTrue(e.getMessage().contains("NHWC"), e.getMessage());
    }

    @Test
    void theCommandAddsAModelAndExitsOneOnARefusal() throws Exception {
        Path onnx = Files.write(tmp.resolve("model.onnx"), ModelDirs.fixture("small_cnn.onnx"));
        Path models = tmp.resolve("models");
        Path images = pngs();
        java.io.StringWriter out = new java.io.StringWriter();
        var cli = ModelsCommand.commandLine().setOut(new java.io.PrintWriter(out));
        int code = cli.execute("add", onnx.toString(), "--name", "cli-cnn", "--classes", String.join(",", classes()),
                "--images", images.toString(), "--expose", "feat", "--models-dir", models.toString());
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("input    1x16x16") && out.toString().contains("exposed  feat"),
                out.toString());
        java.io.StringWriter err = new java.io.StringWriter();
        int again = ModelsCommand.commandLine().setErr(new java.io.PrintWriter(err)).execute("add", onnx.toString(),
                "--name", "cli-cnn", "--classes", "a,b", "--images", images.toString(), "--models-dir",
                models.toString());
        assertEquals(1, again);
        assertTrue(err.toString().contains("already exists"), err.toString());
    }
}
