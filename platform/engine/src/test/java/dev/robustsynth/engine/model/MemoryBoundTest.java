package dev.robustsynth.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.engine.optim.SpecPlanner;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A model's batch is the configured one cut to its memory bound; a model that fits no image is refused. */
class MemoryBoundTest {
    static final long MIB = 1 << 20;

    static ModelRegistry.Options bound(long bytes) {
        return new ModelRegistry.Options(32, false, new SpecPlanner(100, 8), Optional.empty(), bytes);
    }

    @Test
    void theBatchIsCutToWhatFitsBesideTheWeights() throws Exception {
        Path dir = Path.of("m");
        assertEquals(32, ModelRegistry.batchWithin(dir, 10 * MIB, OptionalLong.of(30 * MIB), bound(8192 * MIB)));
        assertEquals(10, ModelRegistry.batchWithin(dir, 10 * MIB, OptionalLong.of(30 * MIB), bound(310 * MIB)));
        assertEquals(1, ModelRegistry.batchWithin(dir, 10 * MIB, OptionalLong.of(30 * MIB), bound(40 * MIB)));
        assertEquals(32, ModelRegistry.batchWithin(dir, 10 * MIB, OptionalLong.empty(), bound(MIB)));
    }

    @Test
    void aModelThatFitsNoImageIsRefusedWithTheNumbers() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelRegistry.batchWithin(Path.of("m"), 10 * MIB, OptionalLong.of(30 * MIB), bound(39 * MIB)));
        assertTrue(e.getMessage().contains("39.0 MiB per model") && e.getMessage().contains("10.0 MiB of weights")
                && e.getMessage().contains("30.0 MiB per batch item"), e.getMessage());
    }
}
