package dev.robustsynth.trainer.export;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.model.Network;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Compares the exported graph (ONNX Runtime) with the DJL network on real images. */
public final class OrtParity {

    /** Max absolute logit difference, the largest |logit| seen, and how many arg-max labels differ. */
    public record Report(double maxAbsDiff, double maxAbsLogit, int argMaxMismatches, int images) {
    }

    private OrtParity() {
    }

    /** Logits of the ONNX model for the first {@code n} images. */
    public static float[][] ortLogits(Path onnx, LabeledImages images, int n) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(onnx.toString(), opts)) {
                float[] x = images.toFloats(0, n);
                long[] shape = {n, images.channels(), images.height(), images.width()};
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                        OrtSession.Result r = session.run(Map.of("x", t), Set.of("logits"))) {
                    return (float[][]) r.get("logits").orElseThrow().getValue();
                }
            }
        }
    }

    public static Report compare(Path onnx, Network net, NDManager manager, LabeledImages images, int n)
            throws OrtException {
        int m = Math.min(n, images.count());
        float[][] ort = ortLogits(onnx, images, m);
        float[] djl;
        try (NDManager sub = manager.newSubManager()) {
            var x = sub.create(images.toFloats(0, m), new Shape(m, images.channels(), images.height(), images.width()));
            djl = net.forward(x, false).toFloatArray();
        }
        int k = ort[0].length;
        double maxDiff = 0;
        double maxAbs = 0;
        int mismatches = 0;
        for (int i = 0; i < m; i++) {
            int a = 0;
            int b = 0;
            for (int j = 0; j < k; j++) {
                float o = ort[i][j];
                float d = djl[i * k + j];
                maxDiff = Math.max(maxDiff, Math.abs(o - d));
                maxAbs = Math.max(maxAbs, Math.abs(d));
                if (o > ort[i][a]) {
                    a = j;
                }
                if (d > djl[i * k + b]) {
                    b = j;
                }
            }
            mismatches += a != b ? 1 : 0;
        }
        return new Report(maxDiff, maxAbs, mismatches, m);
    }
}
