package dev.robustsynth.plugins.inpaint;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.plugins.support.ItemReport;
import dev.robustsynth.plugins.support.Masks;
import dev.robustsynth.plugins.support.Pixels;
import dev.robustsynth.plugins.support.PlannedItem;
import dev.robustsynth.plugins.support.Reports;
import dev.robustsynth.plugins.support.SynthesisRun;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.Image;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One inpaint request: builds the mask (given, or a square hole), fills the missing pixels, picks the class (given,
 * or predicted on the corrupted image, which never contains the original hole pixels), then minimises
 * CE(class) + λ·‖(1−m)⊙(x − x₀)‖² inside an L2 ball around the corrupted image x₀.
 */
final class InpaintTask implements SynthesisTask {
    private static final long HOLE_SALT = 0x484F4C45L;
    private static final long NOISE_SALT = 0x4E4F4953L;

    private final InpaintRequest request;
    private final TaskTuning tuning;

    InpaintTask(InpaintRequest request, TaskTuning tuning) {
        this.request = requireNonNull(request, "request is null");
        this.tuning = requireNonNull(tuning, "tuning is null");
    }

    @Override
    public TaskResult run(TaskContext context) throws TaskException {
        ModelFacade model = context.model();
        ModelInfo info = model.info();
        Image image = request.image();
        Optional<SquareHole> hole = request.hole()
                .map(h -> h.resolve(info, new SplittableRandom(context.seed() ^ HOLE_SALT)));
        Image missing = request.mask().orElseGet(() -> hole.orElseThrow().mask(info.height(), info.width()));
        Image known = Masks.complement(missing);
        Image corrupted = request.fill().apply(image, missing, new SplittableRandom(context.seed() ^ NOISE_SALT));

        int target = request.targetClass().isPresent() ? request.targetClass().get()
                : model.classify(List.of(corrupted)).get(0).topClass();
        Optional<PixelAnchor> anchor = request.lambda() > 0
                ? Optional.of(new PixelAnchor(corrupted, known, request.lambda())) : Optional.empty();
        SynthesisItem item = SynthesisItem.of(corrupted, Objective.towardClass(target, info.numClasses()));
        if (request.keepKnown()) {
            item = item.withChangeMask(missing);
        }
        if (anchor.isPresent()) {
            item = item.withAnchor(anchor.get());
        }
        ItemReport report = SynthesisRun.run(model, List.of(PlannedItem.toward(item, target, Map.of())),
                request.steps(), tuning.progressEvery(), "synthesis").get(0);

        Map<String, Object> meta = Reports.image(report, info);
        Image result = report.outcome().image();
        meta.put("knownL2Change", Pixels.l2(result, corrupted, known));
        meta.put("missingL2Change", Pixels.l2(result, corrupted, missing));
        List<ResultImage> images = List.of(
                new ResultImage(Reports.ROLE_RESULT, result, meta),
                Reports.plain("corrupted", corrupted, Map.of(
                        "predicted", info.classes().get(report.start().topClass()),
                        "probabilities", Reports.probabilities(report.start()))),
                Reports.plain("mask", missing, Map.of("missingPixels", Masks.count(missing))));

        Map<String, Object> metadata = Reports.task(InpaintTaskFactory.VERSION, request.steps(), List.of(target), info,
                report.stepsRun());
        metadata.put("target", request.targetClass().isPresent() ? "given" : "predicted");
        metadata.put("fill", request.fill().wireName());
        metadata.put("lambda", request.lambda());
        metadata.put("keepKnown", request.keepKnown());
        metadata.put("missingPixels", Masks.count(missing));
        hole.ifPresent(h -> {
            Map<String, Object> where = new LinkedHashMap<>();
            where.put("x", h.x());
            where.put("y", h.y());
            where.put("size", h.size());
            metadata.put("hole", where);
        });
        return new TaskResult(images, metadata);
    }
}
