package dev.robustsynth.plugins.support;

import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ItemOutcome;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.Prediction;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisOutcome;
import dev.robustsynth.spi.SynthesisSpec;
import dev.robustsynth.spi.TaskException;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape every task's work takes: classify the start images (one forward batch), run one synthesis over all
 * items (batched by the host with other tasks), classify the results (one forward batch).
 */
public final class SynthesisRun {
    private SynthesisRun() {
    }

    /**
     * Runs {@code items} with {@code settings}, reporting progress every {@code progressEvery} steps under
     * {@code stage}.
     *
     * @throws TaskException from the model (cancellation, deadline, runtime failure), or {@link ErrorCode#INTERNAL}
     *     when the model answers with the wrong number of items
     */
    public static List<ItemReport> run(ModelFacade model, List<PlannedItem> items, StepSettings settings,
                                       int progressEvery, String stage) throws TaskException {
        List<SynthesisItem> synthesisItems = items.stream().map(PlannedItem::item).toList();
        List<Prediction> before = model.classify(synthesisItems.stream().map(SynthesisItem::start).toList());
        SynthesisOutcome outcome = model.synthesize(
                new SynthesisSpec(synthesisItems, settings.rule(), progressEvery, stage));
        if (outcome.items().size() != items.size() || before.size() != items.size()) {
            throw new TaskException(ErrorCode.INTERNAL, "model " + model.info().name() + " returned "
                    + outcome.items().size() + " results and " + before.size() + " predictions for "
                    + items.size() + " items");
        }
        List<Image> results = outcome.images();
        List<Prediction> after = model.classify(results);
        List<ItemReport> reports = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ItemOutcome o = outcome.items().get(i);
            reports.add(new ItemReport(items.get(i), o, before.get(i), after.get(i), outcome.stepsRun()));
        }
        return reports;
    }
}
