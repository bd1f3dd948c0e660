package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;

/** Where a bulk job's items come from (job.v1 {@code items}: exactly one of these). */
public sealed interface ItemSource {

    /** One object of item parameters per item, merged over the job's shared parameters. */
    record ItemList(List<ObjectNode> items) implements ItemSource {
        public ItemList {
            items = requireNonNull(items, "items is null").stream().map(ObjectNode::deepCopy).toList();
        }

        @Override
        public List<ObjectNode> items() {
            return items.stream().map(ObjectNode::deepCopy).toList();
        }
    }

    /** {@code count} items per class, classes in round-robin order; item parameters {@code {"class": c}}. */
    record Generator(List<String> classes, int count) implements ItemSource {
        public Generator {
            classes = List.copyOf(requireNonNull(classes, "classes is null"));
            if (classes.isEmpty() || classes.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("a generator needs at least one class, and no blank one");
            }
            if (count < 0) {
                throw new IllegalArgumentException("a generator's count must be ≥ 0, got " + count);
            }
        }
    }

    /** One item per {@code *.png}/{@code *.jpg} of a folder the service can read; item parameter {@code param} = {@code {"uri"}}. */
    record Folder(URI uri, String param) implements ItemSource {
        public Folder {
            checkFileUri(uri, "folder");
            checkParam(param);
        }
    }

    /** One item per line of a JSONL file the service can read: {@code {"uri"}} (as {@code param}) or {@code {"params"}}. */
    record Manifest(URI uri, String param) implements ItemSource {
        public Manifest {
            checkFileUri(uri, "manifest");
            checkParam(param);
        }
    }

    private static void checkFileUri(URI uri, String what) {
        requireNonNull(uri, "uri is null");
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalArgumentException("a " + what + " must be a file: URI the service can read, got '" + uri + "'");
        }
    }

    private static void checkParam(String param) {
        if (requireNonNull(param, "param is null").isBlank()) {
            throw new IllegalArgumentException("the image parameter name is blank");
        }
    }
}
