package dev.robustsynth.acceptance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a Markdown document spells out: every fenced block whose info string carries {@code file=<path>}
 * (```` ```java file=src/main/java/A.java ````), keyed by that relative path, in document order.
 */
record GuideFiles(Map<Path, String> files) {
    private static final Pattern OPENING = Pattern.compile("^```\\S*\\s+file=(\\S+)\\s*$");

    GuideFiles {
        files = Map.copyOf(files);
    }

    static GuideFiles read(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown);
        Map<Path, String> files = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = OPENING.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            Path path = Path.of(m.group(1)).normalize();
            if (path.isAbsolute() || path.startsWith("..")) {
                throw new IllegalArgumentException(markdown + ":" + (i + 1) + ": file=" + path + " leaves the project");
            }
            StringBuilder text = new StringBuilder();
            int start = i + 1;
            for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            if (i == lines.size()) {
                throw new IllegalArgumentException(markdown + ":" + start + ": block of " + path + " is not closed");
            }
            if (files.put(path, text.toString()) != null) {
                throw new IllegalArgumentException(markdown + ":" + start + ": a second block for " + path);
            }
        }
        return new GuideFiles(files);
    }

    /** Writes every file under {@code root}. */
    void writeTo(Path root) throws IOException {
        for (Map.Entry<Path, String> f : files.entrySet()) {
            Path target = root.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, f.getValue());
        }
    }
}
