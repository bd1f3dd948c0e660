package dev.robustsynth.engine.runtime;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.EnumSet;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Opens ORT sessions with the engine's provider and thread settings. The provider is decided once, from what
 * {@link OrtEnvironment#getAvailableProviders()} reports, and logged with the reason.
 */
public final class SessionFactory {
    private static final Logger LOG = Logger.getLogger(SessionFactory.class.getName());

    private final OrtEnvironment env;
    private final ExecutionProvider requested;
    private final boolean cuda;
    private final String providerNote;
    private final int intraOpThreads;
    private final int interOpThreads;

    /**
     * @param intraOpThreads threads inside one operator (0 = ORT's default: one per core)
     * @param interOpThreads threads across operators (0 = ORT's default)
     */
    public SessionFactory(OrtEnvironment env, ExecutionProvider requested, int intraOpThreads, int interOpThreads) {
        this.env = requireNonNull(env, "env is null");
        this.requested = requireNonNull(requested, "requested is null");
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be ≥ 0, got " + intraOpThreads + ", "
                    + interOpThreads);
        }
        this.intraOpThreads = intraOpThreads;
        this.interOpThreads = interOpThreads;
        EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        boolean hasCuda = available.contains(OrtProvider.CUDA);
        this.cuda = requested != ExecutionProvider.CPU && hasCuda;
        this.providerNote = switch (requested) {
            case CPU -> "cpu (configured)";
            case CUDA -> hasCuda ? "cuda (configured)" : "cpu (cuda configured but this runtime offers only "
                    + available + ")";
            case AUTO -> hasCuda ? "cuda (auto: available)" : "cpu (auto: runtime offers " + available + ")";
        };
        if (requested == ExecutionProvider.CUDA && !hasCuda) {
            LOG.warning("execution provider: " + providerNote
                    + "; build with -Pcuda and run where CUDA 12 and cuDNN 9 are installed");
        } else {
            LOG.info("execution provider: " + providerNote);
        }
    }

    public OrtEnvironment environment() {
        return env;
    }

    /** {@code cuda} or {@code cpu}: what the sessions actually run on. */
    public String provider() {
        return cuda ? "cuda" : "cpu";
    }

    /** The provider and why it was chosen, for logs and health. */
    public String providerNote() {
        return providerNote;
    }

    public ExecutionProvider requested() {
        return requested;
    }

    /**
     * Opens a session over a serialised ONNX model; {@code initializers} replace the model's initializers of the
     * same names (the caller keeps them open for the session's life).
     */
    public OrtSession open(byte[] model, Map<String, OnnxTensor> initializers) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            if (interOpThreads > 0) {
                options.setInterOpNumThreads(interOpThreads);
            }
            options.setDeterministicCompute(true);
            // ORT's pool threads otherwise spin after each run, taking the cores from the scheduler thread's own
            // work between runs (measured on 2 cores); a run is milliseconds long, so waking costs nothing.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            for (Map.Entry<String, OnnxTensor> e : initializers.entrySet()) {
                options.addInitializer(e.getKey(), e.getValue());
            }
            if (cuda) {
                options.addCUDA();
            }
            return env.createSession(model, options);
        }
    }
}
