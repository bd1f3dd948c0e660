package dev.robustsynth.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** External jars load only when the allowlist pins them by name and SHA-256; class-path plugins are trusted. */
class PluginTrustTest {
    @TempDir
    Path temp;

    private Path pluginsDir() {
        return temp.resolve("plugins");
    }

    private Path echoJar(String jarName, String pkg, String pluginName, String type) {
        return PluginJars.buildEchoPlugin(pluginsDir(), jarName, pkg, pluginName, type, "SpiVersion.CURRENT",
                Map.of());
    }

    private PluginHost start(ClassLoader classPath, Optional<Path> allowlist) {
        return PluginHost.start(new PluginHostConfig(classPath, Optional.of(pluginsDir()), allowlist, Map.of()));
    }

    @Test
    void aJarListedWithItsDigestLoadsFromAPrivateCopyDeletedOnClose() throws Exception {
        Path jar = echoJar("ext-echo.jar", "com.example.ext", "ext-echo-plugin", "ext-echo");
        Path allowlist = Files.createDirectories(temp.resolve("read-only-mount")).resolve("allow");
        Files.move(pluginsDir().resolve(PluginHostConfig.DEFAULT_ALLOWLIST), allowlist);

        PluginHost host = start(TestPlugins.classPathWith(temp), Optional.of(allowlist));
        HostedFactory factory = host.factory("ext-echo").orElseThrow();
        assertEquals(Optional.of(jar), factory.source().location());
        assertEquals(List.of(), host.refused());
        URL[] urls = ((PluginClassLoader) factory.source().classLoader()).getURLs();
        assertEquals(1, urls.length);
        Path copy = Path.of(urls[0].toURI());
        assertFalse(copy.startsWith(pluginsDir()), "loads from a private copy, not the droppable original");
        assertEquals(PluginJars.sha256(jar), PluginJars.sha256(copy));
        host.close();
        assertFalse(Files.exists(copy.getParent()), "the private copy goes with the host");
    }

    @Test
    void anUnlistedJarIsRefusedWithOneLineNamingItsDigestAndTheListedOneStillLoads() {
        echoJar("ext-echo.jar", "com.example.ext", "ext-echo-plugin", "ext-echo");
        Path allowlist = pluginsDir().resolve(PluginHostConfig.DEFAULT_ALLOWLIST);
        List<String> vetted = read(allowlist);
        Path dropped = echoJar("dropped.jar", "com.example.dropped", "dropped-plugin", "dropped");
        write(allowlist, vetted);

        try (LogCapture log = new LogCapture(); PluginHost host = start(TestPlugins.classPathWith(temp),
                Optional.empty())) {
            assertEquals(List.of("ext-echo"), host.types());
            String reason = "'dropped.jar' (SHA-256 " + PluginJars.sha256(dropped) + ") is not listed in the plugin "
                    + "allowlist " + allowlist;
            assertEquals(List.of(new RefusedPlugin("dropped.jar", dropped.toString(), Optional.empty(), reason)),
                    host.refused());
            assertEquals(List.of("refusing plugin 'dropped.jar' from " + dropped + ": " + reason
                    + "; continuing without it"), log.warnings);
        }
    }

    @Test
    void aListedJarWhoseBytesChangedIsRefused() throws Exception {
        Path jar = echoJar("ext-echo.jar", "com.example.ext", "ext-echo-plugin", "ext-echo");
        String vettedDigest = PluginJars.sha256(jar);
        Path allowlist = pluginsDir().resolve(PluginHostConfig.DEFAULT_ALLOWLIST);
        List<String> vetted = read(allowlist);
        // same name and classes, one more class: what a tampered drop-in looks like
        Map<String, String> sources = new java.util.HashMap<>(PluginJars.echoPlugin("com.example.ext",
                "ext-echo-plugin", "ext-echo", "SpiVersion.CURRENT"));
        sources.put("com.example.ext.Backdoor", "package com.example.ext; final class Backdoor { }");
        Path tampered = PluginJars.build(temp.resolve("attacker"), "ext-echo.jar", sources,
                "com.example.ext.ExternalPlugin", Map.of());
        Files.copy(tampered, jar, StandardCopyOption.REPLACE_EXISTING);
        write(allowlist, vetted);

        try (LogCapture log = new LogCapture(); PluginHost host = start(TestPlugins.classPathWith(temp),
                Optional.empty())) {
            assertEquals(List.of(), host.types());
            RefusedPlugin refused = host.refused().get(0);
            assertEquals("ext-echo.jar", refused.name());
            assertEquals("'ext-echo.jar' has SHA-256 " + PluginJars.sha256(jar) + " but the plugin allowlist "
                    + allowlist + " pins " + vettedDigest + ": the jar is not the one that was vetted",
                    refused.reason());
            assertEquals(1, log.warnings.size(), log.warnings::toString);
        }
    }

