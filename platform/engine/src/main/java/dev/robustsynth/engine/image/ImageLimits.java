package dev.robustsynth.engine.image;

/**
 * Bounds on an encoded image, checked before any pixel is decoded.
 *
 * @param maxBytes  largest encoded size accepted
 * @param maxWidth  largest width
 * @param maxHeight largest height
 * @param maxPixels largest width × height (the decoded raster is about 4 bytes per pixel)
 */
public record ImageLimits(int maxBytes, int maxWidth, int maxHeight, long maxPixels) {

    public ImageLimits {
        if (maxBytes <= 0 || maxWidth <= 0 || maxHeight <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("image limits must be positive, got bytes " + maxBytes + ", width "
                    + maxWidth + ", height " + maxHeight + ", pixels " + maxPixels);
        }
    }

    /** 16 MiB encoded, 4096 × 4096, 16 Mpixel. */
    public static ImageLimits defaults() {
        return new ImageLimits(16 << 20, 4096, 4096, 16L << 20);
    }
}
