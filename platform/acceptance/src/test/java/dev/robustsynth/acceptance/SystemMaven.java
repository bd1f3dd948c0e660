package dev.robustsynth.acceptance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine's own {@code mvn} (Debian's 3.8.7 here), run as a plugin author would, but on a throwaway local
 * repository so nothing reaches the shared {@code ~/.m2}. Its settings add the build's local repository as a
 * release-only {@code file:} remote ahead of Maven Central: what the reactor already downloaded is copied from
 * there, the rest comes from Central. The JDK is this test's (21 or later, as the guide asks).
 */
final class SystemMaven {
    private static final long TIMEOUT_MINUTES = 5;
    private final Path mvn;
    private final Path work;
    private final Path settings;
    private int runs;

    /** What one run printed; {@code exit} is -1 when it was killed for taking too long. */
    record Run(int exit, Path log) {
        String tail() throws IOException {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
    }

    SystemMaven(Path mvn, Path work, Path warmRepository) throws IOException {
        this.mvn = mvn;
        this.work = Files.createDirectories(work);
        this.settings = work.resolve("settings.xml");
        String repository = """
                <repository><id>warm</id><url>%s</url>
                  <releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>
                </repository>""".formatted(warmRepository.toUri());
        Files.writeString(settings, """
                <settings>
                  <localRepository>%s</localRepository>
                  <profiles><profile><id>warm</id>
                    <repositories>%s</repositories>
                    <pluginRepositories>%s</pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>warm</activeProfile></activeProfiles>
                </settings>
                """.formatted(work.resolve("repository"), repository,
                repository.replace("repository>", "pluginRepository>")));
    }

    /**
     * Installs one artifact with its own pom into the throwaway repository, as {@code mvn install} in a checkout
     * would: its dependencies and parent are then resolved like a plugin author's. {@code jar} is empty for a pom.
     */
    Run install(Path pom, Optional<Path> jar) throws IOException {
        return run(work, List.of("org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file",
                "-Dfile=" + jar.orElse(pom), "-DpomFile=" + pom, "-Dpackaging=" + (jar.isPresent() ? "jar" : "pom")));
    }

    Run run(Path directory, List<String> arguments) throws IOException {
        Path log = work.resolve("mvn-" + (++runs) + ".log");
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-V", "-ntp", "-s", settings.toString()));
        command.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MAVEN_OPTS");
        Process p = pb.start();
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
                return new Run(-1, log);
            }
            return new Run(p.exitValue(), log);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
    }
}
