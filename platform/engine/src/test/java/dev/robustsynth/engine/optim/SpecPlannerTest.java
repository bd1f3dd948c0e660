package dev.robustsynth.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.PixelAnchor;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisDefaults;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisSpec;
import dev.robustsynth.spi.TaskException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecPlannerTest {
    static final ModelInfo MODEL = new ModelInfo("m", "0".repeat(64), List.of("a", "b", "c"), 3, 4, 5,
            List.of(new LayerInfo("feat", new int[] {2, 3}, "")), Optional.empty(), new SynthesisDefaults(1, 1, 1));
    static final StepRule RULE = new StepRule(Norm.L2, 1, 0.1, 10, false);
    final SpecPlanner planner = new SpecPlanner(100, 8);

    static SynthesisSpec spec(SynthesisItem item) {
        return new SynthesisSpec(List.of(item), RULE, 0, "s");
    }

    TaskException refused(SynthesisSpec spec) {
        return assertThrows(TaskException.class, () -> planner.plan(spec, MODEL));
    }

    @Test
    void aFittingSpecIsFlattenedWithMaskAndAnchorExpanded() throws Exception {
        Image start = Image.filled(3, 4, 5, 0.5f);
        Image mask = Image.filled(1, 4, 5, 1f);
        SynthesisItem item = SynthesisItem.of(start, Objective.towardClass(1, 3)).withChangeMask(mask)
                .withAnchor(new PixelAnchor(start, Image.filled(1, 4, 5, 0.5f), 2.0));
        ItemPlan plan = planner.plan(spec(item), MODEL).get(0);
        assertEquals(60, plan.mask().length);
        assertEquals(1f, plan.anchorWeight()[59], "λ·w = 2·0.5");
        assertArrayEquals(new float[] {0, 1, 0}, plan.target());
        assertEquals(1f, plan.ceWeight());
        assertArrayEquals(new float[3], plan.logitWeights());
        assertNull(plan.activationWeights()[0]);
    }

    @Test
    void anImageOfAnotherShapeIsAnInvalidImage() {
        Image wrong = Image.filled(1, 4, 5, 0.5f);
        TaskException e = refused(spec(SynthesisItem.of(wrong, Objective.towardClass(0, 3))));
        assertEquals(ErrorCode.INVALID_IMAGE, e.code());
        assertTrue(e.getMessage().contains("1x4x5") && e.getMessage().contains("3x4x5"), e.getMessage());
    }

    @Test
    void aTargetOfTheWrongLengthOrWithNaNIsInvalid() {
        Image start = Image.filled(3, 4, 5, 0.5f);
        TaskException length = refused(spec(SynthesisItem.of(start, Objective.towardClass(0, 4))));
        assertEquals(ErrorCode.INVALID_PARAMETERS, length.code());
        assertTrue(length.getMessage().contains("4 values"), length.getMessage());
        Objective nan = new Objective(Optional.of(new float[] {Float.NaN, 0, 1}), 1f, Optional.empty(), Map.of());
        assertEquals(ErrorCode.INVALID_PARAMETERS, refused(spec(SynthesisItem.of(start, nan))).code());
        Objective negative = new Objective(Optional.of(new float[] {-1, 0, 1}), 1f, Optional.empty(), Map.of());
        assertEquals(ErrorCode.INVALID_PARAMETERS, refused(spec(SynthesisItem.of(start, negative))).code());
        Objective inf = new Objective(Optional.empty(), 0f, Optional.of(new float[] {0, Float.NEGATIVE_INFINITY, 0}),
                Map.of());
        assertEquals(ErrorCode.INVALID_PARAMETERS, refused(spec(SynthesisItem.of(start, inf))).code());
    }

    @Test
    void anUnexposedLayerIsUnsupportedAndWrongLayerWeightsInvalid() {
        Image start = Image.filled(3, 4, 5, 0.5f);
        TaskException unknown = refused(spec(SynthesisItem.of(start, Objective.raiseActivation("conv9", new float[6]))));
        assertEquals(ErrorCode.MODEL_UNSUPPORTED, unknown.code());
        assertTrue(unknown.getMessage().contains("feat"), unknown.getMessage());
        assertEquals(ErrorCode.INVALID_PARAMETERS,
                refused(spec(SynthesisItem.of(start, Objective.raiseActivation("feat", new float[5])))).code());
    }

    @Test
    void weightsOnALogitsLayerFoldIntoTheLogitWeights() throws Exception {
        ModelInfo withLogits = new ModelInfo("m", "0".repeat(64), List.of("a", "b", "c"), 3, 4, 5,
                List.of(new LayerInfo("feat", new int[] {2, 3}, ""), new LayerInfo("logits", new int[] {3}, "")),
                Optional.empty(), new SynthesisDefaults(1, 1, 1));
        Image start = Image.filled(3, 4, 5, 0.5f);
        Objective objective = new Objective(Optional.empty(), 0f, Optional.of(new float[] {1, 0, 0}),
                Map.of("logits", new float[] {0, 2, 0}));
        ItemPlan plan = planner.plan(spec(SynthesisItem.of(start, objective)), withLogits).get(0);
        assertArrayEquals(new float[] {1, 2, 0}, plan.logitWeights());
        assertEquals(1, plan.activationWeights().length, "only 'feat' has a graph input");
    }

    @Test
    void tooManyStepsOrItemsAreInvalid() {
        Image start = Image.filled(3, 4, 5, 0.5f);
        SynthesisItem item = SynthesisItem.of(start, Objective.towardClass(0, 3));
        assertEquals(ErrorCode.INVALID_PARAMETERS, refused(new SynthesisSpec(List.of(item),
                new StepRule(Norm.L2, 1, 0.1, 101, false), 0, "s")).code());
        assertEquals(ErrorCode.INVALID_PARAMETERS, refused(new SynthesisSpec(
                java.util.Collections.nCopies(9, item), RULE, 0, "s")).code());
    }
}
