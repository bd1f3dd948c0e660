package dev.robustsynth.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDefinitionTest {
    private final ConfigDefinition definition = ConfigDefinition.of(
            ConfigKey.intRange("max-steps", 500, 1, 10_000, "most steps a request may ask for"),
            ConfigKey.doubleRange("max-eps", 100.0, 0.0, 1_000.0, "largest radius a request may ask for"),
            ConfigKey.of("label", ConfigKey.Type.STRING, null, "a required label"));

    @Test
    void defaultsApplyAndValuesAreParsed() throws ConfigException {
        PluginConfig config = definition.validate("generate", Map.of("label", "x", "max-eps", "2.5"));
        assertEquals(500, config.integer("max-steps"));
        assertEquals(2.5, config.number("max-eps"));
        assertEquals("x", config.string("label"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> definition.validate("generate",
                Map.of("max-steps", "0", "max-eps", "lots", "colour", "red")));
        assertEquals(4, e.problems().size(), e.problems().toString());
        assertTrue(e.getMessage().contains("unknown key 'colour'"), e.getMessage());
        assertTrue(e.getMessage().contains("key 'max-steps' is '0'; expected an integer in [1, 10000]"), e.getMessage());
        assertTrue(e.getMessage().contains("missing required key 'label'"), e.getMessage());
    }

    @Test
    void undeclaredKeyIsMisuse() throws ConfigException {
        PluginConfig config = definition.validate("generate", Map.of("label", "x"));
        assertThrows(IllegalStateException.class, () -> config.integer("nope"));
    }
}
