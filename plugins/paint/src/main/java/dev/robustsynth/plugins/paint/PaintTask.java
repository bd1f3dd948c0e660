package dev.robustsynth.plugins.paint;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.plugins.support.ItemReport;
import dev.robustsynth.plugins.support.Masks;
import dev.robustsynth.plugins.support.Pixels;
import dev.robustsynth.plugins.support.PlannedItem;
import dev.robustsynth.plugins.support.Reports;
import dev.robustsynth.plugins.support.SynthesisRun;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.PixelAnchor;
import dev.robustsynth.spi.ResultImage;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.TaskContext;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One paint request: the strokes run in order, each one synthesis that raises one channel's activation inside its
 * region (activation weights = the region area-averaged to the layer's positions × one-hot channel) in an L2 ball
 * around the stroke's start x_s. Only the region changes: the change mask is the region feathered by
 * {@code feather} pixels (weights falling quadratically to 0 outside), so the normalised step spends itself where
 * the stroke is instead of fighting an anchor; an optional λ·‖(1−r)⊙(x − x_s)‖² (default λ 0) still pulls the
 * feathered edge back. A layer without spatial positions cannot localise the feature, so there the mask is the
 * bare region.
 */
final class PaintTask implements SynthesisTask {
    private final PaintRequest request;
    private final TaskTuning tuning;
    private final int selectionSeeds;
    private final int selectionSteps;

    PaintTask(PaintRequest request, TaskTuning tuning, int selectionSeeds, int selectionSteps) {
        this.request = requireNonNull(request, "request is null");
        this.tuning = requireNonNull(tuning, "tuning is null");
        this.selectionSeeds = selectionSeeds;
        this.selectionSteps = selectionSteps;
    }

    @Override
    public TaskResult run(TaskContext context) throws TaskException {
        ModelFacade model = context.model();
        ModelInfo info = model.info();
        if (info.layers().isEmpty()) {
            throw new TaskException(ErrorCode.MODEL_UNSUPPORTED, "model " + info.name()
                    + " exposes no layers (model card 'layers'); paint needs one");
        }
        FeatureSelector.Method method = request.selection().orElse(
                model.seeds().isPresent() ? FeatureSelector.Method.SEEDS : FeatureSelector.Method.IMAGE);
        if (method == FeatureSelector.Method.SEEDS && model.seeds().isEmpty()
                && request.strokes().stream().anyMatch(s -> s.feature() instanceof Feature.TiedToClass)) {
            throw new TaskException(ErrorCode.MODEL_UNSUPPORTED, "model " + info.name()
                    + " ships no seed statistics; featureSelection 'seeds' needs them (use 'image')");
        }
        FeatureSelector selector = new FeatureSelector(model, context.seed(), selectionSeeds, selectionSteps);

        Image original = request.image();
        Image current = original;
        List<Map<String, Object>> strokes = new ArrayList<>();
        List<ItemReport> reports = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        for (Stroke stroke : request.strokes()) {
            String stage = "stroke " + (stroke.index() + 1) + "/" + request.strokes().size();
            Image region = stroke.region().resolve(info.height(), info.width(), request.mask(), stroke.name());
            LayerInfo layer = stroke.layer().orElseThrow();
            LayerRegion onLayer = LayerRegion.of(layer, region);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("stroke", stroke.index());
            meta.put("region", stroke.region().describe());
            meta.put("regionPixels", Masks.count(region));
            meta.put("layer", layer.name());
            int channel;
            OptionalInt target = OptionalInt.empty();
            if (stroke.feature() instanceof Feature.TiedToClass tied) {
                FeatureSelector.Selection selection = selector.select(method, onLayer, tied.classIndex(), current,
                        request.steps());
                channel = selection.channel();
                target = OptionalInt.of(tied.classIndex());
                classes.add(tied.classIndex());
                meta.put("featureSelection", selection.method().wireName());
                Reports.putFinite(meta, "selectionScore", selection.score());
            } else {
                channel = ((Feature.Channel) stroke.feature()).channel();
            }
            meta.put("channel", channel);

            Optional<PixelAnchor> anchor = request.lambda() > 0
                    ? Optional.of(new PixelAnchor(current, Masks.complement(region), request.lambda()))
                    : Optional.empty();
            Image free = onLayer.spatial() ? RegionMasks.feather(region, request.feather()) : region;
            SynthesisItem item = SynthesisItem.of(current,
                    Objective.raiseActivation(layer.name(), onLayer.weights(channel))).withChangeMask(free);
            if (anchor.isPresent()) {
                item = item.withAnchor(anchor.get());
            }
            ItemReport report = SynthesisRun.run(model, List.of(new PlannedItem(item, target, Map.of())),
                    request.steps(), tuning.progressEvery(), stage).get(0);
            Image painted = report.outcome().image();
            List<float[]> acts = model.activations(layer.name(), List.of(current, painted));
            meta.put("activationInsideBefore", onLayer.inside(acts.get(0), channel));
            meta.put("activationInsideAfter", onLayer.inside(acts.get(1), channel));
            onLayer.outside(acts.get(0), channel).ifPresent(v -> meta.put("activationOutsideBefore", v));
            onLayer.outside(acts.get(1), channel).ifPresent(v -> meta.put("activationOutsideAfter", v));
            meta.put("confinedToRegion", !onLayer.spatial());
            meta.put("outsideL2Change", Pixels.l2(painted, current, Masks.complement(region)));
            meta.putAll(Reports.image(report, info));
            strokes.add(meta);
            reports.add(report);
            current = painted;
        }
        return result(info, request, original, current, reports, strokes, classes);
    }

    private static TaskResult result(ModelInfo info, PaintRequest request, Image original, Image painted,
                                     List<ItemReport> reports, List<Map<String, Object>> strokes,
                                     List<Integer> classes) {
        ItemReport first = reports.get(0);
        ItemReport last = reports.get(reports.size() - 1);
        int steps = reports.stream().mapToInt(ItemReport::stepsRun).sum();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("startPredicted", info.classes().get(first.start().topClass()));
        meta.put("finalPredicted", info.classes().get(last.result().topClass()));
        meta.put("startProbabilities", Reports.probabilities(first.start()));
        meta.put("finalProbabilities", Reports.probabilities(last.result()));
        meta.put("steps", steps);
        meta.put("l2Moved", Pixels.l2(painted, original));
        meta.put("strokes", strokes);
        List<ResultImage> images = List.of(new ResultImage(Reports.ROLE_RESULT, painted, meta),
                Reports.plain("source", original, Map.of()));
        Map<String, Object> metadata = Reports.task(PaintTaskFactory.VERSION, request.steps(),
                classes.stream().distinct().toList(), info, steps);
        metadata.put("strokes", request.strokes().size());
        metadata.put("lambda", request.lambda());
        metadata.put("feather", request.feather());
        return new TaskResult(images, metadata);
    }
}