    @Test
    void withoutAnAllowlistEveryExternalJarIsRefusedAndClassPathPluginsAreTrusted() throws Exception {
        Path jar = echoJar("ext-echo.jar", "com.example.ext", "ext-echo-plugin", "ext-echo");
        Files.delete(pluginsDir().resolve(PluginHostConfig.DEFAULT_ALLOWLIST));
        try (PluginHost host = start(TestPlugins.classPathWith(temp, TestPlugins.AlphaBetaPlugin.class),
                Optional.empty())) {
            assertEquals(List.of("alpha", "beta"), host.types());
            assertEquals(List.of(new RefusedPlugin("ext-echo.jar", jar.toString(), Optional.empty(),
                    "no plugin allowlist exists at " + pluginsDir().resolve(PluginHostConfig.DEFAULT_ALLOWLIST)
                            + "; an external jar loads only when listed there with its SHA-256 (sha256sum's "
                            + "format)")), host.refused());
        }
    }

    @Test
    void aPluginDirectoryLoadsOnlyWhenEveryJarInItIsListedByItsRelativeName() throws Exception {
        Path sub = pluginsDir().resolve("echo-bundle");
        Path jar = PluginJars.buildEchoPlugin(sub, "echo.jar", "com.example.sub", "sub-plugin", "sub-echo",
                "SpiVersion.CURRENT", Map.of());
        Files.delete(sub.resolve(PluginHostConfig.DEFAULT_ALLOWLIST));
        Path lib = Files.copy(jar, sub.resolve("lib.jar"));
        PluginJars.allow(pluginsDir(), jar);
        try (PluginHost host = start(TestPlugins.classPathWith(temp), Optional.empty())) {
            assertEquals(List.of(), host.types(), "lib.jar is not listed");
            assertTrue(host.refused().get(0).reason().startsWith("'echo-bundle/lib.jar' (SHA-256 "),
                    host.refused()::toString);
        }
        PluginJars.allow(pluginsDir(), lib);
        assertTrue(read(pluginsDir().resolve(PluginHostConfig.DEFAULT_ALLOWLIST)).contains(
                PluginJars.sha256(lib) + "  echo-bundle/lib.jar"));
        try (PluginHost host = start(TestPlugins.classPathWith(temp), Optional.empty())) {
            assertEquals(List.of("sub-echo"), host.types());
        }
    }

    @Test
    void aMalformedAllowlistStopsTheStartNamingEveryBadLine() {
        echoJar("ext-echo.jar", "com.example.ext", "ext-echo-plugin", "ext-echo");
        Path allowlist = pluginsDir().resolve(PluginHostConfig.DEFAULT_ALLOWLIST);
        List<String> lines = read(allowlist);
        String digest = lines.get(0).substring(0, 64);
        write(allowlist, List.of("# vetted 2026-12-04", "", lines.get(0), "abc  short.jar", digest + " *ext-echo.jar"));
        PluginHostException e = assertThrows(PluginHostException.class,
                () -> start(TestPlugins.classPathWith(temp), Optional.empty()));
        assertEquals(List.of("plugin allowlist " + allowlist + " line 4: expected '<sha256 in 64 hex digits>  "
                        + "<jar name>' (sha256sum's format)",
                "plugin allowlist " + allowlist + " line 5: 'ext-echo.jar' is listed twice"), e.problems());
    }

    @Test
    void sha256sumsBinaryModeAndDotSlashNamesAreAccepted() {
        Path jar = echoJar("ext-echo.jar", "com.example.ext", "ext-echo-plugin", "ext-echo");
        write(pluginsDir().resolve(PluginHostConfig.DEFAULT_ALLOWLIST),
                List.of(PluginJars.sha256(jar).toUpperCase() + " *./ext-echo.jar"));
        try (PluginHost host = start(TestPlugins.classPathWith(temp), Optional.empty())) {
            assertEquals(List.of("ext-echo"), host.types());
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.write(file, lines);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
