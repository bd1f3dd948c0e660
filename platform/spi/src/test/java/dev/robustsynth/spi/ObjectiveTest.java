package dev.robustsynth.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObjectiveTest {

    @Test
    void changingAnArrayGivenInOrTakenOutLeavesTheObjectiveAsItWas() {
        float[] target = {0f, 1f};
        float[] logits = {0.5f, 0f};
        float[] layer = {1f, 2f, 3f};
        Objective objective = new Objective(Optional.of(target), 1f, Optional.of(logits), Map.of("f", layer));
        target[0] = 9f;
        logits[0] = 9f;
        layer[0] = 9f;
        objective.target().orElseThrow()[1] = 9f;
        objective.logitWeights().orElseThrow()[1] = 9f;
        objective.activationWeights().get("f")[1] = 9f;
        objective.activationWeights("f").orElseThrow()[2] = 9f;

        assertArrayEquals(new float[] {0f, 1f}, objective.target().orElseThrow());
        assertArrayEquals(new float[] {0.5f, 0f}, objective.logitWeights().orElseThrow());
        assertArrayEquals(new float[] {1f, 2f, 3f}, objective.activationWeights("f").orElseThrow());
        assertEquals(Optional.empty(), objective.activationWeights("g"));
    }
}
