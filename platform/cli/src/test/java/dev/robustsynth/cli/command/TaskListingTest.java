package dev.robustsynth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code rsynth tasks} and {@code submit --help} take the task types from when no service answers: the local
 * schemas, said on stderr. (Against a real service with a drop-in plugin: platform/acceptance's PluginGuideTest.)
 */
class TaskListingTest {
    /** Nothing listens on port 1, so the connection is refused at once. */
    private static final String NO_SERVICE = "http://127.0.0.1:1";
    private static final Path SCHEMAS = Path.of("../../schemas");

    @TempDir
    Path dir;

    @Test
    void tasksFallsBackToTheLocalSchemasAndSaysSoOnStderr() {
        CliRun run = CliRun.of("tasks", "--service", NO_SERVICE, "--schemas", SCHEMAS.toString());
        assertEquals(ExitCodes.SUCCEEDED, run.exit(), run::toString);
        assertTrue(run.err().contains("the service at " + NO_SERVICE + " did not answer"), run::toString);
        assertTrue(run.err().contains("falling back to the local task schemas in "
                + SCHEMAS.resolve("tasks").toAbsolutePath().normalize()), run::toString);
        assertTrue(run.out().contains("superres  — "), run::toString);
        assertTrue(run.out().contains("params: image*, factor*"), run::toString);
        assertFalse(run.out().contains("["), "no plugin is named without a service: " + run);
    }

    @Test
    void tasksFailsWhenNeitherTheServiceNorSchemasAreThere() throws Exception {
        Files.createDirectories(dir.resolve("tasks"));
        CliRun run = CliRun.of("tasks", "--service", NO_SERVICE, "--schemas", dir.toString());
        assertEquals(ExitCodes.ERROR, run.exit(), run::toString);
        assertTrue(run.err().contains("no task types found"), run::toString);
    }

    @Test
    void submitHelpListsTheTypesOfTheSameSource() {
        CliRun run = CliRun.of("submit", "--help", "--service", NO_SERVICE, "--schemas", SCHEMAS.toString());
        assertEquals(ExitCodes.SUCCEEDED, run.exit(), run::toString);
        String types = typeDescription(run.out());
        assertTrue(types.contains("superres"), types);
        assertFalse(types.contains("super-resolve"), types);
        for (String type : new String[] {"generate", "inpaint", "paint", "sketch", "translate"}) {
            assertTrue(types.contains(type), type + " missing from: " + types);
        }
        assertTrue(run.err().contains("falling back to the local task schemas"), run::toString);
    }

    @Test
    void submitAsksForTheTypesOnlyWhenItShowsItsHelp() {
        CliRun run = CliRun.of("submit", "-t", "generate", "--dry-run", "--service", NO_SERVICE);
        assertEquals(ExitCodes.SUCCEEDED, run.exit(), run::toString);
        assertFalse(run.err().contains("did not answer"), run::toString);
    }

    @Test
    void aServiceThatIsNoAddressIsAUsageError() {
        CliRun run = CliRun.of("tasks", "--service", "localhost");
        assertEquals(ExitCodes.USAGE, run.exit(), run::toString);
        assertTrue(run.err().contains("--service 'localhost'"), run::toString);
    }

    /** The description of {@code -t} in a help text, joined onto one line. */
    static String typeDescription(String help) {
        Matcher m = Pattern.compile("-t, --type=<type>\\s+(.*?)(?=\\n\\s+-)", Pattern.DOTALL).matcher(help);
        assertTrue(m.find(), help);
        return m.group(1).replaceAll("\\s+", " ");
    }
}
