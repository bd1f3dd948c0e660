package dev.robustsynth.engine.install;

import static java.util.Objects.requireNonNull;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.CompileOptions;
import dev.robustsynth.autodiff.CompiledModel;
import dev.robustsynth.autodiff.LayerInfo;
import dev.robustsynth.autodiff.SynthesisCompiler;
import dev.robustsynth.engine.Engine;
import dev.robustsynth.engine.EngineConfig;
import dev.robustsynth.engine.TaskControl;
import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.engine.image.ImageDecodeException;
import dev.robustsynth.engine.image.ImageLimits;
import dev.robustsynth.engine.model.LowRankSeedSampler;
import dev.robustsynth.engine.model.SeedFitter;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * {@code rsynth models add}: checks and compiles a user's ONNX classifier, writes its model directory
 * (docs/MODEL-FORMAT.md: {@code model.onnx}, {@code model.json}, diag-lowrank {@code seeds.bin} fitted from a folder
 * of example images, one sub-folder per class), runs a short smoke synthesis on it through a real engine, and only
 * then moves the directory into the models directory in one atomic rename. On any refusal nothing is left behind.
 */
public final class ModelInstaller {
    /** Seed resolution and rank: 18 KiB per class for RGB. */
    static final int SEED_SIZE = 16;
    static final int SEED_RANK = 4;

    private ModelInstaller() {}

    /**
     * What to install.
     *
     * @param onnx        the classifier: input [N,C,H,W] float, output [N,K] logits
     * @param name        model name (also the directory name)
     * @param classes     class names, K of them, in logit order
     * @param images      folder with one sub-folder per class, named as the class, holding PNG/JPEG images
     * @param threatModel e.g. {@code l2:3.0}; empty for a standard model
     * @param expose      layers to expose for feature painting
     * @param modelsDir   where the model directory goes
     * @param inputRange  the pixel range the classifier expects, folded into the served graph; empty: [0,1] unless
     *                    the images give clear evidence of another range, which is then refused naming it
     */
    public record Request(Path onnx, String name, List<String> classes, Path images, Optional<String> threatModel,
                          List<String> expose, Path modelsDir, Optional<InputRange> inputRange) {
        public Request(Path onnx, String name, List<String> classes, Path images, Optional<String> threatModel,
                       List<String> expose, Path modelsDir) {
            this(onnx, name, classes, images, threatModel, expose, modelsDir, Optional.empty());
        }

        public Request {
            requireNonNull(inputRange, "inputRange is null");
            requireNonNull(onnx, "onnx is null");
            requireNonNull(name, "name is null");
            classes = List.copyOf(classes);
            requireNonNull(images, "images is null");
            requireNonNull(threatModel, "threatModel is null");
            expose = List.copyOf(expose);
            requireNonNull(modelsDir, "modelsDir is null");
        }
    }

    /** What was installed, for the summary. */
    public record Summary(Path directory, String input, String inputRange, int classes, List<String> exposed, long weightBytes,
                          long bytesPerItem, long seedBytesPerClass, double stepMillis, int seedImages) {
        public String text() {
            return String.format(Locale.ROOT, "installed %s%n  input    %s float in [0,1]%n  range    %s%n  classes  %d%n"
                    + "  exposed  %s%n  memory   %.2f MiB of weights, ~%.2f MiB per batch item (synthesis working set,"
                    + " estimated), seeds %.1f KiB per class (fitted from %d images)%n"
                    + "  step     %.1f ms per synthesis evaluation (batch 1, smoke run)%n", directory, input, inputRange, classes,
                    exposed.isEmpty() ? "(none)" : String.join(", ", exposed), weightBytes / 1048576.0,
                    bytesPerItem / 1048576.0, seedBytesPerClass / 1024.0, seedImages, stepMillis);
        }
    }

    /** A refusal, with a message fit for the user. */
    public static final class RefusedException extends Exception {
        public RefusedException(String message) {
            super(message);
        }
    }

