package dev.robustsynth.service.message;

import static java.util.Objects.requireNonNull;

/** The machine part of provenance. */
public record RuntimeInfo(String java, String os, String arch, String onnxRuntime, String executionProvider,
                          String instance) {
    public RuntimeInfo {
        requireNonNull(java, "java is null");
        requireNonNull(os, "os is null");
        requireNonNull(arch, "arch is null");
        requireNonNull(onnxRuntime, "onnxRuntime is null");
        requireNonNull(executionProvider, "executionProvider is null");
        requireNonNull(instance, "instance is null");
    }

    /** This JVM and OS with the given runtime and provider. */
    public static RuntimeInfo current(String onnxRuntime, String executionProvider, String instance) {
        return new RuntimeInfo(Integer.toString(Runtime.version().feature()), System.getProperty("os.name"),
                System.getProperty("os.arch"), onnxRuntime, executionProvider, instance);
    }

    public RuntimeInfo withExecutionProvider(String provider) {
        return new RuntimeInfo(java, os, arch, onnxRuntime, provider, instance);
    }
}
