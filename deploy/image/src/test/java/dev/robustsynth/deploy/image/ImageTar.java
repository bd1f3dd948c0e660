package dev.robustsynth.deploy.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A docker-archive image tar as {@code jib:buildTar} writes it: {@code manifest.json} (one image), its config JSON,
 * and the gzipped layer tars in the manifest's order. Every layer is listed whole (paths, modes, owners, sizes); the
 * contents of the files named in {@code keep} are kept.
 */
record ImageTar(JsonNode manifest, JsonNode config, List<Layer> layers) {

    /** One layer: its blob's name in the tar and its entries by path ({@code opt/java/bin/java}, no leading slash). */
    record Layer(String blob, Map<String, Entry> entries) {
        Optional<Entry> entry(String path) {
            return Optional.ofNullable(entries.get(strip(path)));
        }

        boolean has(String path) {
            return entries.containsKey(strip(path));
        }
    }

    /** One file, directory or link of a layer; {@code content} only for the kept files. */
    record Entry(String path, boolean directory, int mode, long uid, long gid, long size, byte[] content) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static ImageTar read(Path tar, Set<String> keep) throws IOException {
        Map<String, byte[]> jsonFiles = new HashMap<>();
        Map<String, Map<String, Entry>> layersByBlob = new HashMap<>();
        try (TarArchiveInputStream outer = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry e = outer.getNextEntry(); e != null; e = outer.getNextEntry()) {
                if (e.getName().endsWith(".json")) {
                    jsonFiles.put(e.getName(), outer.readAllBytes());
                } else if (e.getName().endsWith(".tar.gz")) {
                    layersByBlob.put(e.getName(), listLayer(new GZIPInputStream(nonClosing(outer)), keep));
                }
            }
        }
        JsonNode manifests = JSON.readTree(required(jsonFiles, "manifest.json"));
        if (manifests.size() != 1) {
            throw new IOException("expected one image in " + tar + ", found " + manifests.size());
        }
        JsonNode manifest = manifests.get(0);
        JsonNode config = JSON.readTree(required(jsonFiles, manifest.path("Config").asText()));
        List<Layer> layers = new ArrayList<>();
        for (JsonNode blob : manifest.path("Layers")) {
            Map<String, Entry> entries = layersByBlob.get(blob.asText());
            if (entries == null) {
                throw new IOException("manifest.json names layer " + blob.asText() + ", which " + tar + " lacks");
            }
            layers.add(new Layer(blob.asText(), entries));
        }
        return new ImageTar(manifest, config, List.copyOf(layers));
    }

    /** The one layer that holds {@code path}; fails when none or several do. */
    Layer layerWith(String path) {
        List<Layer> holding = layers.stream().filter(l -> l.has(path)).toList();
        if (holding.size() != 1) {
            throw new AssertionError(holding.size() + " layers hold " + path);
        }
        return holding.getFirst();
    }

    int indexOf(Layer layer) {
        return layers.indexOf(layer);
    }

    private static Map<String, Entry> listLayer(InputStream gzipped, Set<String> keep) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(gzipped)) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String path = strip(e.getName());
                byte[] content = keep.contains(path) ? in.readAllBytes() : null;
                entries.put(path, new Entry(path, e.isDirectory(), e.getMode() & 07777, e.getLongUserId(),
                        e.getLongGroupId(), e.getSize(), content));
            }
        }
        return entries;
    }

    private static String strip(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static byte[] required(Map<String, byte[]> files, String name) throws IOException {
        byte[] bytes = files.get(name);
        if (bytes == null) {
            throw new IOException("the image tar has no " + name);
        }
        return bytes;
    }

    /** The current entry of the outer tar, which the layer reader must not close. */
    private static InputStream nonClosing(InputStream in) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, len);
            }

            @Override
            public void close() {
            }
        };
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
