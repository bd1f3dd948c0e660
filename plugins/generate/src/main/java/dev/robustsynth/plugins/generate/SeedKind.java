package dev.robustsynth.plugins.generate;

import dev.robustsynth.spi.InvalidParametersException;
import java.util.Arrays;
import java.util.Locale;

/** Where a generation seed comes from. */
public enum SeedKind {
    /** The class's single Gaussian (the paper). */
    GAUSSIAN,
    /** A random component of the class's Gaussian mixture (the paper's suggested next step). */
    MIXTURE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SeedKind parse(String text) throws InvalidParametersException {
        for (SeedKind kind : values()) {
            if (kind.wireName().equals(text)) {
                return kind;
            }
        }
        throw new InvalidParametersException("parameter 'seedKind' is '" + text + "'; expected one of "
                + Arrays.stream(values()).map(SeedKind::wireName).toList());
    }
}
