package dev.robustsynth.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import org.junit.jupiter.api.Test;

class SessionFactoryTest {

    @Test
    void cudaFallsBackToTheCpuWhenTheRuntimeLacksItAndSaysSo() {
        boolean hasCuda = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        SessionFactory cuda = new SessionFactory(OrtEnvironment.getEnvironment(), ExecutionProvider.CUDA, 1, 1);
        SessionFactory auto = new SessionFactory(OrtEnvironment.getEnvironment(), ExecutionProvider.AUTO, 1, 1);
        SessionFactory cpu = new SessionFactory(OrtEnvironment.getEnvironment(), ExecutionProvider.CPU, 1, 1);
        assertEquals("cpu", cpu.provider());
        assertEquals("cpu (configured)", cpu.providerNote());
        if (!hasCuda) {
            assertEquals("cpu", cuda.provider());
            assertTrue(cuda.providerNote().startsWith("cpu (cuda configured but"), cuda.providerNote());
            assertEquals("cpu", auto.provider());
            assertTrue(auto.providerNote().startsWith("cpu (auto"), auto.providerNote());
        } else {
            assertEquals("cuda", cuda.provider());
            assertEquals("cuda", auto.provider());
        }
    }

    @Test
    void providersParseCaseInsensitivelyAndNameTheKnownOnes() {
        assertEquals(ExecutionProvider.CUDA, ExecutionProvider.parse(" CUDA "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutionProvider.parse("tensorrt"));
        assertTrue(e.getMessage().contains("cpu, cuda, auto"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SessionFactory(OrtEnvironment.getEnvironment(), ExecutionProvider.CPU, -1, 0));
    }
}
