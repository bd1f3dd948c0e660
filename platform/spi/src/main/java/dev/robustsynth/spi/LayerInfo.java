package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * An activation a task may use.
 *
 * @param name        the tensor's name in the model
 * @param shape       its shape without the batch dimension, e.g. {@code [64, 8, 8]} or {@code [128]}
 * @param description what it is, for people
 */
public record LayerInfo(String name, int[] shape, String description) {
    public LayerInfo {
        requireNonNull(name, "name is null");
        shape = requireNonNull(shape, "shape is null").clone();
        requireNonNull(description, "description is null");
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of values per example. */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Channels (first axis). */
    public int channels() {
        return shape.length == 0 ? 1 : shape[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerInfo l && l.name.equals(name) && Arrays.equals(l.shape, shape)
                && l.description.equals(description);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "LayerInfo[" + name + " " + Arrays.toString(shape) + "]";
    }
}
