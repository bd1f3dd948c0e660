package dev.robustsynth.plugins.paint;

/** Which feature a stroke raises: a given channel, or the channel most tied to a class. */
sealed interface Feature {

    /** Channel {@code channel} of the stroke's layer. */
    record Channel(int channel) implements Feature {
    }

    /** The channel of the stroke's layer that {@link FeatureSelector} finds most tied to {@code classIndex}. */
    record TiedToClass(int classIndex) implements Feature {
    }
}
