package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The external plugin jars an operator has vetted, each pinned by its SHA-256.
 *
 * <p>The file has {@code sha256sum}'s output format, so {@code sha256sum my-plugin.jar >> plugins.allow} (run in the
 * plugins directory) lists a jar: one {@code <64 hex digits> <name>} per line, the name separated by spaces or by
 * {@code " *"} (binary mode), relative to the plugins directory with {@code /} (a jar in a plugin sub-directory is
 * {@code sub/lib.jar}; a leading {@code ./} is ignored). Blank lines and lines starting with {@code #} are skipped.
 *
 * @param file         where it was read from, for messages
 * @param sha256ByName lower-case hex digest by jar name
 */
public record PluginAllowlist(Path file, Map<String, String> sha256ByName) {
    private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64})(?: \\*| +)(\\S.*)");

    public PluginAllowlist {
        requireNonNull(file, "file is null");
        sha256ByName = Map.copyOf(requireNonNull(sha256ByName, "sha256ByName is null"));
    }

    /**
     * Reads an allowlist.
     *
     * @return empty when the file does not exist
     * @throws PluginHostException when it cannot be read or a line is malformed or names one jar twice (every bad
     *     line listed)
     */
    public static Optional<PluginAllowlist> read(Path file) {
        requireNonNull(file, "file is null");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new PluginHostException("cannot read the plugin allowlist " + file + ": " + e, e);
        }
        Map<String, String> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                problems.add("plugin allowlist " + file + " line " + (i + 1)
                        + ": expected '<sha256 in 64 hex digits>  <jar name>' (sha256sum's format)");
                continue;
            }
            String name = normalise(m.group(2).strip());
            String previous = entries.put(name, m.group(1).toLowerCase(Locale.ROOT));
            if (previous != null) {
                problems.add("plugin allowlist " + file + " line " + (i + 1) + ": '" + name + "' is listed twice");
            }
        }
        if (!problems.isEmpty()) {
            throw new PluginHostException(problems);
        }
        return Optional.of(new PluginAllowlist(file, entries));
    }

    /** The pinned digest of the jar of this name (relative to the plugins directory, {@code /}-separated). */
    public Optional<String> sha256(String name) {
        return Optional.ofNullable(sha256ByName.get(normalise(name)));
    }

    private static String normalise(String name) {
        String n = name.replace('\\', '/');
        return n.startsWith("./") ? n.substring(2) : n;
    }
}
