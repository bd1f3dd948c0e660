package dev.robustsynth.spi;

/** Receives progress events of one task. Implementations never throw and never block for long. */
@FunctionalInterface
public interface ProgressSink {
    void report(Progress progress);
}
