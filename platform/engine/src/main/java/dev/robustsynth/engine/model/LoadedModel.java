package dev.robustsynth.engine.model;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.robustsynth.engine.runtime.OrtForward;
import dev.robustsynth.engine.runtime.OrtGradientBackend;
import dev.robustsynth.engine.runtime.SharedWeights;
import dev.robustsynth.engine.schedule.StepScheduler;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.SeedSampler;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One served model: its card, its two ORT sessions (synthesis and forward, shared by every task), the scheduler
 * that batches all syntheses on it, and its seed statistics. Owns and closes all of them; {@link #close()} is
 * idempotent.
 */
public final class LoadedModel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoadedModel.class.getName());

    private final ModelInfo info;
    private final Path directory;
    private final String provider;
    private final Sessions sessions;
    private final OrtGradientBackend backend;
    private final OrtForward forward;
    private final StepScheduler scheduler;
    private final Optional<SeedSampler> seeds;
    private final long loadMillis;
    private final int batch;
    private final java.util.OptionalLong bytesPerItem;
    private boolean closed;
    private int inFlight;

    /** The model's two sessions and the weights they share; closed sessions first. */
    record Sessions(OrtSession synthesis, OrtSession forward, SharedWeights weights) {
        Sessions {
            requireNonNull(synthesis, "synthesis is null");
            requireNonNull(forward, "forward is null");
            requireNonNull(weights, "weights is null");
        }
    }

    LoadedModel(ModelInfo info, Path directory, String provider, Sessions sessions, OrtGradientBackend backend, OrtForward forward, StepScheduler scheduler,
                Optional<SeedSampler> seeds, long loadMillis, int batch, java.util.OptionalLong bytesPerItem) {
        this.info = requireNonNull(info, "info is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.provider = requireNonNull(provider, "provider is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.forward = requireNonNull(forward, "forward is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.seeds = requireNonNull(seeds, "seeds is null");
        this.loadMillis = loadMillis;
        this.batch = batch;
        this.bytesPerItem = requireNonNull(bytesPerItem, "bytesPerItem is null");
    }

    /** Most images per synthesis-graph evaluation of this model (the engine's maxBatch cut to its memory bound). */
    public int batch() {
        return batch;
    }

    /** Estimated working set of one batch item of the synthesis graph; empty when the compiler cannot tell. */
    public java.util.OptionalLong bytesPerItem() {
        return bytesPerItem;
    }

    /**
     * Marks one facade call (classify, activations, synthesize) as running on this model; {@link #closeIfIdle()}
     * does not close the model while any runs.
     *
     * @return false when the model is already closed (the call must not touch its sessions)
     */
    public synchronized boolean enter() {
        if (closed) {
            return false;
        }
        inFlight++;
        return true;
    }

    /** Ends a call begun by a successful {@link #enter()}. */
    public synchronized void exit() {
        inFlight--;
    }

    /** Closes the model when no facade call runs on it; returns whether it is closed. */
    public synchronized boolean closeIfIdle() {
        if (inFlight == 0) {
            close();
        }
        return closed;
    }

    /** Whether {@link #close()} has run. */
    public synchronized boolean isClosed() {
        return closed;
    }

    public ModelInfo info() {
        return info;
    }

    public Path directory() {
        return directory;
    }

    /** {@code cpu} or {@code cuda}. */
    public String provider() {
        return provider;
    }

    public OrtForward forward() {
        return forward;
    }

    public StepScheduler scheduler() {
        return scheduler;
    }

    /** A {@link MixtureSeedSampler} when the model ships seed mixtures, else a {@link GaussianSeedSampler}. */
    public Optional<SeedSampler> seeds() {
        return seeds;
    }

    /** Bytes of weights the two sessions share instead of holding twice. */
    public long sharedWeightBytes() {
        return sessions.weights().bytes();
    }

    public long loadMillis() {
        return loadMillis;
    }

    /** Stops the scheduler (live syntheses end with {@code UNAVAILABLE}) and releases the sessions. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.close();
        if (!scheduler.stopped()) {
            // Releasing native memory under a running session.run would crash the process; leak instead.
            LOG.severe("scheduler of model " + info.name() + " is still inside a graph evaluation; its ORT sessions"
                    + " are left open");
            return;
        }
        backend.close();
        for (OrtSession session : new OrtSession[] {sessions.synthesis(), sessions.forward()}) {
            try {
                session.close();
            } catch (OrtException | RuntimeException e) {
                LOG.log(Level.WARNING, "closing a session of model " + info.name() + " failed", e);
            }
        }
        sessions.weights().close();
    }
}
