package dev.robustsynth.engine.image;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.image.ImageDecodeException.Code;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.spi.Image;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * PNG and JPEG decoding, PNG encoding, channel conversion and resizing, as static utilities.
 *
 * <p>Decoding reads the declared width and height from the stream header first and refuses an image above
 * {@link ImageLimits} before a single pixel is decoded, so a decompression bomb costs a header read. A truncated
 * or corrupt stream is refused too: decoder warnings (such as JPEG's "premature end of data", which the JDK
 * otherwise papers over with grey) count as errors. Grey images (any bit depth) decode to one channel, read from
 * the raster without colour-space conversion; everything else decodes to sRGB, three channels; alpha is dropped.
 */
public final class ImageCodec {

    private ImageCodec() {
    }

    /**
     * Decodes a PNG or JPEG into a one-channel (grey) or three-channel (RGB) image with values in [0,1].
     *
     * @throws ImageDecodeException {@code UNDECODABLE} for empty, truncated, corrupt or other-format bytes;
     *     {@code TOO_LARGE} when the bytes or the declared dimensions exceed {@code limits}
     */
    public static Image decode(byte[] bytes, ImageLimits limits) throws ImageDecodeException {
        requireNonNull(limits, "limits is null");
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException(Code.UNDECODABLE, "image is empty (0 bytes)");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ImageDecodeException(Code.TOO_LARGE, "image is " + bytes.length + " bytes; the limit is "
                    + limits.maxBytes());
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = pickReader(in);
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkDimensions(width, height, limits);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener(collect(warnings));
                BufferedImage decoded = reader.read(0);
                if (reader.getFormatName().equalsIgnoreCase("png") && !endsWithIend(bytes)) {
                    warnings.add("the stream ends before the IEND chunk");
                }
                if (!warnings.isEmpty()) {
                    throw new ImageDecodeException(Code.UNDECODABLE, reader.getFormatName().toUpperCase(Locale.ROOT)
                            + " image is damaged or truncated: " + String.join("; ", warnings));
                }
                return toImage(decoded);
            } finally {
                reader.dispose();
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(Code.UNDECODABLE, "image could not be decoded (" + bytes.length
                    + " bytes): " + describe(e), e);
        }
    }

    private static ImageReader pickReader(ImageInputStream in) throws ImageDecodeException, IOException {
        if (in == null) {
            throw new ImageDecodeException(Code.UNDECODABLE, "image stream could not be opened");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        String seen = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            if (format.equals("png") || format.equals("jpeg") || format.equals("jpg")) {
                return reader;
            }
            seen = format;
        }
        throw new ImageDecodeException(Code.UNDECODABLE, seen == null
                ? "image is neither PNG nor JPEG (unrecognised bytes)"
                : "image format '" + seen + "' is not accepted; send PNG or JPEG");
    }

    private static void checkDimensions(int width, int height, ImageLimits limits) throws ImageDecodeException {
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(Code.UNDECODABLE, "image declares an empty size " + width + "x" + height);
        }
        if (width > limits.maxWidth() || height > limits.maxHeight()
                || (long) width * height > limits.maxPixels()) {
            throw new ImageDecodeException(Code.TOO_LARGE, "image declares " + width + "x" + height + " pixels; the"
                    + " limit is " + limits.maxWidth() + "x" + limits.maxHeight() + " and " + limits.maxPixels()
                    + " pixels");
        }
    }

    /** Whether a PNG's last 64 bytes hold the IEND chunk type (the JDK reader never reads that far). */
    private static boolean endsWithIend(byte[] bytes) {
        for (int i = bytes.length - 8; i >= Math.max(0, bytes.length - 64); i--) {
            if (bytes[i] == 'I' && bytes[i + 1] == 'E' && bytes[i + 2] == 'N' && bytes[i + 3] == 'D') {
                return true;
            }
        }
        return false;
    }

    private static IIOReadWarningListener collect(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Converts a decoded raster to CHW floats. */
    static Image toImage(BufferedImage decoded) {
        int width = decoded.getWidth();
        int height = decoded.getHeight();
        if (isGrey(decoded)) {
            Raster raster = decoded.getRaster();
            int bits = raster.getSampleModel().getSampleSize(0);
            float scale = 1f / ((1 << bits) - 1);
            float[] pixels = new float[width * height];
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, row);
                for (int x = 0; x < width; x++) {
                    pixels[y * width + x] = Math.min(1f, row[x] * scale);
                }
            }
            return new Image(1, height, width, pixels);
        }
        int plane = width * height;
        float[] pixels = new float[3 * plane];
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            decoded.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int argb = row[x];
                int at = y * width + x;
                pixels[at] = ((argb >> 16) & 0xff) / 255f;
                pixels[plane + at] = ((argb >> 8) & 0xff) / 255f;
                pixels[2 * plane + at] = (argb & 0xff) / 255f;
            }
        }
        return new Image(3, height, width, pixels);
    }

    private static boolean isGrey(BufferedImage image) {
        if (image.getColorModel() instanceof IndexColorModel) {
            return false;
        }
        return image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && image.getRaster().getSampleModel().getSampleSize(0) <= 16;
    }

    /** Encodes a one-channel image as 8-bit grey PNG, a three-channel one as 8-bit RGB PNG. */
    public static byte[] encodePng(Image image) {
        requireNonNull(image, "image is null");
        int width = image.width();
        int height = image.height();
        BufferedImage out = switch (image.channels()) {
            case 1 -> new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            case 3 -> new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            default -> throw new IllegalArgumentException("PNG encoding needs 1 or 3 channels, got " + image.shape());
        };
        WritableRaster raster = out.getRaster();
        int[] row = new int[width];
        for (int c = 0; c < image.channels(); c++) {
            int band = image.channels() == 1 ? 0 : c;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    row[x] = Math.round(image.at(c, y, x) * 255f);
                }
                raster.setSamples(0, y, width, 1, band, row);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(width * height * image.channels() / 2 + 128);
        try {
            if (!ImageIO.write(out, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed in memory", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Converts an image to {@code channels}: grey to RGB repeats the plane; RGB to grey takes Rec. 601 luma
     * (0.299 R + 0.587 G + 0.114 B).
     *
     * @throws ImageDecodeException {@code WRONG_SHAPE} for any other pair of channel counts
     */
    public static Image toChannels(Image image, int channels) throws ImageDecodeException {
        requireNonNull(image, "image is null");
        if (image.channels() == channels) {
            return image;
        }
        int plane = image.height() * image.width();
        float[] in = image.pixels();
        if (image.channels() == 1 && channels == 3) {
            float[] out = new float[3 * plane];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(in, 0, out, c * plane, plane);
            }
            return new Image(3, image.height(), image.width(), out);
        }
        if (image.channels() == 3 && channels == 1) {
            float[] out = new float[plane];
            for (int i = 0; i < plane; i++) {
                float v = 0.299f * in[i] + 0.587f * in[plane + i] + 0.114f * in[2 * plane + i];
                out[i] = Math.min(1f, Math.max(0f, v));
            }
            return new Image(1, image.height(), image.width(), out);
        }
        throw new ImageDecodeException(Code.WRONG_SHAPE, "cannot convert a " + image.channels()
                + "-channel image to " + channels + " channels");
    }

    /**
     * Brings an image to a model's input shape: converts channels, and resizes when {@code method} is given.
     *
     * @param method how to resize; {@code null} to refuse an image of another size
     * @throws ImageDecodeException {@code WRONG_SHAPE} naming both shapes
     */
    public static Image conform(Image image, int channels, int height, int width, Resample method)
            throws ImageDecodeException {
        Image converted = toChannels(image, channels);
        if (converted.height() == height && converted.width() == width) {
            return converted;
        }
        if (method == null) {
            throw new ImageDecodeException(Code.WRONG_SHAPE, "image is " + image.shape() + "; expected "
                    + channels + "x" + height + "x" + width);
        }
        return resize(converted, height, width, method);
    }

    /** Resizes each channel to {@code height × width}; see {@link Resample}. */
    public static Image resize(Image image, int height, int width, Resample method) {
        requireNonNull(image, "image is null");
        requireNonNull(method, "method is null");
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + height + "x" + width);
        }
        if (image.height() == height && image.width() == width) {
            return image;
        }
        return method.apply(image, height, width);
    }
}
