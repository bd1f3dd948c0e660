package dev.robustsynth.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersTest {
    private final Parameters params = new Parameters(Map.of("steps", 60, "eps", 2.5, "class", "cat",
            "nested", Map.of("k", 3)));

    @Test
    void typedGettersFallBackWhenAbsent() throws InvalidParametersException {
        assertEquals(60, params.integer("steps", 1));
        assertEquals(7, params.integer("missing", 7));
        assertEquals(2.5, params.number("eps", 0));
        assertEquals(3, params.object("nested").integer("k", 0));
    }

    @Test
    void wrongTypeNamesTheParameter() {
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> params.integer("eps", 1));
        assertEquals("parameter 'eps' is 2.5; expected an integer", e.getMessage());
    }
}
