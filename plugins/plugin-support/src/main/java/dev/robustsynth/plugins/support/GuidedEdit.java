package dev.robustsynth.plugins.support;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.ResultImage;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskResult;
import java.util.List;
import java.util.Map;

/**
 * The machinery translate, sketch and super-resolution share: cross-entropy steps toward one class inside an L2
 * ball around one start image, which is returned next to the result.
 *
 * @param start       the start image, also the centre of the ball
 * @param targetClass the class the steps move toward
 * @param settings    the PGD settings
 */
public record GuidedEdit(Image start, int targetClass, StepSettings settings) {
    public GuidedEdit {
        requireNonNull(start, "start is null");
        requireNonNull(settings, "settings is null");
    }

    /**
     * Runs the edit and returns the result image (role {@code result}) followed by the start image under
     * {@code startRole}.
     *
     * @param taskMetadata task-specific facts added to the common task metadata
     */
    public TaskResult run(ModelFacade model, String taskVersion, int progressEvery, String startRole,
                          Map<String, Object> taskMetadata) throws TaskException {
        int classes = model.info().numClasses();
        PlannedItem planned = PlannedItem.toward(
                SynthesisItem.of(start, Objective.towardClass(targetClass, classes)), targetClass, Map.of());
        ItemReport report = SynthesisRun.run(model, List.of(planned), settings, progressEvery, "synthesis").get(0);
        ResultImage result = Reports.result(Reports.ROLE_RESULT, report, model.info());
        ResultImage startImage = Reports.plain(startRole, start, Map.of(
                "predicted", model.info().classes().get(report.start().topClass()),
                "probabilities", Reports.probabilities(report.start())));
        Map<String, Object> metadata = Reports.task(taskVersion, settings, List.of(targetClass), model.info(),
                report.stepsRun());
        metadata.putAll(taskMetadata);
        return new TaskResult(List.of(result, startImage), metadata);
    }
}
