package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A validated configuration: every declared key has a parsed value of its declared type. */
public final class PluginConfig {
    private final Map<String, Object> values;

    PluginConfig(Map<String, Object> values) {
        this.values = Map.copyOf(values);
    }

    public static PluginConfig empty() {
        return new PluginConfig(Map.of());
    }

    public String string(String key) {
        return (String) require(key);
    }

    public int integer(String key) {
        return (Integer) require(key);
    }

    public double number(String key) {
        return (Double) require(key);
    }

    public boolean bool(String key) {
        return (Boolean) require(key);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    private Object require(String key) {
        Object value = values.get(requireNonNull(key, "key is null"));
        if (value == null) {
            throw new IllegalStateException("configuration key '" + key + "' was not declared");
        }
        return value;
    }
}
