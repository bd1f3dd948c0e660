package dev.robustsynth.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.robustsynth.trainer.Preset;
import dev.robustsynth.trainer.Presets;
import dev.robustsynth.trainer.train.AttackConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommonOptionsTest {

    private static CommonOptions parse(String... args) {
        CommonOptions options = new CommonOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void epsOverrideChangesTheRadiusAndScalesTheStepWithIt() {
        AttackConfig preset = Presets.get("fashion-robust-l2").train().attack();
        Preset p = parse("--preset", "fashion-robust-l2", "--eps", "1.0").resolvePreset();
        AttackConfig attack = p.train().attack();
        assertEquals(1.0f, attack.eps());
        assertEquals(preset.steps(), attack.steps());
        assertEquals(preset.stepSize() / preset.eps(), attack.stepSize() / attack.eps(), 1e-6);
        assertEquals(preset.norm(), attack.norm());
    }

    @Test
    void epsOverrideOnAStandardPresetIsRefused() {
        CommonOptions options = parse("--preset", "fashion-standard", "--eps", "1.0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::resolvePreset);
        assertEquals("--eps needs a robust preset; 'fashion-standard' trains without attack", e.getMessage());
    }

    @Test
    void withoutOverridesThePresetIsUnchanged() {
        assertEquals(Presets.get("fashion-robust-l2"), parse("--preset", "fashion-robust-l2").resolvePreset());
    }
}
