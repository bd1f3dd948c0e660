package dev.robustsynth.engine.runtime;

import java.util.Locale;

/** Which ONNX Runtime execution provider a model's sessions ask for. */
public enum ExecutionProvider {
    /** The CPU provider, always present. */
    CPU,
    /** CUDA; falls back to the CPU with a warning when the runtime lacks it (the default build is CPU-only). */
    CUDA,
    /** CUDA when the runtime offers it, otherwise the CPU. */
    AUTO;

    /** Parses {@code cpu}, {@code cuda} or {@code auto}, case-insensitively. */
    public static ExecutionProvider parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown execution provider '" + text + "'; known: cpu, cuda, auto", e);
        }
    }
}
