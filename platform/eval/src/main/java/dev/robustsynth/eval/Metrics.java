package dev.robustsynth.eval;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.engine.runtime.OrtForward;
import dev.robustsynth.pgd.BlockMean;
import dev.robustsynth.pgd.Pgd;
import dev.robustsynth.spi.Image;
import java.util.ArrayList;
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
        Image half = ImageCodec.resize(image, image.height() / 2, image.width() / 2, Resample.BILINEAR);
        return ImageCodec.resize(half, image.height(), image.width(), Resample.BILINEAR);
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

    /** PSNR in dB over the pixels where {@code mask} is ≥ 0.5 (all pixels when mask is null); peak 1, at most 99. */
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
        return mse == 0 ? 99 : Math.min(99, 10 * Math.log10(1 / mse));
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
        return Pgd.l2Distance(a.pixels(), b.pixels());
    }

    static double meanL2(List<Image> a, List<Image> b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += l2(a.get(i), b.get(i));
        }
        return sum / a.size();
    }

    /** The block mean of each {@code factor}×{@code factor} block (area downsampling, the degradation superres inverts). */
    static Image areaDown(Image image, int factor) {
        BlockMean blocks = new BlockMean(image.channels(), image.height(), image.width(), factor);
        return new Image(image.channels(), blocks.lowHeight(), blocks.lowWidth(), blocks.down(image.pixels()));
    }

    /**
     * Super-resolution's data consistency: PSNR (dB) between the output area-downsampled by {@code factor} and the
     * low-resolution input it was made from.
     */
    static double consistencyPsnr(Image output, Image low, int factor) {
        return psnr(areaDown(output, factor), low, null);
    }

    /** 1 − mask: the known pixels of an inpainting hole mask. */
    static Image complement(Image mask) {
        float[] p = mask.pixels().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = p[i] >= 0.5f ? 0f : 1f;
        }
        return new Image(mask.channels(), mask.height(), mask.width(), p);
    }

    /** Luma (Rec. 601 weights) of an RGB image; a one-channel image as it is. */
    static Image grey(Image image) {
        if (image.channels() == 1) {
            return image;
        }
        int plane = image.height() * image.width();
        float[] p = image.pixels();
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) {
            out[i] = 0.299f * p[i] + 0.587f * p[plane + i] + 0.114f * p[2 * plane + i];
        }
        return new Image(1, image.height(), image.width(), out);
    }

    private static final int SSIM_WINDOW = 7;
    private static final double SSIM_C1 = 0.01 * 0.01;
    private static final double SSIM_C2 = 0.03 * 0.03;

    /**
     * Structural similarity of two one-channel images: the mean over every 7×7 window (uniform weights, windows
     * inside the image) of (2μaμb + C1)(2σab + C2) / ((μa² + μb² + C1)(σa² + σb² + C2)), C1 = 0.01², C2 = 0.03²
     * for peak 1. 1 for identical images, near 0 for unrelated structure, negative for inverted structure.
     */
    static double ssim(Image a, Image b) {
        if (a.channels() != 1 || b.channels() != 1) {
            throw new IllegalArgumentException("ssim takes one-channel images");
        }
        int h = a.height();
        int w = a.width();
        int win = Math.min(SSIM_WINDOW, Math.min(h, w));
        double n = win * win;
        double total = 0;
        int windows = 0;
        for (int y0 = 0; y0 + win <= h; y0++) {
            for (int x0 = 0; x0 + win <= w; x0++) {
                double sa = 0;
                double sb = 0;
                double saa = 0;
                double sbb = 0;
                double sab = 0;
                for (int y = y0; y < y0 + win; y++) {
                    for (int x = x0; x < x0 + win; x++) {
                        double va = a.at(0, y, x);
                        double vb = b.at(0, y, x);
                        sa += va;
                        sb += vb;
                        saa += va * va;
                        sbb += vb * vb;
                        sab += va * vb;
                    }
                }
                double ma = sa / n;
                double mb = sb / n;
                double va = saa / n - ma * ma;
                double vb = sbb / n - mb * mb;
                double cov = sab / n - ma * mb;
                total += (2 * ma * mb + SSIM_C1) * (2 * cov + SSIM_C2)
                        / ((ma * ma + mb * mb + SSIM_C1) * (va + vb + SSIM_C2));
                windows++;
            }
        }
        return total / windows;
    }

    /**
     * Translation's and sketch's source fidelity: SSIM of the low-passed grey images. The low-pass leaves the layout
     * (where the object stands, its outline, light and dark areas) and drops the fine texture a task is meant to
     * add; grey drops the colour a target class may rightly change.
     */
    static double sourceFidelity(Image output, Image source) {
        return ssim(grey(lowPass(output)), grey(lowPass(source)));
    }

    static double meanSourceFidelity(List<Image> outputs, List<Image> sources) {
        double sum = 0;
        for (int i = 0; i < outputs.size(); i++) {
            sum += sourceFidelity(outputs.get(i), sources.get(i));
        }
        return sum / outputs.size();
    }

    /**
     * Root-mean-square pixel change between {@code a} and {@code b} over the pixels (all channels) where
     * {@code region} is ≥ 0.5 ({@code inside}) or below it.
     */
    static double rmsChange(Image a, Image b, Image region, boolean inside) {
        int plane = a.height() * a.width();
        float[] pa = a.pixels();
        float[] pb = b.pixels();
        double sum = 0;
        long n = 0;
        for (int i = 0; i < pa.length; i++) {
            if ((region.pixels()[i % plane] >= 0.5f) == inside) {
                double d = pa[i] - pb[i];
                sum += d * d;
                n++;
            }
        }
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }

    private static final int SPREAD_SAMPLE = 300;

    /**
     * Mean Euclidean distance between the unit-length rows over the pairs of each class (the first 300 rows of a
     * class), per class. Unit length: the direction of a feature vector, so that an image's contrast, which scales
     * the judge's activations, does not count as variety.
     */
    static double[] withinClassSpread(float[][] features, int[] labels, int classes) {
        double[] sum = new double[classes];
        long[] pairs = new long[classes];
        List<List<float[]>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < features.length; i++) {
            if (byClass.get(labels[i]).size() < SPREAD_SAMPLE) {
                byClass.get(labels[i]).add(unit(features[i]));
            }
        }
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            List<float[]> rows = byClass.get(c);
            for (int i = 0; i < rows.size(); i++) {
                for (int j = i + 1; j < rows.size(); j++) {
                    sum[c] += Pgd.l2Distance(rows.get(i), rows.get(j));
                    pairs[c]++;
                }
            }
            out[c] = pairs[c] == 0 ? Double.NaN : sum[c] / pairs[c];
        }
        return out;
    }

    /**
     * Generation's within-class spread: each class's mean pairwise distance of unit-length features as a fraction of the same for
     * the reference images of that class, averaged over the classes both sets have at least two rows of. 1 = as
     * varied as real images; near 0 = near-copies.
     */
    static double spreadRatio(float[][] features, int[] labels, float[][] reference, int[] referenceLabels,
                              int classes) {
        double[] own = withinClassSpread(features, labels, classes);
        double[] ref = withinClassSpread(reference, referenceLabels, classes);
        double sum = 0;
        int n = 0;
        for (int c = 0; c < classes; c++) {
            if (!Double.isNaN(own[c]) && !Double.isNaN(ref[c]) && ref[c] > 0) {
                sum += own[c] / ref[c];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float[] out = v.clone();
        if (norm > 0) {
            float scale = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < out.length; i++) {
                out[i] *= scale;
            }
        }
        return out;
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
