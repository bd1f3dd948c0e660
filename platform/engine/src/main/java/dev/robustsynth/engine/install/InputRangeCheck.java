package dev.robustsynth.engine.install;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.robustsynth.autodiff.CompiledModel;
import dev.robustsynth.autodiff.SynthesisNames;
import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.engine.image.ImageDecodeException;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.spi.Image;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evidence, from the user's labelled images, that a classifier expects another pixel range than [0,1]: the forward
 * graph classifies the same images under every {@link InputRange}, and a range is named only when it is right on
 * significantly more images than [0,1] (one-sided exact McNemar test on the paired outcomes, Bonferroni-corrected
 * over the three alternatives).
 */
final class InputRangeCheck {
    /** Family-wise error rate of a refusal when the model does expect [0,1]. */
    static final double ALPHA = 0.01;
    static final int MAX_PER_CLASS = 16;
    static final int MAX_IMAGES = 1024;
    private static final int BATCH = 32;

    private InputRangeCheck() {}

    /**
     * Images classified correctly under each range.
     *
     * @param better  the best other range when it beats [0,1] significantly
     * @param pValue  its Bonferroni-corrected p-value (1 when no range beats [0,1])
     */
    record Evidence(int images, Map<InputRange, Integer> correct, Optional<InputRange> better, double pValue) {
        String table() {
            StringBuilder s = new StringBuilder();
            for (var e : correct.entrySet()) {
                s.append(s.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %d/%d", e.getKey().flag(),
                        e.getValue(), images));
            }
            return s.toString();
        }

        /** The refusal for {@link #better}. */
        String refusal() {
            InputRange r = better.orElseThrow();
            return String.format(Locale.ROOT, "the model seems to expect input in %s, not [0,1]: of %d images"
                    + " from --images it classifies correctly %s (exact McNemar test of %s against 0:1, p = %.2g);"
                    + " nothing was installed. Run again with --input-range %s (the served graph then maps [0,1]"
                    + " onto it), or with --input-range 0:1 if [0,1] is right", r.flag(), images, table(), r.flag(),
                    pValue, r.flag());
        }
    }

    static Evidence check(CompiledModel compiled, List<List<Image>> perClass, int channels, int height, int width)
            throws OrtException, ImageDecodeException {
        List<Image> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int k = 0; k < perClass.size(); k++) {
            List<Image> some = perClass.get(k);
            for (int i = 0; i < Math.min(MAX_PER_CLASS, some.size()); i++) {
                images.add(ImageCodec.conform(some.get(i), channels, height, width, Resample.BILINEAR));
                labels.add(k);
            }
        }
        if (images.size() > MAX_IMAGES) {
            List<Image> kept = new ArrayList<>();
            List<Integer> keptLabels = new ArrayList<>();
            for (int i = 0; i < MAX_IMAGES; i++) {
                int at = (int) ((long) i * images.size() / MAX_IMAGES);
                kept.add(images.get(at));
                keptLabels.add(labels.get(at));
            }
            images = kept;
            labels = keptLabels;
        }
        Map<InputRange, boolean[]> right = new EnumMap<>(InputRange.class);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            so.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(compiled.forward().toByteArray(), so)) {
                for (InputRange range : InputRange.values()) {
                    if (range.fits(channels)) {
                        right.put(range, classify(env, session, images, labels, range, channels, height, width));
                    }
                }
            }
        }
        Map<InputRange, Integer> correct = new EnumMap<>(InputRange.class);
        right.forEach((r, ok) -> {
            int n = 0;
            for (boolean b : ok) {
                n += b ? 1 : 0;
            }
            correct.put(r, n);
        });
        int alternatives = right.size() - 1;
        Optional<InputRange> better = Optional.empty();
        double best = 1;
        for (InputRange r : right.keySet()) {
            if (r == InputRange.UNIT) {
                continue;
            }
            double p = Math.min(1, alternatives * mcNemarOneSided(right.get(r), right.get(InputRange.UNIT)));
            if (p < best && correct.get(r) > correct.get(InputRange.UNIT)) {
                best = p;
                better = p < ALPHA ? Optional.of(r) : Optional.empty();
            }
        }
        return new Evidence(images.size(), correct, better, best);
    }

    private static boolean[] classify(OrtEnvironment env, OrtSession session, List<Image> images,
                                      List<Integer> labels, InputRange range, int channels, int height, int width)
            throws OrtException {
        int pixels = channels * height * width;
        boolean[] ok = new boolean[images.size()];
        for (int from = 0; from < images.size(); from += BATCH) {
            int n = Math.min(BATCH, images.size() - from);
            float[] x = new float[n * pixels];
            for (int i = 0; i < n; i++) {
                float[] px = images.get(from + i).pixels();
                int plane = height * width;
                for (int j = 0; j < pixels; j++) {
                    x[i * pixels + j] = range.apply(px[j], j / plane);
                }
            }
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, channels, height,
                    width}); OrtSession.Result r = session.run(java.util.Map.of(SynthesisNames.X, t),
                    Set.of(SynthesisNames.LOGITS))) {
                float[][] logits = (float[][]) r.get(0).getValue();
                for (int i = 0; i < n; i++) {
                    int arg = 0;
                    for (int k = 1; k < logits[i].length; k++) {
                        arg = logits[i][k] > logits[i][arg] ? k : arg;
                    }
                    ok[from + i] = arg == labels.get(from + i);
                }
            }
        }
        return ok;
    }

    /**
     * P(at least b of the n discordant pairs favour {@code a}) under H0 (each discordant pair is a fair coin), where b
     * counts images {@code a} gets right and {@code base} wrong, and n all images on which they disagree.
     */
    static double mcNemarOneSided(boolean[] a, boolean[] base) {
        int b = 0;
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != base[i]) {
                n++;
                b += a[i] ? 1 : 0;
            }
        }
        double logHalfN = n * Math.log(0.5);
        double p = 0;
        double logChoose = 0;
        for (int i = 0; i <= n; i++) {
            if (i > 0) {
                logChoose += Math.log(n - i + 1) - Math.log(i);
            }
            if (i >= b) {
                p += Math.exp(logChoose + logHalfN);
            }
        }
        return Math.min(1, p);
    }
}
