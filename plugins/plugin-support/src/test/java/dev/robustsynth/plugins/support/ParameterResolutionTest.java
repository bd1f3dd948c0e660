package dev.robustsynth.plugins.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.plugins.testkit.TinyModels;
import dev.robustsynth.spi.ConfigDefinition;
import dev.robustsynth.spi.ConfigException;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterResolutionTest {
    private final ModelInfo model = TinyModels.grey(1).info(); // defaults eps 3, step 0.5, 20 steps
    private final TaskTuning tuning = new TaskTuning(100, 2.0, 1.5, 10);

    private static Parameters params(Map<String, ?> values) {
        return new Parameters(values);
    }

    @Test
    void classesResolveByNameAnyCaseOrByIndex() throws Exception {
        assertEquals(2, ClassParameter.required(params(Map.of("class", "Ankle Boot")), "class", model));
        assertEquals(1, ClassParameter.required(params(Map.of("class", 1)), "class", model));
        assertEquals(1, ClassParameter.required(params(Map.of("class", "1")), "class", model));
        assertEquals(List.of(2, 0), ClassParameter.list(params(Map.of("classes", List.of("ankle boot", 0, 2))),
                "classes", model));
    }

    @Test
    void unknownClassesNameTheParameterAndTheKnownClasses() {
        InvalidParametersException byName = assertThrows(InvalidParametersException.class,
                () -> ClassParameter.required(params(Map.of("class", "sneakr")), "class", model));
        assertEquals("parameter 'class': unknown class 'sneakr' for model tiny-grey; known: t-shirt, trouser, "
                + "ankle boot", byName.getMessage());
        InvalidParametersException byIndex = assertThrows(InvalidParametersException.class,
                () -> ClassParameter.required(params(Map.of("class", 3)), "class", model));
        assertEquals("parameter 'class' is 3; model tiny-grey has class indices 0 to 2", byIndex.getMessage());
        assertThrows(InvalidParametersException.class,
                () -> ClassParameter.required(params(Map.of("class", 1.5)), "class", model));
        InvalidParametersException missing = assertThrows(InvalidParametersException.class,
                () -> ClassParameter.required(params(Map.of()), "class", model));
        assertTrue(missing.getMessage().startsWith("parameter 'class' is required"), missing.getMessage());
    }

    @Test
    void stepDefaultsComeFromTheModelScaledByTheTask() throws Exception {
        StepSettings s = StepSettings.resolve(Parameters.empty(), model, tuning);
        assertEquals(new StepSettings(6.0, 0.5, 30, false), s);
        StepSettings given = StepSettings.resolve(
                params(Map.of("eps", 1.5, "stepSize", 0.1, "steps", 7, "keepBest", true)), model, tuning);
        assertEquals(new StepSettings(1.5, 0.1, 7, true), given);
        assertEquals(0, StepSettings.resolve(params(Map.of("steps", 0)), model, tuning).steps());
    }

    @Test
    void defaultStepsNeverExceedTheConfiguredMaximum() throws Exception {
        assertEquals(25, StepSettings.resolve(Parameters.empty(), model, new TaskTuning(25, 1, 10, 0)).steps());
    }

    @Test
    void badStepSettingsAreRejectedWithASentence() {
        InvalidParametersException eps = assertThrows(InvalidParametersException.class,
                () -> StepSettings.resolve(params(Map.of("eps", 0)), model, tuning));
        assertTrue(eps.getMessage().startsWith("parameter 'eps' is 0.0; expected a number > 0"), eps.getMessage());
        assertThrows(InvalidParametersException.class,
                () -> StepSettings.resolve(params(Map.of("eps", -2.0)), model, tuning));
        assertThrows(InvalidParametersException.class,
                () -> StepSettings.resolve(params(Map.of("stepSize", 0.0)), model, tuning));
        InvalidParametersException steps = assertThrows(InvalidParametersException.class,
                () -> StepSettings.resolve(params(Map.of("steps", 101)), model, tuning));
        assertEquals("parameter 'steps' is 101; at most 100 are allowed (configuration key max-steps)",
                steps.getMessage());
        assertThrows(InvalidParametersException.class,
                () -> StepSettings.resolve(params(Map.of("steps", -1)), model, tuning));
        assertThrows(InvalidParametersException.class,
                () -> StepSettings.resolve(params(Map.of("eps", "big")), model, tuning));
    }

    @Test
    void tuningKeysHaveDefaultsAndReportEveryBadValue() throws Exception {
        ConfigDefinition definition = new ConfigDefinition(TaskTuning.keys(1.5, 2.0));
        TaskTuning defaults = TaskTuning.from(definition.validate("sketch", Map.of()));
        assertEquals(new TaskTuning(1000, 1.5, 2.0, 10), defaults);
        ConfigException e = assertThrows(ConfigException.class,
                () -> definition.validate("sketch", Map.of("max-steps", "0", "eps-scale", "x")));
        assertEquals(2, e.problems().size(), e.getMessage());
    }
}
