package dev.robustsynth.plugins.generate;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.plugins.support.ItemReport;
import dev.robustsynth.plugins.support.PlannedItem;
import dev.robustsynth.plugins.support.Reports;
import dev.robustsynth.plugins.support.SynthesisRun;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.ResultImage;
import dev.robustsynth.spi.SeedSampler;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.TaskContext;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One generate request: draws {@code count} seeds per class, runs one synthesis over all of them (cross-entropy
 * toward each seed's class, L2 ball around each seed), and returns the results, then the seeds.
 */
final class GenerateTask implements SynthesisTask {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final GenerateRequest request;
    private final TaskTuning tuning;

    GenerateTask(GenerateRequest request, TaskTuning tuning) {
        this.request = requireNonNull(request, "request is null");
        this.tuning = requireNonNull(tuning, "tuning is null");
    }

    @Override
    public TaskResult run(TaskContext context) throws TaskException {
        ModelFacade model = context.model();
        ModelInfo info = model.info();
        SeedSampler sampler = model.seeds().orElseThrow(() -> new TaskException(ErrorCode.MODEL_UNSUPPORTED,
                "model " + info.name() + " ships no seed statistics (seeds.bin); generate needs them"));

        List<PlannedItem> planned = new ArrayList<>();
        for (int k : request.classes()) {
            SplittableRandom random = classRandom(context.seed(), k);
            int components = sampler.components(k);
            SeedKind used = request.seedKind() == SeedKind.MIXTURE && components > 1 ? SeedKind.MIXTURE
                    : SeedKind.GAUSSIAN;
            for (int i = 0; i < request.count(); i++) {
                Image seed = used == SeedKind.MIXTURE ? sampler.sample(k, random)
                        : sampler.sampleSingleGaussian(k, random);
                if (!info.fits(seed)) {
                    throw new TaskException(ErrorCode.MODEL_UNSUPPORTED, "seed statistics of model " + info.name()
                            + " give " + seed.shape() + " seeds; the model takes " + info.inputShape());
                }
                SynthesisItem item = SynthesisItem.of(seed, Objective.towardClass(k, info.numClasses()));
                if (request.stopAt() < 1) {
                    item = item.withStopAtProbability(request.stopAt());
                }
                planned.add(PlannedItem.toward(item, k, Map.of("sample", i, "seedKind", used.wireName(), "seedComponents", components)));
            }
        }
        List<ItemReport> reports = SynthesisRun.run(model, planned, request.steps(), tuning.progressEvery(),
                "synthesis");

        List<ResultImage> images = new ArrayList<>();
        for (ItemReport report : reports) {
            images.add(Reports.result(Reports.ROLE_RESULT, report, info));
        }
        if (request.returnSeeds()) {
            for (ItemReport report : reports) {
                Map<String, Object> meta = new LinkedHashMap<>(report.planned().metadata());
                int k = report.planned().targetClass().orElseThrow();
                meta.put("class", info.classes().get(k));
                meta.put("classIndex", k);
                meta.put("probability", Reports.number(report.start().probability(k)));
                meta.put("predicted", info.classes().get(report.start().topClass()));
                images.add(Reports.plain("seed", report.planned().item().start(), meta));
            }
        }
        Map<String, Object> metadata = Reports.task(GenerateTaskFactory.VERSION, request.steps(), request.classes(),
                info, reports.get(0).stepsRun());
        metadata.put("count", request.count());
        metadata.put("seedKind", request.seedKind().wireName());
        metadata.put("images", reports.size());
        metadata.put("stopAt", request.stopAt());
        metadata.put("stoppedEarly", (int) reports.stream().filter(r -> r.outcome().stoppedEarly()).count());
        return new TaskResult(images, metadata);
    }

    /**
     * The random stream of one class: derived from the request seed and the class only, so a class's seeds are
     * the same whichever other classes the request names.
     */
    static SplittableRandom classRandom(long seed, int classIndex) {
        return new SplittableRandom(seed ^ (GOLDEN * (classIndex + 1L)));
    }
}