    public static Summary install(Request r) throws RefusedException, IOException {
        if (!r.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new RefusedException("model name '" + r.name() + "' must be letters, digits, '.', '_' or '-'");
        }
        Path target = r.modelsDir().resolve(r.name());
        if (Files.exists(target)) {
            throw new RefusedException(target + " already exists");
        }
        byte[] bytes = Files.readAllBytes(r.onnx());
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (IOException e) {
            throw new RefusedException(r.onnx() + " is not an ONNX model: " + e.getMessage());
        }
        int[] chw = checkInput(model);
        String range;
        if (r.inputRange().isPresent()) {
            InputRange stated = r.inputRange().get();
            if (!stated.fits(chw[0])) {
                throw new RefusedException("--input-range " + stated.flag() + " is for RGB models; the input has "
                        + chw[0] + " channel(s)");
            }
            model = stated.fold(model, imageInput(model).getName(), chw[0]);
            bytes = model.toByteArray();
            range = stated == InputRange.UNIT ? "0:1 (stated)"
                    : stated.flag() + " (stated; the served graph maps [0,1] onto it)";
        } else {
            range = null;
        }
        CompiledModel compiled;
        try {
            compiled = SynthesisCompiler.compile(model, CompileOptions.defaults().withExpose(r.expose()));
        } catch (CompileException e) {
            throw new RefusedException(r.onnx() + " cannot be served: " + e.getMessage());
        }
        int k = compiled.signature().classes();
        if (k != r.classes().size()) {
            throw new RefusedException("the model has " + k + " logits but " + r.classes().size() + " classes were"
                    + " given");
        }
        List<List<Image>> perClass = readImages(r.images(), r.classes(), chw[0]);
        if (range == null) {
            InputRangeCheck.Evidence evidence;
            try {
                evidence = InputRangeCheck.check(compiled, perClass, chw[0], chw[1], chw[2]);
            } catch (ai.onnxruntime.OrtException | ImageDecodeException e) {
                throw new RefusedException("the model could not classify the --images: " + e.getMessage());
            }
            if (evidence.better().isPresent()) {
                throw new RefusedException(evidence.refusal());
            }
            range = "0:1 (checked: correct on " + evidence.table() + ")";
        }

        Files.createDirectories(r.modelsDir());
        Path staging = Files.createTempDirectory(r.modelsDir(), "." + r.name() + ".installing-");
        try {
            Files.write(staging.resolve("model.onnx"), bytes);
            SeedFitter.Shape shape = new SeedFitter.Shape(chw[0], Math.min(SEED_SIZE, chw[1]),
                    Math.min(SEED_SIZE, chw[2]), SEED_RANK, 1e-4);
            SeedFitter.fit(perClass, shape, staging.resolve("seeds.bin"));
            writeCard(staging.resolve("model.json"), r, chw, bytes, model, compiled, shape);
            double stepMillis = smoke(staging, r.name(), chw, k);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            List<String> exposed = compiled.signature().exposed().stream().map(LayerInfo::name).toList();
            long activations = 0;
            try {
                for (LayerInfo l : SynthesisCompiler.layers(model)) {
                    activations += l.size();
                }
            } catch (CompileException e) {
                activations = 0;
            }
            return new Summary(target, chw[0] + "x" + chw[1] + "x" + chw[2], range, k, exposed, bytes.length,
                    (long) (activations * 4 * 1.5), LowRankSeedSampler.bytesPerClass(shape.channels(), shape.height(), shape.width(), shape.rank()),
                    stepMillis, perClass.stream().mapToInt(List::size).sum());
        } finally {
            deleteRecursively(staging);
        }
    }

    /** The single graph input that is not an initializer. */
    static ValueInfoProto imageInput(ModelProto model) throws RefusedException {
        var inits = new java.util.HashSet<String>();
        model.getGraph().getInitializerList().forEach(t -> inits.add(t.getName()));
        List<ValueInfoProto> inputs = model.getGraph().getInputList().stream()
                .filter(v -> !inits.contains(v.getName())).toList();
        if (inputs.size() != 1) {
            throw new RefusedException("the model must have one image input; it has " + inputs.size());
        }
        return inputs.get(0);
    }

