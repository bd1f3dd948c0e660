package dev.robustsynth.plugins.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a task's parameter schema from the plugin jar. The Maven build copies {@code schemas/tasks/<type>.v1.schema.json}
 * from the repository into the jar at {@code /schemas/tasks/}, so the file in {@code schemas/} is the single source.
 */
public final class SchemaResource {
    public static final String DIRECTORY = "/schemas/tasks/";

    private SchemaResource() {
    }

    /** The resource path of {@code type}'s schema. */
    public static String path(String type) {
        return DIRECTORY + type + ".v1.schema.json";
    }

    /**
     * The schema text of {@code type}, read through {@code anchor}'s class loader (the plugin's own).
     *
     * @throws IllegalStateException when the jar lacks it (a build mistake)
     */
    public static String load(Class<?> anchor, String type) {
        String path = path(type);
        try (InputStream in = anchor.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("plugin jar of " + anchor.getName() + " lacks resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
