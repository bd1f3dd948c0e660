package dev.robustsynth.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import dev.robustsynth.spi.SynthesisDefaults;
import dev.robustsynth.spi.TaskRequest;
import dev.robustsynth.spi.TaskResult;
import dev.robustsynth.spi.ValidationContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostTest {
    private static final String EXT_TYPE = "ext-echo";

    @TempDir
    Path temp;

    @BeforeEach
    void clearEvents() {
        TestPlugins.EVENTS.clear();
    }

    private Path pluginsDir() {
        return temp.resolve("plugins");
    }

    private PluginHost start(ClassLoader classPath, Map<String, String> properties) {
        return PluginHost.start(new PluginHostConfig(classPath, Optional.of(pluginsDir()), properties));
    }

    private ClassLoader emptyClassPath() {
        return TestPlugins.classPathWith(temp);
    }

    private static final ModelInfo MODEL = new ModelInfo("m", "0".repeat(64), List.of("a", "b"), 1, 2, 2,
            List.of(), Optional.empty(), new SynthesisDefaults(1.0, 0.5, 10));

    private static TaskResult run(HostedFactory factory, Map<String, ?> params, Map<String, Image> images)
            throws Exception {
        TaskRequest request = new TaskRequest("t-1", factory.type(), "m", new Parameters(params), 1L, Optional.empty());
        PreparedTask task = factory.prepare(new ValidationContext(request, MODEL, images));
        assertSame(factory, task.factory());
        return task.run(new FakeTaskContext(request));
    }

    @Test
    void externalPluginBuiltOutsideTheReactorIsLoadedConfiguredAndServed() throws Exception {
        Path jar = PluginJars.buildEchoPlugin(pluginsDir(), "ext-echo.jar", "com.example.ext", "ext-echo-plugin",
                EXT_TYPE, "SpiVersion.CURRENT", Map.of());
        try (PluginHost host = start(emptyClassPath(), Map.of("rsynth.task.ext-echo.greeting", "bonjour",
                "rsynth.unrelated", "x"))) {
            assertEquals(List.of(EXT_TYPE), host.types());
            HostedFactory factory = host.factory(EXT_TYPE).orElseThrow();
            assertEquals("ext-echo-plugin", factory.pluginName());
            assertEquals(SpiVersion.CURRENT, factory.pluginSpiVersion());
            assertEquals(Optional.of(jar), factory.source().location());
            assertEquals("9.8.7", factory.descriptor().version());
            assertTrue(factory.source().classLoader() instanceof PluginClassLoader);

            Image image = Image.filled(1, 2, 2, 0.5f);
            TaskResult result = run(factory, Map.of(), Map.of("image", image));
            assertEquals(image, result.images().get(0).image());
            assertEquals("bonjour", result.metadata().get("greeting"));
            assertEquals(true, result.metadata().get("contextLoaderIsOwn"));
            assertEquals(true, result.metadata().get("validatedInOwnLoader"));
            assertEquals(List.of(new LoadedPlugin("ext-echo-plugin", SpiVersion.CURRENT, factory.source(),
                    List.of(EXT_TYPE))), host.plugins());
        }
    }

    @Test
    void pluginClassLoaderSeesTheSpiAndTheJdkButNoHostClass() throws Exception {
        PluginJars.buildEchoPlugin(pluginsDir(), "ext-echo.jar", "com.example.ext", "ext-echo-plugin", EXT_TYPE,
                "SpiVersion.CURRENT", Map.of());
        try (PluginHost host = start(emptyClassPath(), Map.of())) {
            HostedFactory factory = host.factory(EXT_TYPE).orElseThrow();
            ClassLoader loader = factory.source().classLoader();
            assertSame(Image.class, loader.loadClass(Image.class.getName()), "SPI types are the host's own");
            assertSame(List.class, loader.loadClass("java.util.List"));
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass(PluginHost.class.getName()));
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass(Test.class.getName()));
            assertTrue(loader.getResources("META-INF/services/" + RobustSynthPlugin.class.getName())
                    .hasMoreElements());

            List<String> probes = List.of(PluginHost.class.getName(), Test.class.getName(), Image.class.getName(),
                    "java.util.concurrent.ConcurrentHashMap");
            TaskResult result = run(factory, Map.of("probe", probes), Map.of());
            assertEquals(false, result.metadata().get("sees:" + PluginHost.class.getName()));
            assertEquals(false, result.metadata().get("sees:" + Test.class.getName()));
            assertEquals(true, result.metadata().get("sees:" + Image.class.getName()));
            assertEquals(true, result.metadata().get("sees:java.util.concurrent.ConcurrentHashMap"));
        }
    }

    @Test
    void pluginBuiltForAnotherSpiMajorIsRefusedWithOneClearLineAndTheHostStarts() {
        Path other = PluginJars.buildEchoPlugin(pluginsDir(), "echo-v3.jar", "com.example.v3", "echo-from-the-future",
                "future-echo", "\"3.0\"", Map.of());
        PluginJars.buildEchoPlugin(pluginsDir(), "ext-echo.jar", "com.example.ext", "ext-echo-plugin", EXT_TYPE,
                "SpiVersion.CURRENT", Map.of());
        try (LogCapture log = new LogCapture(); PluginHost host = start(emptyClassPath(), Map.of())) {
            assertEquals(List.of(EXT_TYPE), host.types());
            assertEquals(1, host.refused().size());
            RefusedPlugin refused = host.refused().get(0);
            assertEquals("echo-from-the-future", refused.name());
            assertEquals(Optional.of("3.0"), refused.spiVersion());
            assertEquals(1, log.warnings.size(), log.warnings::toString);
            String line = log.warnings.get(0);
            assertEquals("refusing plugin 'echo-from-the-future' from " + other + ": it was built for SPI 3.0 but "
                    + "this host implements SPI " + SpiVersion.CURRENT + " (major versions differ); continuing "
                    + "without it", line);
            assertFalse(line.contains("\n"));
        }
    }

    @Test
    void manifestDeclaringAnotherSpiMajorIsRefusedBeforeAnyClassLoads() {
        // spiVersion() would say CURRENT, but the manifest says 7.1: the jar's classes are never loaded
        Path jar = PluginJars.buildEchoPlugin(pluginsDir(), "declared-v7.jar", "com.example.v7", "declared-v7",
                "seven", "SpiVersion.CURRENT", Map.of(PluginDiscovery.MANIFEST_SPI_VERSION, "7.1"));
        try (LogCapture log = new LogCapture(); PluginHost host = start(emptyClassPath(), Map.of())) {
            assertEquals(List.of(), host.types());
            assertEquals(List.of(new RefusedPlugin("declared-v7.jar", jar.toString(), Optional.of("7.1"),
                    "it was built for SPI 7.1 but this host implements SPI " + SpiVersion.CURRENT
                            + " (major versions differ)")), host.refused());
            assertEquals(1, log.warnings.size());
        }
    }

    @Test
    void lifecycleRunsInitInTypeOrderAndClosesInReverse() {
        PluginHost host = start(TestPlugins.classPathWith(temp, TestPlugins.AlphaBetaPlugin.class),
                Map.of("rsynth.task.beta.level", "7"));
        assertEquals(List.of("alpha", "beta"), host.types());
        assertFalse(host.factory("alpha").orElseThrow().source().external());
        host.close();
        host.close();
        assertEquals(List.of("init alpha alpha-beta level=1", "init beta alpha-beta level=7",
                "close beta alpha-beta", "close alpha alpha-beta"), TestPlugins.EVENTS);
    }

    @Test
    void aRequestTheFactoryRejectsNeverBecomesATask() throws Exception {
        PluginJars.buildEchoPlugin(pluginsDir(), "ext-echo.jar", "com.example.ext", "ext-echo-plugin", EXT_TYPE,
                "SpiVersion.CURRENT", Map.of());
        try (PluginHost host = start(emptyClassPath(), Map.of())) {
            HostedFactory factory = host.factory(EXT_TYPE).orElseThrow();
            TaskRequest request = new TaskRequest("t-2", EXT_TYPE, "m",
                    new Parameters(Map.of("probe", List.of("reject"))), 1L, Optional.empty());
            InvalidParametersException e = assertThrows(InvalidParametersException.class,
                    () -> factory.prepare(new ValidationContext(request, MODEL, Map.of())));
            assertEquals("parameter 'probe' asks to be rejected", e.getMessage());
        }
    }

    @Test
    void twoPluginsClaimingOneTypeRefuseToStartNamingBoth() {
        ClassLoader cp = TestPlugins.classPathWith(temp, TestPlugins.AlphaBetaPlugin.class,
                TestPlugins.OtherAlphaPlugin.class);
        PluginHostException e = assertThrows(PluginHostException.class, () -> start(cp, Map.of()));
        assertEquals("task type 'alpha' is claimed by plugins 'alpha-beta' (class path) and 'other-alpha' "
                + "(class path); choose one with rsynth.task.alpha.plugin=<plugin name>", e.getMessage());
        assertEquals(List.of(), TestPlugins.EVENTS, "nothing is initialised when the host refuses to start");
    }

    @Test
    void configurationDecidesWhichPluginServesAContestedType() throws Exception {
        ClassLoader cp = TestPlugins.classPathWith(temp, TestPlugins.AlphaBetaPlugin.class,
                TestPlugins.OtherAlphaPlugin.class);
        try (PluginHost host = start(cp, Map.of("rsynth.task.alpha.plugin", "other-alpha"))) {
            assertEquals("other-alpha", host.factory("alpha").orElseThrow().pluginName());
            assertEquals("alpha-beta", host.factory("beta").orElseThrow().pluginName());
            assertEquals("other-alpha", run(host.factory("alpha").orElseThrow(), Map.of(), Map.of())
                    .metadata().get("owner"));
        }
        PluginHostException e = assertThrows(PluginHostException.class,
                () -> start(cp, Map.of("rsynth.task.alpha.plugin", "nobody")));
        assertTrue(e.getMessage().startsWith("rsynth.task.alpha.plugin is 'nobody' but task type 'alpha' is served "
                + "only by 'alpha-beta'"), e.getMessage());
    }

    @Test
    void everyInvalidSettingIsReportedAtOnce() {
        PluginJars.buildEchoPlugin(pluginsDir(), "ext-echo.jar", "com.example.ext", "ext-echo-plugin", EXT_TYPE,
                "SpiVersion.CURRENT", Map.of());
        ClassLoader cp = TestPlugins.classPathWith(temp, TestPlugins.AlphaBetaPlugin.class);
        PluginHostException e = assertThrows(PluginHostException.class, () -> start(cp, Map.of(
                "rsynth.task.alpha.level", "11", "rsynth.task.beta.level", "high",
                "rsynth.task.ext-echo.greting", "hi")));
        assertEquals(3, e.problems().size(), e.problems()::toString);
        assertTrue(e.problems().get(0).startsWith("rsynth.task.alpha: key 'level' is '11'; expected an integer in"),
                e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith("rsynth.task.beta: key 'level' is 'high'"), e.problems().get(1));
        assertTrue(e.problems().get(2).startsWith("rsynth.task.ext-echo: unknown key 'greting'; known: greeting"),
                e.problems().get(2));
    }

    @Test
    void aPluginNameProvidedTwiceRefusesToStart() {
        ClassLoader cp = TestPlugins.classPathWith(temp, TestPlugins.AlphaBetaPlugin.class,
                TestPlugins.ImpostorPlugin.class);
        PluginHostException e = assertThrows(PluginHostException.class, () -> start(cp, Map.of()));
        assertTrue(e.getMessage().contains("plugin name 'alpha-beta' is provided more than once"), e.getMessage());
    }

    @Test
    void aFactoryFailingToInitialiseStopsTheHostAndClosesTheOthers() {
        ClassLoader cp = TestPlugins.classPathWith(temp, TestPlugins.AlphaBetaPlugin.class,
                TestPlugins.FailingInitPlugin.class);
        PluginHostException e = assertThrows(PluginHostException.class, () -> start(cp, Map.of()));
        assertEquals("task factory 'gamma' of plugin 'failing' failed to initialise: "
                + "java.lang.IllegalStateException: no GPU today", e.getMessage());
        assertEquals(List.of("init alpha alpha-beta level=1", "init beta alpha-beta level=1",
                "close beta alpha-beta", "close alpha alpha-beta"), TestPlugins.EVENTS);
    }

    @Test
    void eachExternalJarHasItsOwnLoader() {
        PluginJars.buildEchoPlugin(pluginsDir(), "a.jar", "com.example.same", "plugin-a", "echo-a",
                "SpiVersion.CURRENT", Map.of());
        PluginJars.buildEchoPlugin(pluginsDir(), "b.jar", "com.example.same", "plugin-b", "echo-b",
                "SpiVersion.CURRENT", Map.of());
        try (PluginHost host = start(emptyClassPath(), Map.of())) {
            HostedFactory a = host.factory("echo-a").orElseThrow();
            HostedFactory b = host.factory("echo-b").orElseThrow();
            assertNotSame(a.source().classLoader(), b.source().classLoader());
            assertNotSame(a.factory().getClass(), b.factory().getClass(), "same class name, separate loaders");
        }
    }

    @Test
    void missingPluginsDirectoryMeansNoExternalPlugins() {
        try (PluginHost host = PluginHost.start(new PluginHostConfig(emptyClassPath(),
                Optional.of(temp.resolve("absent")), Map.of()))) {
            assertEquals(List.of(), host.types());
            assertEquals(List.of(), host.refused());
        }
    }
}