    /** [C, H, W] of the single float NCHW image input. */
    static int[] checkInput(ModelProto model) throws RefusedException {
        ValueInfoProto in = imageInput(model);
        var type = in.getType().getTensorType();
        if (type.getElemType() != 1) {
            throw new RefusedException("input '" + in.getName() + "' has element type " + type.getElemType()
                    + "; a float32 image is required");
        }
        List<TensorShapeProto.Dimension> dims = type.getShape().getDimList();
        StringBuilder shown = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            shown.append(i == 0 ? "" : ",").append(dims.get(i).hasDimValue() ? String.valueOf(dims.get(i).getDimValue())
                    : dims.get(i).getDimParam());
        }
        shown.append("]");
        if (dims.size() != 4 || !dims.get(1).hasDimValue() || !dims.get(2).hasDimValue() || !dims.get(3).hasDimValue()) {
            throw new RefusedException("input '" + in.getName() + "' is " + shown + "; the layout must be NCHW with"
                    + " fixed C, H and W");
        }
        long c = dims.get(1).getDimValue();
        long last = dims.get(3).getDimValue();
        if (c != 1 && c != 3) {
            throw new RefusedException("input '" + in.getName() + "' is " + shown + (last == 1 || last == 3
                    ? ": this looks like NHWC layout; export the model with NCHW input [N,C,H,W]"
                    : ": 1 (grey) or 3 (RGB) channels are served"));
        }
        return new int[] {(int) c, (int) dims.get(2).getDimValue(), (int) last};
    }

    static List<List<Image>> readImages(Path root, List<String> classes, int channels) throws RefusedException,
            IOException {
        if (!Files.isDirectory(root)) {
            throw new RefusedException("image folder " + root + " does not exist");
        }
        List<List<Image>> perClass = new ArrayList<>();
        for (String name : classes) {
            Path dir = root.resolve(name);
            if (!Files.isDirectory(dir)) {
                throw new RefusedException("image folder " + root + " has no sub-folder '" + name + "' for class "
                        + name);
            }
            List<Image> images = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    try {
                        images.add(ImageCodec.toChannels(ImageCodec.decode(Files.readAllBytes(f),
                                ImageLimits.defaults()), channels));
                    } catch (ImageDecodeException e) {
                        throw new RefusedException(f + ": " + e.getMessage());
                    }
                }
            }
            if (images.isEmpty()) {
                throw new RefusedException(dir + " holds no images for class " + name);
            }
            perClass.add(images);
        }
        return perClass;
    }

    private static void writeCard(Path file, Request r, int[] chw, byte[] onnx, ModelProto model,
                                  CompiledModel compiled, SeedFitter.Shape seeds) throws IOException,
            RefusedException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode card = json.createObjectNode();
        card.put("name", r.name()).put("formatVersion", 1);
        ArrayNode classes = card.putArray("classes");
        r.classes().forEach(classes::add);
        ObjectNode input = card.putObject("input").put("channels", chw[0]).put("height", chw[1])
                .put("width", chw[2]).put("layout", "NCHW").put("name", "x");
        input.putArray("range").add(0).add(1);
        card.putObject("output").put("name", "logits");
        if (r.threatModel().isPresent()) {
            String[] parts = r.threatModel().get().split(":");
            double eps;
            try {
                eps = Double.parseDouble(parts.length == 2 ? parts[1] : "x");
            } catch (NumberFormatException e) {
                throw new RefusedException("--threat-model must be l2:EPS or linf:EPS, got " + r.threatModel().get());
            }
            String norm = parts[0].toLowerCase(Locale.ROOT);
            if (!(norm.equals("l2") || norm.equals("linf")) || !(eps > 0)) {
                throw new RefusedException("--threat-model must be l2:EPS or linf:EPS, got " + r.threatModel().get());
            }
            card.putObject("threatModel").put("norm", norm).put("eps", eps);
        } else {
            card.putNull("threatModel");
        }
        ArrayNode layers = card.putArray("layers");
        for (LayerInfo l : compiled.signature().exposed()) {
            ArrayNode shape = layers.addObject().put("name", l.name()).put("description", l.op() + " output")
                    .putArray("shape");
            l.shape().forEach(shape::add);
        }
        int opset = model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty()).mapToInt(o ->
                (int) o.getVersion()).findFirst().orElse(0);
        card.putObject("onnx").put("file", "model.onnx").put("sha256", sha256(onnx)).put("opset", opset);
        card.putObject("seeds").put("file", "seeds.bin").put("channels", seeds.channels())
                .put("height", seeds.height()).put("width", seeds.width()).put("kind", LowRankSeedSampler.KIND)
                .put("rank", seeds.rank()).put("ridge", seeds.ridge());
        Files.write(file, json.writeValueAsBytes(card));
    }

    /** Three synthesis steps from a seed of class 0 in a real engine on the staged directory; ms per evaluation. */
    private static double smoke(Path staged, String name, int[] chw, int k) throws RefusedException {
        try (Engine engine = Engine.start(EngineConfig.builder().modelsDir(Path.of("/nonexistent"))
                .extraDirs(List.of(staged)).cacheDir(null).provider("cpu").maxBatch(1).build())) {
            if (!engine.modelNames().contains(name)) {
                throw new RefusedException("the engine refused the model: " + engine.health().failedModels());
            }
            ModelFacade m = engine.facade(name, TaskControl.none());
            Image seed = m.seeds().orElseThrow().sample(0, new SplittableRandom(1));
            long t0 = System.nanoTime();
            var out = m.synthesize(new SynthesisSpec(List.of(SynthesisItem.of(seed, Objective.towardClass(0, k))),
                    new StepRule(Norm.L2, 10, 1, 3, false), 0, "synthesis"));
            double ms = (System.nanoTime() - t0) / 1e6 / (out.stepsRun() + 1);
            double loss = out.items().get(0).finalLoss();
            if (!Double.isFinite(loss)) {
                throw new RefusedException("the smoke synthesis gave a non-finite loss");
            }
            return ms;
        } catch (dev.robustsynth.spi.TaskException e) {
            throw new RefusedException("the smoke synthesis failed: " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
