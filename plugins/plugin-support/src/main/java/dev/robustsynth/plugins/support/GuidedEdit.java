package dev.robustsynth.plugins.support;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ResultImage;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskResult;
import java.util.List;
import java.util.Map;

/**
 * The run translate, sketch and super-resolution share: one item whose objective pulls toward one class (each
 * task builds the item with its own terms: layout anchor, block-mean constraint), returned next to its start.
 *
 * @param item        the item; its start is returned under the start role
 * @param targetClass the class the steps move toward
 * @param settings    the PGD settings
 */
public record GuidedEdit(SynthesisItem item, int targetClass, StepSettings settings) {
    public GuidedEdit {
        requireNonNull(item, "item is null");
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
        Image start = item.start();
        PlannedItem planned = PlannedItem.toward(item, targetClass, Map.of());
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
