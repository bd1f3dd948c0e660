package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * One declared configuration key of a task factory.
 *
 * @param name          the key, relative to the factory (the host reads it as {@code rsynth.task.<type>.<name>})
 * @param type          how the text value is parsed
 * @param defaultValue  the value when none is configured; empty makes the key required
 * @param documentation one sentence for operators
 * @param constraint    a check on the parsed value, with {@code expectation} saying what it demands
 * @param expectation   what a valid value looks like, used in error messages
 */
public record ConfigKey(String name, Type type, Optional<String> defaultValue, String documentation,
                        Predicate<Object> constraint, String expectation) {

    /** The value types a key may have. */
    public enum Type { STRING, INT, DOUBLE, BOOLEAN }

    public ConfigKey {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(documentation, "documentation is null");
        requireNonNull(constraint, "constraint is null");
        requireNonNull(expectation, "expectation is null");
    }

    /** A key of the given type with a default and no further constraint. */
    public static ConfigKey of(String name, Type type, String defaultValue, String documentation) {
        return new ConfigKey(name, type, Optional.ofNullable(defaultValue), documentation, v -> true, type.name());
    }

    /** An integer key with a default and an inclusive range. */
    public static ConfigKey intRange(String name, int defaultValue, int min, int max, String documentation) {
        return new ConfigKey(name, Type.INT, Optional.of(Integer.toString(defaultValue)), documentation,
                v -> (Integer) v >= min && (Integer) v <= max, "an integer in [" + min + ", " + max + "]");
    }

    /** A number key with a default and an inclusive range. */
    public static ConfigKey doubleRange(String name, double defaultValue, double min, double max,
                                        String documentation) {
        return new ConfigKey(name, Type.DOUBLE, Optional.of(Double.toString(defaultValue)), documentation,
                v -> (Double) v >= min && (Double) v <= max, "a number in [" + min + ", " + max + "]");
    }

    Object parse(String text) {
        String t = text.strip();
        return switch (type) {
            case STRING -> text;
            case INT -> Integer.parseInt(t);
            case DOUBLE -> {
                double d = Double.parseDouble(t);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException("not finite");
                }
                yield d;
            }
            case BOOLEAN -> {
                if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("not a boolean");
                }
                yield Boolean.parseBoolean(t);
            }
        };
    }
}
