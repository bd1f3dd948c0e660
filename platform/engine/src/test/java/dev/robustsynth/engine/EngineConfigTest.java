package dev.robustsynth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.engine.runtime.ExecutionProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EngineConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        EngineConfig config = EngineConfig.defaults();
        assertEquals(Path.of("models"), config.modelsDir());
        assertEquals(ExecutionProvider.AUTO, config.provider());
        assertEquals(32, config.maxBatch());
        assertTrue(config.warmUp());
        assertEquals(EngineConfig.defaultCacheDir(), config.cacheDir().orElseThrow());
        assertEquals(config, config.toBuilder().build());
        assertFalse(EngineConfig.builder().cacheDir(null).build().cacheDir().isPresent());
    }

    @Test
    void everyInvalidValueIsReportedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder()
                .maxBatch(0).intraOpThreads(-1).maxSteps(0).build());
        assertTrue(e.getMessage().contains("maxBatch") && e.getMessage().contains("intraOpThreads")
                && e.getMessage().contains("maxSteps"), e.getMessage());
    }
}
