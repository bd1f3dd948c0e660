package dev.robustsynth.engine.model;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.robustsynth.engine.optim.Layers;
import dev.robustsynth.engine.optim.SpecPlanner;
import dev.robustsynth.engine.runtime.OrtForward;
import dev.robustsynth.engine.runtime.OrtGradientBackend;
import dev.robustsynth.engine.runtime.SessionFactory;
import dev.robustsynth.engine.runtime.SharedWeights;
import dev.robustsynth.engine.schedule.Admission;
import dev.robustsynth.engine.schedule.StepScheduler;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.SeedSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Finds, checks, compiles and opens every model directory, once per process.
 *
 * <p>A model directory holds {@code model.json}, the ONNX file it names and optionally {@code seeds.bin} and
 * {@code seeds-mixture.bin} (docs/MODEL-FORMAT.md). The models root contributes each sub-directory with a card; an
 * extra directory is a model directory itself or, failing that, another root. For each model: the card is read; the ONNX file's sha256 is
 * computed and a mismatch with the card's {@code onnx.sha256} <b>refuses</b> the model (results carry the checksum
 * as provenance, so serving a different file would make them lie; a card without a checksum is served with a
 * warning); the synthesis and forward graphs come from the {@link GraphCache} or the {@link GraphCompiler}; two
 * sessions are opened; a warm-up evaluation runs at full batch. A model that fails any of this is logged and
 * listed in {@link #failures()}; the others are served.
 */
public final class ModelRegistry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class.getName());
    static final String CARD = "model.json";
    /** Smaller weights are not worth an extra tensor: ORT may fold or pre-pack them anyway. */
    static final int SHARE_MIN_ELEMENTS = 256;

    /**
     * How models are opened.
     *
     * @param maxBatch most images per synthesis-graph evaluation
     * @param warmUp   whether to run one synthesis and one forward evaluation at load
     * @param planner  the spec checks each scheduler applies
     * @param cache    where compiled graphs are kept; empty to compile every time
     * @param admission how each scheduler splits a tick between interactive and bulk syntheses
     */
    public record Options(int maxBatch, boolean warmUp, SpecPlanner planner, Optional<GraphCache> cache,
                          long maxModelBytes, Admission admission) {
        public Options {
            requireNonNull(admission, "admission is null");
            if (maxBatch <= 0) {
                throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
            }
            if (maxModelBytes <= 0) {
                throw new IllegalArgumentException("maxModelBytes must be positive, got " + maxModelBytes);
            }
            requireNonNull(planner, "planner is null");
            requireNonNull(cache, "cache is null");
        }

        /** Without a memory bound beyond {@link dev.robustsynth.engine.EngineConfig#DEFAULT_MAX_MODEL_BYTES}. */
        public Options(int maxBatch, boolean warmUp, SpecPlanner planner, Optional<GraphCache> cache) {
            this(maxBatch, warmUp, planner, cache, dev.robustsynth.engine.EngineConfig.DEFAULT_MAX_MODEL_BYTES);
        }

        /** With the default {@link Admission}. */
        public Options(int maxBatch, boolean warmUp, SpecPlanner planner, Optional<GraphCache> cache,
                       long maxModelBytes) {
            this(maxBatch, warmUp, planner, cache, maxModelBytes, Admission.defaults());
        }
    }

    /**
     * The batch a model gets under the memory bound: {@code maxBatch}, cut so that its weights plus {@code batch}
     * items fit in {@code maxModelBytes}.
     *
     * @throws ModelLoadException when not even one item fits, with the numbers
     */
    static int batchWithin(Path dir, long weightBytes, java.util.OptionalLong perItem, Options options)
            throws ModelLoadException {
        if (perItem.isEmpty()) {
            return options.maxBatch();
        }
        long room = options.maxModelBytes() - weightBytes;
        long fits = room <= 0 ? 0 : room / Math.max(1, perItem.getAsLong());
        if (fits < 1) {
            throw new ModelLoadException(String.format(java.util.Locale.ROOT, "%s: does not fit the memory bound of"
                    + " %.1f MiB per model: %.1f MiB of weights plus %.1f MiB per batch item (synthesis graph working"
                    + " set, estimated) leave room for no image; raise the bound (EngineConfig.maxModelBytes) or serve"
                    + " a smaller input size", dir, mib(options.maxModelBytes()), mib(weightBytes),
                    mib(perItem.getAsLong())));
        }
        int batch = (int) Math.min(options.maxBatch(), fits);
        if (batch < options.maxBatch()) {
            LOG.warning(String.format(java.util.Locale.ROOT, "%s: batch cut from %d to %d to fit the memory bound of"
                    + " %.1f MiB (%.1f MiB of weights, %.1f MiB per batch item)", dir, options.maxBatch(), batch,
                    mib(options.maxModelBytes()), mib(weightBytes), mib(perItem.getAsLong())));
        }
        return batch;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private final Map<String, LoadedModel> models = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, String> failures = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Optional<Path> root;
    private final List<Path> extra;
    private final GraphCompiler compiler;
    private final SessionFactory sessions;
    private final Options options;
    /** Directory → name of the model served from it. */
    private final Map<Path, String> served = new LinkedHashMap<>();
    /** Directory → the state of its files when it was last refused (retried when they change). */
    private final Map<Path, Long> refused = new LinkedHashMap<>();
    /** Models whose directory went away, closed once no facade call runs on them. */
    private final List<LoadedModel> draining = new ArrayList<>();
    private boolean closed;

    private ModelRegistry(Optional<Path> root, List<Path> extra, GraphCompiler compiler, SessionFactory sessions,
                          Options options) {
        this.root = root;
        this.extra = List.copyOf(extra);
        this.compiler = compiler;
        this.sessions = sessions;
        this.options = options;
    }

    /** Loads every model under {@code root} (which may be absent) and in {@code extra}. */
    public static ModelRegistry load(Optional<Path> root, List<Path> extra, GraphCompiler compiler,
                                     SessionFactory sessions, Options options) {
        ModelRegistry registry = new ModelRegistry(root, extra, compiler, sessions, options);
        registry.rescan();
        return registry;
    }

    /** What one {@link #rescan()} changed. */
    public record Changes(List<String> added, List<String> removed, List<String> refused) {
        public boolean any() {
            return !added.isEmpty() || !removed.isEmpty() || !refused.isEmpty();
        }
    }

    /**
     * Hot-load: looks at the model directories again. A new directory (or a refused one whose files changed) is
     * loaded; a served model whose directory is gone stops being offered to new tasks at once and is closed when
     * no facade call (classify, activations, synthesize) runs on it any more, here or at a later rescan. A model
     * directory should appear atomically (written elsewhere, then moved in; {@code rsynth models add} does so).
     */
    public synchronized Changes rescan() {
        if (closed) {
            return new Changes(List.of(), List.of(), List.of());
        }
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> refusedNow = new ArrayList<>();
        Map<String, String> discoveryFailures = new LinkedHashMap<>();
        List<Path> dirs = discover(root, extra, discoveryFailures);
        failures.putAll(discoveryFailures);
        Set<Path> present = new java.util.HashSet<>(dirs);
        for (var it = served.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!present.contains(e.getKey())) {
                it.remove();
                LoadedModel m = models.remove(e.getValue());
                if (m != null) {
                    draining.add(m);
                    removed.add(e.getValue());
                    LOG.info("model " + e.getValue() + " removed (" + e.getKey() + " is gone); it is closed once its"
                            + " running tasks end");
                }
            }
        }
        refused.keySet().removeIf(d -> {
            if (!present.contains(d)) {
                failures.remove(d.getFileName().toString());
                return true;
            }
            return false;
        });
        for (Path dir : dirs) {
            if (served.containsKey(dir)) {
                continue;
            }
            long stamp = stamp(dir);
            if (refused.containsKey(dir) && refused.get(dir) == stamp) {
                continue;
            }
            String key = dir.getFileName().toString();
            try {
                LoadedModel model = loadOne(dir, compiler, sessions, options);
                String name = model.info().name();
                if (models.containsKey(name)) {
                    model.close();
                    throw new ModelLoadException(dir + ": model name '" + name + "' is already served from "
                            + models.get(name).directory());
                }
                models.put(name, model);
                served.put(dir, name);
                refused.remove(dir);
                failures.remove(key);
                added.add(name);
                LOG.info("model " + name + " loaded from " + dir + " in " + model.loadMillis() + " ms on "
                        + model.provider() + " (" + model.info().inputShape() + ", " + model.info().numClasses()
                        + " classes, layers " + model.info().layers().stream().map(l -> l.name()).toList()
                        + ", " + model.sharedWeightBytes() / 1024 + " KiB of weights shared by its two sessions, batch "
                        + model.batch() + model.bytesPerItem().stream().mapToObj(b -> String.format(
                                java.util.Locale.ROOT, ", ~%.1f MiB per batch item", b / 1048576.0)).findFirst()
                                .orElse("") + ")");
            } catch (ModelLoadException e) {
                LOG.severe("model in " + dir + " refused: " + e.getMessage());
                failures.put(key, e.getMessage());
                refused.put(dir, stamp);
                refusedNow.add(key);
            } catch (Exception e) {
                LOG.log(Level.SEVERE, "model in " + dir + " failed to load", e);
                failures.put(key, dir + ": " + e);
                refused.put(dir, stamp);
                refusedNow.add(key);
            }
        }
        draining.removeIf(LoadedModel::closeIfIdle);
        return new Changes(added, removed, refusedNow);
    }

    /** Latest modification time and total size of a directory's files: changes when a refused model is fixed. */
    private static long stamp(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() * 31 + Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Models removed from their directory whose running calls have not ended yet. */
    public synchronized int draining() {
        return draining.size();
    }

    private static List<Path> discover(Optional<Path> root, List<Path> extra, Map<String, String> failures) {
        List<Path> dirs = new ArrayList<>();
        root.ifPresent(r -> {
            if (Files.isDirectory(r)) {
                dirs.addAll(children(r));
            } else {
                LOG.warning("models directory " + r + " does not exist; no models from it");
            }
        });
        for (Path dir : extra) {
            if (Files.isRegularFile(dir.resolve(CARD))) {
                dirs.add(dir);
            } else if (Files.isDirectory(dir)) {
                dirs.addAll(children(dir));
            } else {
                failures.put(String.valueOf(dir.getFileName()), dir + ": extra model directory does not exist");
                LOG.severe("extra model directory " + dir + " does not exist");
            }
        }
        return dirs;
    }

    /** The model directories in {@code root}; hidden ones (a name starting with '.', e.g. an install in progress) are not. */
    private static List<Path> children(Path root) {
        try (Stream<Path> list = Files.list(root)) {
            return list.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isRegularFile(p.resolve(CARD))).sorted().toList();
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "cannot list models directory " + root, e);
            return List.of();
        }
    }

    static LoadedModel loadOne(Path dir, GraphCompiler compiler, SessionFactory sessions, Options options)
            throws Exception {
        long start = System.nanoTime();
        ModelCard card = ModelCard.read(dir.resolve(CARD));
        Path onnxFile = dir.resolve(card.onnxFile());
        if (!Files.isRegularFile(onnxFile)) {
            throw new ModelLoadException(dir + ": ONNX file " + card.onnxFile() + " is missing");
        }
        byte[] onnx = Files.readAllBytes(onnxFile);
        String sha256 = Checksums.sha256(onnx);
        Optional<String> declared = card.declaredSha256();
        if (declared.isEmpty()) {
            LOG.warning(dir + ": model card has no onnx.sha256; serving " + card.onnxFile() + " with computed sha256 "
                    + sha256);
        } else if (!declared.get().equals(sha256)) {
            throw new ModelLoadException(dir + ": " + card.onnxFile() + " has sha256 " + sha256
                    + " but the model card declares " + declared.get() + "; refusing to serve a model whose provenance"
                    + " would be wrong");
        }
        List<String> requested = card.layerNames().stream().filter(l -> !l.equals(Layers.LOGITS)).toList();
        java.util.OptionalLong perItem = compiler.bytesPerItem(onnx);
        int batch = batchWithin(dir, 2L * onnx.length, perItem, options);
        CompiledGraphs graphs = graphs(onnx, sha256, requested, compiler, options.cache());
        ModelInfo info = card.toInfo(dir.getFileName().toString(), sha256,
                layer -> graphs.exposed().contains(layer.name()) || isLogitsAlias(layer, card));
        OrtSession synthesis = null;
        OrtSession forward = null;
        OrtGradientBackend backend = null;
        SharedWeights weights = SharedWeights.none();
        try {
            weights = SharedWeights.between(sessions.environment(), graphs.forward(), graphs.synthesis(),
                    SHARE_MIN_ELEMENTS);
            synthesis = sessions.open(graphs.synthesis(), weights.tensors());
            forward = sessions.open(graphs.forward(), weights.tensors());
            backend = new OrtGradientBackend(sessions.environment(), synthesis, info, batch);
            OrtForward forwardRunner = new OrtForward(sessions.environment(), forward, info, batch);
            checkLayers(dir, info, synthesis, forwardRunner);
            if (options.warmUp()) {
                warmUp(backend, forwardRunner, info);
            }
            Optional<SeedSampler> seeds = seeds(dir, card, info);
            StepScheduler scheduler = new StepScheduler(info.name(), backend, options.planner(), options.admission());
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new LoadedModel(info, dir, sessions.provider(), new LoadedModel.Sessions(synthesis, forward,
                    weights), backend, forwardRunner, scheduler, seeds, millis, batch, perItem);
        } catch (Exception e) {
            if (backend != null) {
                backend.close();
            }
            closeQuietly(synthesis);
            closeQuietly(forward);
            weights.close();
            throw e;
        }
    }

    private static boolean isLogitsAlias(ModelCard.Layer layer, ModelCard card) {
        if (!layer.name().equals(Layers.LOGITS)) {
            return false;
        }
        long size = 1;
        for (int d : layer.shape()) {
            size *= d;
        }
        if (size != card.classes().size()) {
            LOG.warning("model card layer 'logits' has shape " + Arrays.toString(layer.shape()) + ", not ["
                    + card.classes().size() + "]; not served");
            return false;
        }
        return true;
    }

    /** Each graph layer's weight input has the card's per-example shape, and the forward graph outputs it. */
    private static void checkLayers(Path dir, ModelInfo info, OrtSession synthesis, OrtForward forward)
            throws OrtException, ModelLoadException {
        for (LayerInfo layer : Layers.graphLayers(info)) {
            String input = OrtGradientBackend.layerWeightInput(layer.name());
            NodeInfo node = synthesis.getInputInfo().get(input);
            if (node == null || !(node.getInfo() instanceof TensorInfo tensor)) {
                throw new ModelLoadException(dir + ": synthesis graph lacks input '" + input + "'");
            }
            long[] shape = tensor.getShape();
            long[] expected = new long[layer.shape().length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = layer.shape()[i];
            }
            if (shape.length != expected.length + 1
                    || !Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), expected)) {
                throw new ModelLoadException(dir + ": model card gives layer '" + layer.name() + "' the shape "
                        + Arrays.toString(layer.shape()) + " but the graph has " + Arrays.toString(shape)
                        + " (batch first)");
            }
            if (!forward.exposes(layer.name())) {
                throw new ModelLoadException(dir + ": forward graph does not output layer '" + layer.name() + "'");
            }
        }
    }

    private static CompiledGraphs graphs(byte[] onnx, String sha256, List<String> layers, GraphCompiler compiler,
                                         Optional<GraphCache> cache) throws Exception {
        Optional<CompiledGraphs> cached = cache.flatMap(c -> c.load(sha256, compiler.version(), layers));
        if (cached.isPresent()) {
            return cached.get();
        }
        long start = System.nanoTime();
        CompiledGraphs graphs = compiler.compile(onnx, layers);
        LOG.info("compiled synthesis graph of " + sha256.substring(0, 12) + " in "
                + (System.nanoTime() - start) / 1_000_000 + " ms (compiler " + compiler.version() + ")");
        cache.ifPresent(c -> c.store(sha256, compiler.version(), layers, graphs));
        return graphs;
    }

    private static void warmUp(OrtGradientBackend backend, OrtForward forward, ModelInfo info) throws Exception {
        int n = backend.capacity();
        int d = info.channels() * info.height() * info.width();
        for (int i = 0; i < n * d; i++) {
            backend.x().put(i, 0.5f);
        }
        for (int i = 0; i < n; i++) {
            backend.target().put(i * info.numClasses(), 1f);
            backend.ceWeight().put(i, 1f);
        }
        backend.run(n);
        backend.run(1);
        forward.run(OrtGradientBackend.LOGITS, List.of(dev.robustsynth.spi.Image.filled(info.channels(),
                info.height(), info.width(), 0.5f)));
    }

    private static Optional<SeedSampler> seeds(Path dir, ModelCard card, ModelInfo info) throws ModelLoadException {
        if (card.seeds() != null && LowRankSeedSampler.KIND.equals(card.seeds().kind())) {
            Path file = dir.resolve(card.seeds().file() != null ? card.seeds().file() : "seeds.bin");
            if (!Files.isRegularFile(file)) {
                LOG.warning(dir + ": model card names seed statistics " + file.getFileName() + " but the file is missing");
                return Optional.empty();
            }
            if (card.seeds().channels() != info.channels()) {
                throw new ModelLoadException(dir + ": seed statistics have " + card.seeds().channels()
                        + " channels; the model takes " + info.channels());
            }
            if (card.seedMixture() != null) {
                LOG.warning(dir + ": a seed mixture needs gaussian-cholesky seeds; serving " + LowRankSeedSampler.KIND
                        + " seeds without it");
            }
            return Optional.of(LowRankSeedSampler.read(file, info.numClasses(), card.seeds(), info.height(),
                    info.width()));
        }
        Optional<GaussianSeedSampler> gaussian = gaussianSeeds(dir, card, info);
        if (gaussian.isEmpty() || card.seedMixture() == null) {
            if (gaussian.isEmpty() && card.seedMixture() != null) {
                LOG.warning(dir + ": model card names a seed mixture but no seed statistics; the mixture is not used");
            }
            return gaussian.map(g -> g);
        }
        Path file = dir.resolve(card.seedMixtureFile());
        if (!MixtureSeedSampler.KIND.equals(card.seedMixture().kind())) {
            LOG.warning(dir + ": seed mixture kind '" + card.seedMixture().kind() + "' is not known (known: "
                    + MixtureSeedSampler.KIND + "); serving single-Gaussian seeds");
            return gaussian.map(g -> g);
        }
        if (!Files.isRegularFile(file)) {
            LOG.warning(dir + ": model card names a seed mixture " + card.seedMixtureFile()
                    + " but the file is missing; serving single-Gaussian seeds");
            return gaussian.map(g -> g);
        }
        return Optional.of(MixtureSeedSampler.read(file, gaussian.get(), card.seedMixture().components()));
    }

    private static Optional<GaussianSeedSampler> gaussianSeeds(Path dir, ModelCard card, ModelInfo info)
            throws ModelLoadException {
        String fileName = card.seeds() != null && card.seeds().file() != null ? card.seeds().file() : "seeds.bin";
        Path file = dir.resolve(fileName);
        if (card.seeds() == null || !Files.isRegularFile(file)) {
            if (card.seeds() != null) {
                LOG.warning(dir + ": model card names seed statistics " + fileName + " but the file is missing");
            }
            return Optional.empty();
        }
        if (card.seeds().channels() != info.channels()) {
            throw new ModelLoadException(dir + ": seed statistics have " + card.seeds().channels()
                    + " channels; the model takes " + info.channels());
        }
        return Optional.of(GaussianSeedSampler.read(file, info.numClasses(), card.seeds(), info.height(),
                info.width()));
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException | RuntimeException e) {
                LOG.log(Level.FINE, "closing a session after a failed load", e);
            }
        }
    }

    public Set<String> names() {
        return models.keySet();
    }

    public Optional<LoadedModel> get(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public Map<String, LoadedModel> models() {
        return Collections.unmodifiableMap(models);
    }

    /** Directory name → why the model there is not served. */
    public Map<String, String> failures() {
        return Collections.unmodifiableMap(failures);
    }

    /** Closes every model. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        models.values().forEach(LoadedModel::close);
        draining.forEach(LoadedModel::close);
    }
}
