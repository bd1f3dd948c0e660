package dev.robustsynth.pluginhost;

/** A call into plugin code, run by {@link HostedFactory#call} with the plugin's context class loader. */
@FunctionalInterface
public interface PluginCall<T, E extends Exception> {
    T call() throws E;
}
