package dev.robustsynth.plugins.superres;

import dev.robustsynth.pgd.PixelTerms;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.plugins.support.AbstractTaskFactory;
import dev.robustsynth.plugins.support.GuidedEdit;
import dev.robustsynth.plugins.support.Pixels;
import dev.robustsynth.plugins.support.Reports;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.BlockMeanConstraint;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.TaskContext;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskResult;
import dev.robustsynth.spi.ValidationContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@code superres} tasks. The start is the bilinear upsample (smooth, so the steps need not undo block
 * edges; nearest stays available), projected onto the data-consistency constraint, which every step then keeps:
 * each factor × factor block keeps its low-resolution mean, so the steps only add detail inside blocks and the
 * subject cannot turn into another class's layout. The returned {@code upsampled} image is that projected start, the
 * centre of the eps ball. Defaults: a fifth of the model's default eps (the evaluation's knee), its default steps.
 */
public final class SuperresTaskFactory extends AbstractTaskFactory<SuperresRequest> {
    public static final String TYPE = "superres";
    public static final String VERSION = "1.0.0";

    public SuperresTaskFactory() {
        super(describe(SuperresTaskFactory.class, TYPE, VERSION,
                "Super-resolution by an integer factor with a robust classifier", Set.of("image")), 0.2, 1.0);
    }

    @Override
    public SuperresRequest validate(ValidationContext context) throws InvalidParametersException {
        return SuperresRequest.parse(context, tuning());
    }

    @Override
    public SynthesisTask create(SuperresRequest plan) {
        TaskTuning tuning = tuning();
        return context -> run(plan, context, tuning);
    }

    private static TaskResult run(SuperresRequest request, TaskContext context, TaskTuning tuning)
            throws TaskException {
        ModelFacade model = context.model();
        ModelInfo info = model.info();
        BlockMeanConstraint constraint = new BlockMeanConstraint(request.lowRes(), request.factor());
        Image interpolated = request.upsampling().apply(request.lowRes(), info.height(), info.width());
        Image upsampled = request.consistency() ? PixelTerms.consistent(interpolated, constraint) : interpolated;
        int target = request.targetClass().isPresent() ? request.targetClass().get()
                : model.classify(List.of(upsampled)).get(0).topClass();
        SynthesisItem item = SynthesisItem.of(upsampled, Objective.towardClass(target, info.numClasses()));
        if (request.consistency()) {
            item = item.withConsistency(constraint);
        }
        TaskResult result = new GuidedEdit(item, target, request.steps()).run(model, VERSION,
                tuning.progressEvery(), "upsampled", Map.of("factor", request.factor(), "upsample",
                        request.upsampling().wireName(), "consistency", request.consistency(),
                        "target", request.targetClass().isPresent() ? "given" : "predicted"));
        Map<String, Object> metadata = new LinkedHashMap<>(result.metadata());
        Reports.putFinite(metadata, "consistencyPsnr", consistencyPsnr(result.images().get(0).image(), request));
        return new TaskResult(result.images(), metadata);
    }

    /** PSNR in dB of the result area-downsampled by the factor against the low-resolution input. */
    static double consistencyPsnr(Image result, SuperresRequest request) {
        Image down = Resample.AREA.apply(result, request.lowRes().height(), request.lowRes().width());
        double mse = Math.pow(Pixels.l2(down, request.lowRes()), 2) / down.size();
        return mse == 0 ? 100.0 : 10 * Math.log10(1.0 / mse);
    }
}
