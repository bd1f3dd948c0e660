package dev.robustsynth.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpiVersionTest {
    @Test
    void sameMajorIsCompatibleOtherMajorIsNot() {
        assertTrue(SpiVersion.isCompatible(SpiVersion.major(SpiVersion.CURRENT) + ".7"));
        assertFalse(SpiVersion.isCompatible((SpiVersion.major(SpiVersion.CURRENT) + 1) + ".0"));
    }

    @Test
    void malformedVersionIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpiVersion.major("x.1"));
        assertEquals("SPI version 'x.1' is not of the form major.minor", e.getMessage());
    }
}
