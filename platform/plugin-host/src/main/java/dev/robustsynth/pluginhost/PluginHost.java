package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.ConfigException;
import dev.robustsynth.spi.PluginConfig;
import dev.robustsynth.spi.TaskDescriptor;
import dev.robustsynth.spi.TaskFactory;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Holds the task factories of all plugins for the life of the process.
 *
 * <p>{@link #start} discovers plugins on the class path and in the plugins directory (refusing external jars not
 * pinned by the {@link PluginAllowlist} and plugins built for another SPI major version), picks one factory per task type, validates every factory's configuration (reporting
 * all problems at once), calls {@code init} on each factory in task-type order.
 * {@link #close} closes the factories in reverse order and then the plugins' class loaders.
 */
public final class PluginHost implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PluginHost.class.getName());

    private final SortedMap<String, HostedFactory> factories;
    private final List<LoadedPlugin> plugins;
    private final List<RefusedPlugin> refused;
    private final List<PluginClassLoader> loaders;
    private boolean closed;

    private PluginHost(SortedMap<String, HostedFactory> factories, List<LoadedPlugin> plugins,
                       List<RefusedPlugin> refused, List<PluginClassLoader> loaders) {
        this.factories = factories;
        this.plugins = List.copyOf(plugins);
        this.refused = List.copyOf(refused);
        this.loaders = List.copyOf(loaders);
    }

    /**
     * Discovers, resolves, configures and initialises the plugins.
     *
     * @throws PluginHostException when two plugins claim one task type and configuration does not choose, when a
     *     plugin name occurs twice, when any factory's configuration is invalid (all problems listed), or when a
     *     factory fails to initialise
     */
    public static PluginHost start(PluginHostConfig config) {
        requireNonNull(config, "config is null");
        PluginDiscovery discovery = new PluginDiscovery();
        discovery.scanClassPath(config.classPathLoader());
        config.pluginsDirectory().ifPresent(dir -> {
            Path allowlist = config.allowlistFor(dir);
            discovery.scanDirectory(dir, config.classPathLoader(), allowlist, PluginAllowlist.read(allowlist));
        });
        try {
            return resolveAndInit(config, discovery);
        } catch (RuntimeException | Error e) {
            discovery.loaders().forEach(PluginDiscovery::closeQuietly);
            throw e;
        }
    }

    private static PluginHost resolveAndInit(PluginHostConfig config, PluginDiscovery discovery) {
        List<String> problems = new ArrayList<>();
        List<RefusedPlugin> refused = new ArrayList<>(discovery.refused());
        checkUniqueNames(discovery.accepted(), problems);

        SortedMap<String, List<HostedFactory>> claims = new TreeMap<>();
        for (DiscoveredPlugin plugin : discovery.accepted()) {
            collectFactories(plugin, claims, refused);
        }
        TaskSettings settings = TaskSettings.from(config.properties());
        SortedMap<String, HostedFactory> chosen = choose(claims, settings, problems);
        warnAboutUnusedSettings(settings, claims);

        Map<HostedFactory, PluginConfig> configs = new LinkedHashMap<>();
        for (HostedFactory factory : chosen.values()) {
            Map<String, String> raw = settings.factorySettings(factory.type());
            try {
                configs.put(factory, factory.call(() -> factory.factory().configDefinition())
                        .validate(TaskSettings.prefix(factory.type()), raw));
            } catch (ConfigException e) {
                e.problems().forEach(p -> problems.add(TaskSettings.prefix(factory.type()) + ": " + p));
            } catch (RuntimeException | LinkageError e) {
                problems.add("task factory '" + factory.type() + "' of plugin '" + factory.pluginName()
                        + "' failed to declare its configuration: " + e);
            }
        }
        if (!problems.isEmpty()) {
            throw new PluginHostException(problems);
        }

        List<HostedFactory> initialised = new ArrayList<>();
        try {
            for (Map.Entry<HostedFactory, PluginConfig> entry : configs.entrySet()) {
                HostedFactory factory = entry.getKey();
                runLifecycle(factory, "initialise", () -> factory.factory().init(entry.getValue()));
                initialised.add(factory);
            }
        } catch (PluginHostException e) {
            closeInReverse(initialised);
            throw e;
        }
        List<LoadedPlugin> loaded = discovery.accepted().stream()
                .map(p -> new LoadedPlugin(p.name(), p.spiVersion(), p.source(), chosen.values().stream()
                        .filter(f -> f.pluginName().equals(p.name())).map(HostedFactory::type).toList()))
                .toList();
        for (HostedFactory f : chosen.values()) {
            LOG.log(Level.INFO, "task type ''{0}'' served by plugin ''{1}'' version {2} from {3}", f.type(),
                    f.pluginName(), f.descriptor().version(), f.source().describe());
        }
        return new PluginHost(chosen, loaded, refused, discovery.loaders());
    }

    private static void checkUniqueNames(List<DiscoveredPlugin> plugins, List<String> problems) {
        Map<String, List<DiscoveredPlugin>> byName = plugins.stream()
                .collect(Collectors.groupingBy(DiscoveredPlugin::name, TreeMap::new, Collectors.toList()));
        byName.forEach((name, same) -> {
            if (same.size() > 1) {
                problems.add("plugin name '" + name + "' is provided more than once, by "
                        + same.stream().map(p -> p.source().describe()).collect(Collectors.joining(" and "))
                        + "; remove all but one");
            }
        });
    }

    private static void collectFactories(DiscoveredPlugin plugin, SortedMap<String, List<HostedFactory>> claims,
                                         List<RefusedPlugin> refused) {
        List<HostedFactory> found = new ArrayList<>();
        try {
            HostedFactory.inContext(plugin.source().classLoader(), () -> {
                Collection<TaskFactory<?>> factories = plugin.plugin().taskFactories();
                for (TaskFactory<?> factory : factories == null ? List.<TaskFactory<?>>of() : factories) {
                    TaskDescriptor descriptor = requireNonNull(factory.descriptor(), "descriptor() returned null");
                    found.add(new HostedFactory(descriptor, factory, plugin.name(), plugin.spiVersion(),
                            plugin.source()));
                }
                return null;
            });
        } catch (RuntimeException | LinkageError e) {
            String reason = "its task factories could not be listed: " + e;
            refused.add(new RefusedPlugin(plugin.name(), plugin.source().describe(),
                    Optional.of(plugin.spiVersion()), reason));
            LOG.log(Level.WARNING, "refusing plugin ''{0}'' from {1}: {2}; continuing without it", plugin.name(),
                    plugin.source().describe(), reason);
            return;
        }
        for (HostedFactory factory : found) {
            claims.computeIfAbsent(factory.type(), t -> new ArrayList<>()).add(factory);
        }
    }

    private static SortedMap<String, HostedFactory> choose(SortedMap<String, List<HostedFactory>> claims,
                                                           TaskSettings settings, List<String> problems) {
        SortedMap<String, HostedFactory> chosen = new TreeMap<>();
        claims.forEach((type, claimants) -> {
            Optional<String> wanted = settings.pluginChoice(type);
            String names = claimants.stream().map(f -> "'" + f.pluginName() + "' (" + f.source().describe() + ")")
                    .collect(Collectors.joining(" and "));
            if (wanted.isEmpty()) {
                if (claimants.size() == 1) {
                    chosen.put(type, claimants.get(0));
                } else {
                    problems.add("task type '" + type + "' is claimed by plugins " + names + "; choose one with "
                            + TaskSettings.prefix(type) + "." + PluginHostConfig.PLUGIN_KEY + "=<plugin name>");
                }
                return;
            }
            List<HostedFactory> matching = claimants.stream()
                    .filter(f -> f.pluginName().equals(wanted.get())).toList();
            if (matching.size() == 1) {
                chosen.put(type, matching.get(0));
            } else if (matching.isEmpty()) {
                problems.add(TaskSettings.prefix(type) + "." + PluginHostConfig.PLUGIN_KEY + " is '" + wanted.get()
                        + "' but task type '" + type + "' is served only by " + names);
            } else {
                problems.add("task type '" + type + "' is claimed twice by plugin '" + wanted.get() + "'");
            }
        });
        return chosen;
    }

    private static void warnAboutUnusedSettings(TaskSettings settings, SortedMap<String, List<HostedFactory>> claims) {
        for (String type : settings.types()) {
            if (!claims.containsKey(type)) {
                LOG.log(Level.WARNING, "configuration {0}* names task type ''{1}'', which no loaded plugin serves;"
                        + " known: {2}", TaskSettings.prefix(type) + ".", type, String.join(", ", claims.keySet()));
            }
        }
    }

    private static void runLifecycle(HostedFactory factory, String step, Runnable action) {
        try {
            factory.call(() -> {
                action.run();
                return null;
            });
        } catch (RuntimeException | LinkageError e) {
            throw new PluginHostException("task factory '" + factory.type() + "' of plugin '"
                    + factory.pluginName() + "' failed to " + step + ": " + e, e);
        }
    }

    private static void closeInReverse(List<HostedFactory> factories) {
        for (int i = factories.size() - 1; i >= 0; i--) {
            HostedFactory factory = factories.get(i);
            try {
                factory.call(() -> {
                    factory.factory().close();
                    return null;
                });
            } catch (Exception | LinkageError e) {
                LOG.log(Level.WARNING, "task factory ''{0}'' of plugin ''{1}'' failed to close: {2}",
                        factory.type(), factory.pluginName(), e.toString());
            }
        }
    }

    /** The factory serving {@code type}, if any. */
    public Optional<HostedFactory> factory(String type) {
        return Optional.ofNullable(factories.get(type));
    }

    /** The served task types, sorted. */
    public List<String> types() {
        return List.copyOf(factories.keySet());
    }

    /** The factories in task-type order (the order of {@code init}). */
    public List<HostedFactory> factories() {
        return List.copyOf(factories.values());
    }

    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    public List<RefusedPlugin> refused() {
        return refused;
    }

    /** Closes every factory in reverse order of initialisation, then the plugins' class loaders. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeInReverse(List.copyOf(factories.values()));
        loaders.forEach(PluginDiscovery::closeQuietly);
    }
}
