package dev.robustsynth.pluginhost;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** The {@code rsynth.task.<type>.<key>} properties, grouped by task type. */
final class TaskSettings {
    private final Map<String, Map<String, String>> byType;

    private TaskSettings(Map<String, Map<String, String>> byType) {
        this.byType = byType;
    }

    static TaskSettings from(Map<String, String> properties) {
        Map<String, Map<String, String>> byType = new TreeMap<>();
        properties.forEach((name, value) -> {
            if (!name.startsWith(PluginHostConfig.TASK_PREFIX)) {
                return;
            }
            String rest = name.substring(PluginHostConfig.TASK_PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                return;
            }
            byType.computeIfAbsent(rest.substring(0, dot), t -> new LinkedHashMap<>())
                    .put(rest.substring(dot + 1), value);
        });
        return new TaskSettings(byType);
    }

    static String prefix(String type) {
        return PluginHostConfig.TASK_PREFIX + type;
    }

    SortedSet<String> types() {
        return new TreeSet<>(byType.keySet());
    }

    Optional<String> pluginChoice(String type) {
        return Optional.ofNullable(byType.getOrDefault(type, Map.of()).get(PluginHostConfig.PLUGIN_KEY))
                .map(String::strip).filter(s -> !s.isEmpty());
    }

    /** The factory's own settings: everything under its prefix except the plugin choice. */
    Map<String, String> factorySettings(String type) {
        Map<String, String> settings = new LinkedHashMap<>(byType.getOrDefault(type, Map.of()));
        settings.remove(PluginHostConfig.PLUGIN_KEY);
        return settings;
    }
}
