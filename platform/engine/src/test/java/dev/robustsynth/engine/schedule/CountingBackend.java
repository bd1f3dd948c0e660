package dev.robustsynth.engine.schedule;

import dev.robustsynth.spi.ModelInfo;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Counts runs, remembers the largest batch, and fails one run on request. */
final class CountingBackend implements GradientBackend {
    final GradientBackend delegate;
    final AtomicLong runs = new AtomicLong();
    final AtomicBoolean failNext = new AtomicBoolean();
    volatile int maxBatch;

    CountingBackend(GradientBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public ModelInfo model() {
        return delegate.model();
    }

    @Override
    public int capacity() {
        return delegate.capacity();
    }

    @Override
    public FloatBuffer x() {
        return delegate.x();
    }

    @Override
    public FloatBuffer target() {
        return delegate.target();
    }

    @Override
    public FloatBuffer ceWeight() {
        return delegate.ceWeight();
    }

    @Override
    public FloatBuffer logitWeights() {
        return delegate.logitWeights();
    }

    @Override
    public FloatBuffer layerWeights(int layer) {
        return delegate.layerWeights(layer);
    }

    @Override
    public FloatBuffer loss() {
        return delegate.loss();
    }

    @Override
    public FloatBuffer grad() {
        return delegate.grad();
    }

    @Override
    public FloatBuffer logits() {
        return delegate.logits();
    }

    @Override
    public void run(int n) throws Exception {
        runs.incrementAndGet();
        maxBatch = Math.max(maxBatch, n);
        if (failNext.getAndSet(false)) {
            throw new IllegalStateException("injected failure");
        }
        delegate.run(n);
    }
}
