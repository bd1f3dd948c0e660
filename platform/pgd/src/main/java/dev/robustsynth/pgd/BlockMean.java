package dev.robustsynth.pgd;

/**
 * The block-mean operator A of a CHW image: each low-resolution value is the mean of one {@code factor × factor}
 * block, so A maps {@code C×H×W} to {@code C×(H/f)×(W/f)} (an integer factor that divides both sides). Its
 * adjoint, scaled by f², is pixel replication {@code up}; {@code A·up} is the identity, so
 * {@code x − up(A x − y)} is the orthogonal projection onto the images whose block means are {@code y}.
 * Super-resolution's data-consistency constraint and the layout anchor of translate and sketch both use it.
 *
 * @param channels C
 * @param height   H
 * @param width    W
 * @param factor   f, dividing H and W
 */
public record BlockMean(int channels, int height, int width, int factor) {
    public BlockMean {
        if (channels <= 0 || height <= 0 || width <= 0 || factor <= 0 || height % factor != 0
                || width % factor != 0) {
            throw new IllegalArgumentException("block factor " + factor + " does not divide " + channels + "x"
                    + height + "x" + width);
        }
    }

    public int lowHeight() {
        return height / factor;
    }

    public int lowWidth() {
        return width / factor;
    }

    /** Values of the low-resolution image. */
    public int lowSize() {
        return channels * lowHeight() * lowWidth();
    }

    /** A(x): {@link Resample#AREA} down by the factor. */
    public float[] down(float[] x) {
        return Resample.AREA.apply(x, channels, height, width, lowHeight(), lowWidth());
    }

    /**
     * {@code x += scale · up(low)}: every pixel gets its block's low-resolution value times {@code scale} (up is
     * {@link Resample#NEAREST} up by the factor, accumulated in place).
     */
    public void addUp(float[] x, float[] low, float scale) {
        int lh = lowHeight();
        int lw = lowWidth();
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int row = (c * lh + y / factor) * lw;
                int dst = (c * height + y) * width;
                for (int x0 = 0; x0 < width; x0++) {
                    x[dst + x0] += scale * low[row + x0 / factor];
                }
            }
        }
    }

    /** {@code A x − target}, one value per low-resolution pixel. */
    public float[] residual(float[] x, float[] target) {
        float[] residual = down(x);
        for (int i = 0; i < residual.length; i++) {
            residual[i] -= target[i];
        }
        return residual;
    }

    /** {@code x ← x − up(A x − target)}: afterwards every block of {@code x} has the mean {@code target} gives. */
    public void project(float[] x, float[] target) {
        addUp(x, residual(x, target), -1f);
    }

    /** {@code g ← g − up(A g)}: the part of a step that changes no block mean (detail inside blocks only). */
    public void removeBlockMeans(float[] g) {
        addUp(g, down(g), -1f);
    }

    /** ‖A x − target‖² over the low-resolution values. */
    public double squaredError(float[] x, float[] target) {
        double sum = 0;
        for (float d : residual(x, target)) {
            sum += (double) d * d;
        }
        return sum;
    }
}
