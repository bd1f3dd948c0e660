package dev.robustsynth.plugins.inpaint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.robustsynth.plugins.support.Masks;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SquareHoleTest {
    @Test
    void randomHolesLieInsideAndAreReproducible() {
        SplittableRandom a = new SplittableRandom(5);
        SplittableRandom b = new SplittableRandom(5);
        boolean[] seenLeft = new boolean[21];
        for (int i = 0; i < 500; i++) {
            SquareHole hole = SquareHole.random(28, 28, 8, a);
            assertEquals(hole, SquareHole.random(28, 28, 8, b));
            assertEquals(true, hole.fitsIn(28, 28), hole.toString());
            seenLeft[hole.x()] = true;
            assertEquals(64, Masks.count(hole.mask(28, 28)));
        }
        for (int x = 0; x <= 20; x++) {
            assertEquals(true, seenLeft[x], "left edge " + x + " never drawn");
        }
        assertThrows(IllegalArgumentException.class, () -> SquareHole.random(8, 8, 9, a));
    }
}
