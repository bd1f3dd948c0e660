package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request's {@code params} object as plain Java values: {@link Map}, {@link List}, {@link String},
 * {@link Number}, {@link Boolean} or {@code null}. Typed getters fail with an {@link InvalidParametersException}
 * that names the parameter, so a task can read its parameters without repeating checks the schema already made.
 */
public final class Parameters {
    private final Map<String, Object> values;

    public Parameters(Map<String, ?> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(values, "values is null")));
    }

    public static Parameters empty() {
        return new Parameters(Map.of());
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public Optional<Object> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String string(String name, String fallback) throws InvalidParametersException {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s) {
            return s;
        }
        throw wrongType(name, value, "a string");
    }

    public Optional<String> string(String name) throws InvalidParametersException {
        return Optional.ofNullable(string(name, null));
    }

    public int integer(String name, int fallback) throws InvalidParametersException {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw wrongType(name, value, "an integer");
    }

    public double number(String name, double fallback) throws InvalidParametersException {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw wrongType(name, value, "a finite number");
    }

    public boolean bool(String name, boolean fallback) throws InvalidParametersException {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw wrongType(name, value, "true or false");
    }

    public List<?> list(String name) throws InvalidParametersException {
        Object value = values.get(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return l;
        }
        throw wrongType(name, value, "an array");
    }

    /** A nested object as parameters of its own, empty when absent. */
    public Parameters object(String name) throws InvalidParametersException {
        Object value = values.get(name);
        if (value == null) {
            return empty();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), v));
            return new Parameters(copy);
        }
        throw wrongType(name, value, "an object");
    }

    private static InvalidParametersException wrongType(String name, Object value, String expected) {
        String shown = String.valueOf(value);
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return new InvalidParametersException(
                "parameter '" + name + "' is " + shown + "; expected " + expected);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
