package dev.robustsynth.engine;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.runtime.ExecutionProvider;
import dev.robustsynth.engine.schedule.Admission;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the engine runs. Build one with {@link #builder()} or take {@link #defaults()}.
 *
 * @param modelsDir      directory whose sub-directories are model directories ({@code models/} by default); absent
 *                       is allowed and serves no model from it
 * @param extraDirs      more model directories, or directories of model directories
 * @param provider       {@code cpu}, {@code cuda} or {@code auto}; CUDA falls back to the CPU when the runtime lacks
 *                       it (logged, and shown in {@link EngineHealth})
 * @param intraOpThreads ORT threads inside one operator; 0 = ORT's default (one per core)
 * @param interOpThreads ORT threads across operators; 0 = ORT's default
 * @param maxBatch       most images in one synthesis-graph evaluation (one scheduler tick)
 * @param cacheDir       where compiled graphs are kept between runs; empty to compile at every start
 * @param warmUp         run one full-batch evaluation per model at load
 * @param maxSteps       largest step count one synthesis may ask for
 * @param maxItems       largest number of images in one synthesis
 * @param maxModelBytes  memory bound per model (weights plus one full batch of the synthesis graph's working
 *                       set, estimated at load): a model's batch is cut to fit, and a model that does not fit with
 *                       one image is refused, saying why
 * @param watchInterval  how often the models directories are rescanned for added and removed model directories
 *                       (hot-load); empty = loaded once at start
 * @param bulkRowsWhileInteractive most rows of a tick that bulk syntheses (priority &lt; 0) take while interactive
 *                       ones are live on the model; with none live, bulk fills the batch ({@code Admission})
 */
public record EngineConfig(Path modelsDir, List<Path> extraDirs, ExecutionProvider provider, int intraOpThreads,
                           int interOpThreads, int maxBatch, Optional<Path> cacheDir, boolean warmUp, int maxSteps,
                           int maxItems, long maxModelBytes, Optional<java.time.Duration> watchInterval,
                           int bulkRowsWhileInteractive) {

    /** Default {@link #maxModelBytes}: 8 GiB. */
    public static final long DEFAULT_MAX_MODEL_BYTES = 8L << 30;

    public EngineConfig {
        requireNonNull(modelsDir, "modelsDir is null");
        extraDirs = List.copyOf(requireNonNull(extraDirs, "extraDirs is null"));
        requireNonNull(provider, "provider is null");
        requireNonNull(cacheDir, "cacheDir is null");
        requireNonNull(watchInterval, "watchInterval is null");
        List<String> problems = new ArrayList<>();
        if (intraOpThreads < 0) {
            problems.add("intraOpThreads must be ≥ 0, got " + intraOpThreads);
        }
        if (interOpThreads < 0) {
            problems.add("interOpThreads must be ≥ 0, got " + interOpThreads);
        }
        if (maxBatch < 1 || maxBatch > 4096) {
            problems.add("maxBatch must lie in [1,4096], got " + maxBatch);
        }
        if (maxSteps < 1) {
            problems.add("maxSteps must be ≥ 1, got " + maxSteps);
        }
        if (maxItems < 1) {
            problems.add("maxItems must be ≥ 1, got " + maxItems);
        }
        if (maxModelBytes < 1) {
            problems.add("maxModelBytes must be ≥ 1, got " + maxModelBytes);
        }
        if (watchInterval.isPresent() && (watchInterval.get().isNegative() || watchInterval.get().isZero())) {
            problems.add("watchInterval must be positive, got " + watchInterval.get());
        }
        if (bulkRowsWhileInteractive < 1) {
            problems.add("bulkRowsWhileInteractive must be ≥ 1 (bulk work must progress), got "
                    + bulkRowsWhileInteractive);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid engine configuration: " + String.join("; ", problems));
        }
    }

    /** {@code ~/.cache/rsynth/graphs}. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "rsynth", "graphs");
    }

    /** models/ in the working directory, auto provider, ORT's threads, batch 32, cache in ~/.cache/rsynth. */
    public static EngineConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().modelsDir(modelsDir).extraDirs(extraDirs).provider(provider)
                .intraOpThreads(intraOpThreads).interOpThreads(interOpThreads).maxBatch(maxBatch)
                .maxModelBytes(maxModelBytes).watchInterval(watchInterval.orElse(null))
                .cacheDir(cacheDir.orElse(null)).warmUp(warmUp).maxSteps(maxSteps).maxItems(maxItems)
                .bulkRowsWhileInteractive(bulkRowsWhileInteractive);
    }

    /** Builds an {@link EngineConfig}; every setter has the default of {@link #defaults()}. */
    public static final class Builder {
        private Path modelsDir = Path.of("models");
        private List<Path> extraDirs = List.of();
        private ExecutionProvider provider = ExecutionProvider.AUTO;
        private int intraOpThreads;
        private int interOpThreads;
        private int maxBatch = 32;
        private long maxModelBytes = DEFAULT_MAX_MODEL_BYTES;
        private java.time.Duration watchInterval;
        private Path cacheDir = defaultCacheDir();
        private boolean warmUp = true;
        private int maxSteps = 10_000;
        private int maxItems = 256;
        private int bulkRowsWhileInteractive = Admission.DEFAULT_BULK_ROWS_WHILE_INTERACTIVE;

        private Builder() {
        }

        public Builder modelsDir(Path dir) {
            this.modelsDir = dir;
            return this;
        }

        public Builder extraDirs(List<Path> dirs) {
            this.extraDirs = dirs;
            return this;
        }

        public Builder provider(ExecutionProvider provider) {
            this.provider = provider;
            return this;
        }

        /** {@code cpu}, {@code cuda} or {@code auto}. */
        public Builder provider(String provider) {
            this.provider = ExecutionProvider.parse(provider);
            return this;
        }

        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = threads;
            return this;
        }

        public Builder interOpThreads(int threads) {
            this.interOpThreads = threads;
            return this;
        }

        public Builder maxBatch(int maxBatch) {
            this.maxBatch = maxBatch;
            return this;
        }

        /** {@code null} turns the cache off. */
        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        public Builder warmUp(boolean warmUp) {
            this.warmUp = warmUp;
            return this;
        }

        public Builder maxSteps(int maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        public Builder maxItems(int maxItems) {
            this.maxItems = maxItems;
            return this;
        }

        public Builder maxModelBytes(long bytes) {
            this.maxModelBytes = bytes;
            return this;
        }

        /** Rescan interval of the models directories (hot-load); {@code null} loads once. */
        public Builder watchInterval(java.time.Duration interval) {
            this.watchInterval = interval;
            return this;
        }

        public Builder bulkRowsWhileInteractive(int rows) {
            this.bulkRowsWhileInteractive = rows;
            return this;
        }

        public EngineConfig build() {
            return new EngineConfig(modelsDir, extraDirs, provider, intraOpThreads, interOpThreads, maxBatch,
                    Optional.ofNullable(cacheDir), warmUp, maxSteps, maxItems, maxModelBytes,
                    Optional.ofNullable(watchInterval), bulkRowsWhileInteractive);
        }
    }
}
