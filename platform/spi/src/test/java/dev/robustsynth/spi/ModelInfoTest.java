package dev.robustsynth.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelInfoTest {
    private final ModelInfo info = new ModelInfo("toy", "00", List.of("cat", "dog"), 1, 4, 4, List.of(),
            Optional.of(new ThreatModel(Norm.L2, 0.5)), new SynthesisDefaults(10, 0.5, 20));

    @Test
    void findsClassesByNameOrIndex() throws InvalidParametersException {
        assertEquals(1, info.classIndex("Dog"));
        assertEquals(0, info.classIndex("0"));
    }

    @Test
    void unknownClassNamesTheKnownOnes() {
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> info.classIndex("cow"));
        assertEquals(ErrorCode.INVALID_PARAMETERS, e.code());
        assertTrue(e.getMessage().contains("unknown class 'cow' for model toy; known: cat, dog"), e.getMessage());
        assertThrows(InvalidParametersException.class, () -> info.classIndex("7"));
    }
}
