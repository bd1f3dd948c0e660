package dev.robustsynth.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdmissionTest {
    private final Admission admission = new Admission(2);

    @Test
    void bulkAloneFillsTheBatch() {
        assertEquals(32, admission.bulkRows(0, 300, 32, 1));
        assertEquals(7, admission.bulkRows(0, 7, 32, 1));
    }

    @Test
    void whileInteractiveIsLiveBulkTakesItsShareAndNoMore() {
        assertEquals(2, admission.bulkRows(1, 300, 32, 1));
        assertEquals(1, admission.interactiveRows(1, 2, 32));
        assertEquals(1, admission.bulkRows(1, 1, 32, 1));
    }

    @Test
    void interactiveThatCouldFillTheBatchLeavesTheBulkShare() {
        int bulk = admission.bulkRows(100, 300, 32, 1);
        assertEquals(2, bulk);
        assertEquals(30, admission.interactiveRows(100, bulk, 32));
    }

    @Test
    void aShareAsLargeAsTheBatchStillLeavesInteractiveOneRow() {
        Admission wide = new Admission(64);
        int bulk = wide.bulkRows(5, 300, 32, 1);
        assertEquals(31, bulk);
        assertEquals(1, wide.interactiveRows(5, bulk, 32));
    }

    @Test
    void oneRowCapacityAlternatesTheClasses() {
        assertEquals(1, admission.bulkRows(3, 3, 1, 2) + admission.bulkRows(3, 3, 1, 3));
        assertEquals(0, admission.interactiveRows(3, admission.bulkRows(3, 3, 1, 2), 1));
        assertEquals(1, admission.interactiveRows(3, admission.bulkRows(3, 3, 1, 3), 1));
    }

    @Test
    void aShareOfZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Admission(0));
    }
}
