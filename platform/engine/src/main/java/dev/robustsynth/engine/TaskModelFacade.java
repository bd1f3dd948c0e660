package dev.robustsynth.engine;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.OrtException;
import dev.robustsynth.engine.model.LoadedModel;
import dev.robustsynth.engine.runtime.OrtForward;
import dev.robustsynth.engine.runtime.OrtGradientBackend;
import dev.robustsynth.engine.schedule.JobRequest;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Prediction;
import dev.robustsynth.spi.SeedSampler;
import dev.robustsynth.spi.SynthesisOutcome;
import dev.robustsynth.spi.SynthesisSpec;
import dev.robustsynth.spi.TaskException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One task's view of a loaded model, bound to the task's cancellation, deadline and progress sink. */
final class TaskModelFacade implements ModelFacade {
    private final LoadedModel model;
    private final TaskControl control;

    TaskModelFacade(LoadedModel model, TaskControl control) {
        this.model = requireNonNull(model, "model is null");
        this.control = requireNonNull(control, "control is null");
    }

    @Override
    public ModelInfo info() {
        return model.info();
    }

    private void enter() throws TaskException {
        if (!model.enter()) {
            throw new TaskException(ErrorCode.UNAVAILABLE, "model " + model.info().name() + " is no longer served");
        }
    }

    @Override
    public List<Prediction> classify(List<Image> images) throws TaskException {
        List<float[]> logits;
        enter();
        try {
            logits = forward(OrtGradientBackend.LOGITS, images);
        } finally {
            model.exit();
        }
        List<Prediction> out = new ArrayList<>(logits.size());
        for (float[] row : logits) {
            out.add(new Prediction(OrtForward.softmax(row)));
        }
        return out;
    }

    @Override
    public List<float[]> activations(String layer, List<Image> images) throws TaskException {
        requireNonNull(layer, "layer is null");
        if (model.info().layer(layer).isEmpty()) {
            throw new TaskException(ErrorCode.MODEL_UNSUPPORTED, "layer '" + layer + "' is not exposed by model "
                    + model.info().name() + "; exposed: "
                    + String.join(", ", model.info().layers().stream().map(LayerInfo::name).toList()));
        }
        enter();
        try {
            return forward(layer, images);
        } finally {
            model.exit();
        }
    }

    private List<float[]> forward(String output, List<Image> images) throws TaskException {
        requireNonNull(images, "images is null");
        checkControl();
        ModelInfo info = model.info();
        for (int i = 0; i < images.size(); i++) {
            Image image = requireNonNull(images.get(i), "image " + i + " is null");
            if (!info.fits(image)) {
                throw new TaskException(ErrorCode.INVALID_IMAGE, "image " + i + " is " + image.shape() + "; model "
                        + info.name() + " expects " + info.inputShape());
            }
        }
        if (images.isEmpty()) {
            return List.of();
        }
        try {
            return model.forward().run(output, images);
        } catch (OrtException | RuntimeException e) {
            throw new TaskException(ErrorCode.INTERNAL, "forward pass of model " + info.name() + " failed: "
                    + e.getMessage(), e);
        }
    }

    private void checkControl() throws TaskException {
        if (control.cancelled().getAsBoolean()) {
            throw new TaskException(ErrorCode.CANCELLED, "task cancelled");
        }
        Optional<Instant> deadline = control.deadline();
        if (deadline.isPresent() && !Instant.now().isBefore(deadline.get())) {
            throw new TaskException(ErrorCode.DEADLINE_EXCEEDED, "task passed its deadline " + deadline.get());
        }
    }

    @Override
    public Optional<SeedSampler> seeds() {
        return model.seeds().map(s -> s);
    }

    @Override
    public SynthesisOutcome synthesize(SynthesisSpec spec) throws TaskException {
        requireNonNull(spec, "spec is null");
        enter();
        try {
            return model.scheduler().synthesize(new JobRequest(spec, control.cancelled(), control.deadline(),
                    control.progress(), control.previews(), control.priority()));
        } finally {
            model.exit();
        }
    }
}
