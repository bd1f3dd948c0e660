package dev.robustsynth.eval;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.engine.image.ResizeMethod;
import dev.robustsynth.engine.runtime.OrtForward;
import dev.robustsynth.spi.Image;
import java.util.List;

/** The evaluation's image measures. */
final class Metrics {
    private Metrics() {
    }

    /**
     * The 2× low-pass of the primary metric: bilinear down to half the size and back up. Features a person sees
     * survive it; single-pixel patterns do not.
     */
    static Image lowPass(Image image) {
        Image half = ImageCodec.resize(image, image.height() / 2, image.width() / 2, ResizeMethod.BILINEAR);
        return ImageCodec.resize(half, image.height(), image.width(), ResizeMethod.BILINEAR);
    }

    static List<Image> lowPass(List<Image> images) {
        return images.stream().map(Metrics::lowPass).toList();
    }

    /** Share of rows whose top class is the wanted one. */
    static double agreement(Judge.Judgement judgement, int[] wanted) {
        int hits = 0;
        for (int i = 0; i < wanted.length; i++) {
            if (judgement.predicted(i) == wanted[i]) {
                hits++;
            }
        }
        return (double) hits / wanted.length;
    }

    /** exp(E_x KL(p(y|x) ‖ p(y))) with the judge's probabilities: high when each image is confident and classes vary. */
    static double inceptionScore(float[][] probabilities) {
        int k = probabilities[0].length;
        double[] marginal = new double[k];
        for (float[] p : probabilities) {
            for (int c = 0; c < k; c++) {
                marginal[c] += p[c] / probabilities.length;
            }
        }
        double kl = 0;
        for (float[] p : probabilities) {
            for (int c = 0; c < k; c++) {
                if (p[c] > 0) {
                    kl += p[c] * (Math.log(p[c]) - Math.log(marginal[c]));
                }
            }
        }
        return Math.exp(kl / probabilities.length);
    }

    /** PSNR in dB over the pixels where {@code mask} is ≥ 0.5 (all pixels when mask is null); peak 1. */
    static double psnr(Image a, Image b, Image mask) {
        double sum = 0;
        long n = 0;
        int plane = a.height() * a.width();
        float[] pa = a.pixels();
        float[] pb = b.pixels();
        for (int i = 0; i < pa.length; i++) {
            if (mask == null || mask.pixels()[i % plane] >= 0.5f) {
                double d = pa[i] - pb[i];
                sum += d * d;
                n++;
            }
        }
        double mse = sum / n;
        return mse == 0 ? 99 : 10 * Math.log10(1 / mse);
    }

    /** Mean PSNR (dB) over pairs, each pair with its mask (or none). */
    static double meanPsnr(List<Image> a, List<Image> b, List<Image> masks) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += psnr(a.get(i), b.get(i), masks == null ? null : masks.get(i));
        }
        return sum / a.size();
    }

    static double l2(Image a, Image b) {
        double sum = 0;
        float[] pa = a.pixels();
        float[] pb = b.pixels();
        for (int i = 0; i < pa.length; i++) {
            double d = pa[i] - pb[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    static double meanL2(List<Image> a, List<Image> b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += l2(a.get(i), b.get(i));
        }
        return sum / a.size();
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    static float[] softmax(float[] logits) {
        return OrtForward.softmax(logits);
    }
}
