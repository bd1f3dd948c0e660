package dev.robustsynth.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.engine.image.ImageDecodeException.Code;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.spi.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageCodecTest {
    private static final ImageLimits LIMITS = ImageLimits.defaults();

    static Image gradient(int channels, int height, int width) {
        float[] p = new float[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    p[(c * height + y) * width + x] = Math.round(255f * ((x + 2 * y + 50 * c) % 256) / 255f) / 255f;
                }
            }
        }
        return new Image(channels, height, width, p);
    }

    @Test
    void greyAndRgbPngRoundTripExactlyAtEightBits() throws Exception {
        for (int channels : new int[] {1, 3}) {
            Image image = gradient(channels, 17, 23);
            Image back = ImageCodec.decode(ImageCodec.encodePng(image), LIMITS);
            assertEquals(channels, back.channels());
            for (int i = 0; i < image.size(); i++) {
                assertEquals(image.pixels()[i], back.pixels()[i], 1e-6, "value " + i);
            }
        }
    }

    @Test
    void jpegDecodesToRgbClosely() throws Exception {
        BufferedImage rgb = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                rgb.setRGB(x, y, 0x804020);
            }
        }
        Image image = ImageCodec.decode(encode(rgb, "jpeg"), LIMITS);
        assertEquals("3x16x32", image.shape());
        assertEquals(0x80 / 255f, image.at(0, 8, 8), 0.03);
        assertEquals(0x40 / 255f, image.at(1, 8, 8), 0.03);
        assertEquals(0x20 / 255f, image.at(2, 8, 8), 0.03);
    }

    @Test
    void sixteenBitGreyPngKeepsItsScale() throws Exception {
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSample(1, 2, 0, 65535);
        grey.getRaster().setSample(2, 2, 0, 32768);
        Image image = ImageCodec.decode(encode(grey, "png"), LIMITS);
        assertEquals(1, image.channels());
        assertEquals(1f, image.at(0, 2, 1), 1e-6);
        assertEquals(0.5f, image.at(0, 2, 2), 1e-4);
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() {
        byte[] bomb = pngWithDeclaredSize(100_000, 100_000);
        long start = System.nanoTime();
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(bomb, LIMITS));
        assertEquals(Code.TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "refused without decoding");
        ImageLimits small = new ImageLimits(1 << 20, 64, 64, 64 * 64);
        assertEquals(Code.TOO_LARGE, assertThrows(ImageDecodeException.class,
                () -> ImageCodec.decode(ImageCodec.encodePng(gradient(1, 65, 10)), small)).code());
        assertEquals(Code.TOO_LARGE, assertThrows(ImageDecodeException.class,
                () -> ImageCodec.decode(new byte[2 << 20], small)).code());
    }

    @Test
    void truncatedPngAndJpegAreUndecodable() throws Exception {
        byte[] png = ImageCodec.encodePng(gradient(3, 40, 40));
        BufferedImage noisy = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(1);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                noisy.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        byte[] jpeg = encode(noisy, "jpeg");
        for (byte[] whole : new byte[][] {png, jpeg}) {
            for (int keep : new int[] {whole.length / 2, whole.length - 20, 30, 8, 3}) {
                ImageDecodeException e = assertThrows(ImageDecodeException.class,
                        () -> ImageCodec.decode(Arrays.copyOf(whole, keep), LIMITS), "kept " + keep);
                assertEquals(Code.UNDECODABLE, e.code(), e.getMessage());
            }
        }
    }

    @Test
    void emptyGarbageAndOtherFormatsAreUndecodable() throws Exception {
        assertEquals(Code.UNDECODABLE, assertThrows(ImageDecodeException.class,
                () -> ImageCodec.decode(new byte[0], LIMITS)).code());
        assertEquals(Code.UNDECODABLE, assertThrows(ImageDecodeException.class,
                () -> ImageCodec.decode(null, LIMITS)).code());
        assertEquals(Code.UNDECODABLE, assertThrows(ImageDecodeException.class,
                () -> ImageCodec.decode("hello, not an image".getBytes(StandardCharsets.UTF_8), LIMITS)).code());
        ImageDecodeException gif = assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(
                encode(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "gif"), LIMITS));
        assertEquals(Code.UNDECODABLE, gif.code());
        assertTrue(gif.getMessage().contains("gif"), gif.getMessage());
    }

    @Test
    void twoHundredMalformedImagesEachGiveAClearError() throws Exception {
        SplittableRandom random = new SplittableRandom(2024);
        byte[] png = ImageCodec.encodePng(gradient(3, 24, 24));
        byte[] jpeg = encode(toBuffered(gradient(3, 24, 24)), "jpeg");
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            byte[] bytes = switch (i % 5) {
                case 0 -> Arrays.copyOf(png, random.nextInt(png.length - 12));
                case 1 -> Arrays.copyOf(jpeg, random.nextInt(jpeg.length - 2));
                case 2 -> randomBytes(random, random.nextInt(1, 400), i % 2 == 0 ? png : jpeg);
                case 3 -> pngWithDeclaredSize(random.nextInt(4097, Integer.MAX_VALUE), random.nextInt(1, 5000));
                default -> flipBytes(random, i % 2 == 0 ? png : jpeg);
            };
            try {
                Image image = ImageCodec.decode(bytes, LIMITS);
                assertEquals(4, i % 5, "only bit-flipped images may still decode (case " + i + ")");
                assertTrue(image.size() > 0);
            } catch (ImageDecodeException e) {
                refused++;
                assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a message for case " + i);
                if (i % 5 == 3) {
                    assertEquals(Code.TOO_LARGE, e.code(), e.getMessage());
                }
            }
        }
        assertTrue(refused >= 160, "refused " + refused);
    }

    @Test
    void channelsConvertBetweenGreyAndRgb() throws Exception {
        Image grey = gradient(1, 3, 4);
        Image rgb = ImageCodec.toChannels(grey, 3);
        assertEquals(3, rgb.channels());
        assertEquals(grey.at(0, 2, 3), rgb.at(2, 2, 3));
        Image back = ImageCodec.toChannels(rgb, 1);
        assertEquals(grey.at(0, 1, 1), back.at(0, 1, 1), 1e-6);
        assertEquals(Code.WRONG_SHAPE, assertThrows(ImageDecodeException.class,
                () -> ImageCodec.toChannels(grey, 2)).code());
        assertEquals(Code.WRONG_SHAPE, assertThrows(ImageDecodeException.class,
                () -> ImageCodec.conform(grey, 1, 8, 8, null)).code());
        assertEquals("3x8x8", ImageCodec.conform(grey, 3, 8, 8, Resample.BILINEAR).shape());
    }

    @Test
    void resizeKeepsConstantsAndNearestRepeatsPixels() {
        Image flat = Image.filled(3, 5, 7, 0.4f);
        for (Resample method : Resample.values()) {
            Image up = ImageCodec.resize(flat, 13, 9, method);
            assertEquals("3x13x9", up.shape());
            for (float v : up.pixels()) {
                assertEquals(0.4f, v, 1e-6, method.name());
            }
        }
        Image small = gradient(1, 2, 2);
        Image nearest = ImageCodec.resize(small, 4, 4, Resample.NEAREST);
        assertEquals(small.at(0, 1, 0), nearest.at(0, 2, 0));
        assertEquals(small.at(0, 1, 0), nearest.at(0, 3, 1));
        Image bilinear = ImageCodec.resize(small, 4, 4, Resample.BILINEAR);
        float expected = 0.75f * small.at(0, 0, 0) + 0.25f * small.at(0, 0, 1);
        assertEquals(expected, bilinear.at(0, 0, 1), 1e-6, "half-pixel centres");
        Image steps = new Image(1, 1, 4, new float[] {0, 0, 1, 1});
        for (float v : ImageCodec.resize(steps, 1, 16, Resample.BICUBIC).pixels()) {
            assertTrue(v >= 0f && v <= 1f, "bicubic overshoot clamped: " + v);
        }
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "writer for " + format);
        return out.toByteArray();
    }

    static BufferedImage toBuffered(Image image) throws IOException {
        return ImageIO.read(new java.io.ByteArrayInputStream(ImageCodec.encodePng(image)));
    }

    /** A PNG signature and an IHDR chunk declaring {@code width × height}, then a tiny IDAT and IEND. */
    static byte[] pngWithDeclaredSize(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 16 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(b, "IHDR", ihdr.array());
        chunk(b, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0});
        chunk(b, "IEND", new byte[0]);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void chunk(ByteBuffer b, String type, byte[] data) {
        b.putInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        b.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
    }

    private static byte[] randomBytes(SplittableRandom random, int length, byte[] header) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        if (random.nextBoolean()) {
            System.arraycopy(header, 0, bytes, 0, Math.min(8, length));
        }
        return bytes;
    }

    private static byte[] flipBytes(SplittableRandom random, byte[] whole) {
        byte[] bytes = whole.clone();
        for (int k = 0; k < 8; k++) {
            int at = random.nextInt(bytes.length);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
    }
}
