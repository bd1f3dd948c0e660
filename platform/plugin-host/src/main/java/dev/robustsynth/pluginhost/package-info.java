/**
 * The plugin host: finds {@link dev.robustsynth.spi.RobustSynthPlugin}s on the class path (ServiceLoader) and in a
 * plugins directory, gives each external plugin jar its own {@link dev.robustsynth.pluginhost.PluginClassLoader}
 * that sees only the JDK and the SPI, refuses plugins built for another SPI major version, picks exactly one
 * factory per task type, validates each factory's configuration and runs the factories' lifecycle
 * (init, close in reverse order), and validates each request into a
 * {@link dev.robustsynth.pluginhost.PreparedTask} that creates the task from the factory's own plan.
 *
 * <p>This package depends on the SPI and the JDK only, so any host (the Quarkus service, the CLI, a test) can use
 * it.
 */
package dev.robustsynth.pluginhost;
