package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration keys a factory declares. {@link #validate} checks a whole configuration at once and reports
 * every problem, not just the first.
 */
public record ConfigDefinition(List<ConfigKey> keys) {
    public static final ConfigDefinition EMPTY = new ConfigDefinition(List.of());

    public ConfigDefinition {
        keys = List.copyOf(requireNonNull(keys, "keys is null"));
        long distinct = keys.stream().map(ConfigKey::name).distinct().count();
        if (distinct != keys.size()) {
            throw new IllegalArgumentException("configuration keys are declared twice: " + keys);
        }
    }

    public static ConfigDefinition of(ConfigKey... keys) {
        return new ConfigDefinition(List.of(keys));
    }

    /**
     * Parses and checks {@code raw} against the declared keys.
     *
     * @param owner what the configuration belongs to, for messages (e.g. the task type)
     * @throws ConfigException listing every unknown key, missing required key, unparsable and out-of-range value
     */
    public PluginConfig validate(String owner, Map<String, String> raw) throws ConfigException {
        requireNonNull(raw, "raw is null");
        List<String> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : raw.keySet()) {
            if (keys.stream().noneMatch(k -> k.name().equals(name))) {
                problems.add("unknown key '" + name + "'; known: "
                        + String.join(", ", keys.stream().map(ConfigKey::name).toList()));
            }
        }
        for (ConfigKey key : keys) {
            String text = raw.containsKey(key.name()) ? raw.get(key.name()) : key.defaultValue().orElse(null);
            if (text == null) {
                problems.add("missing required key '" + key.name() + "' (" + key.documentation() + ")");
                continue;
            }
            Object value;
            try {
                value = key.parse(text);
            } catch (RuntimeException e) {
                problems.add("key '" + key.name() + "' is '" + text + "'; expected " + key.expectation());
                continue;
            }
            if (!key.constraint().test(value)) {
                problems.add("key '" + key.name() + "' is '" + text + "'; expected " + key.expectation());
                continue;
            }
            values.put(key.name(), value);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(owner, problems);
        }
        return new PluginConfig(values);
    }
}
