package dev.robustsynth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.cli.WireFormat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Turns the command line's {@code k=v} parameters, parameter files and image files into request JSON. */
public final class RequestOptions {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG_MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    private RequestOptions() {
    }

    /** A {@code --param} value: JSON when the whole text parses as JSON (numbers, booleans, arrays, objects, null), else the text as a string. */
    public static JsonNode parseValue(String text) {
        try {
            JsonNode node = WireFormat.mapper().readTree(text);
            if (node != null && !node.isMissingNode()) {
                return node;
            }
        } catch (IOException e) {
            // not JSON: a string
        }
        return JsonNodeFactory.instance.textNode(text);
    }

    /** Splits {@code name=value} at the first '='; the name must not be empty. */
    public static String[] splitAssignment(String option, String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(option + " '" + text + "' is not of the form name=value");
        }
        return new String[] {text.substring(0, eq), text.substring(eq + 1)};
    }

    /** Reads a {@code --params-file}: a JSON object. */
    public static ObjectNode readParamsFile(Path file) throws IOException {
        JsonNode node;
        try {
            node = WireFormat.mapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IOException("params file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IOException("params file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IOException("params file " + file + " must hold a JSON object, found " + node.getNodeType());
        }
        return object;
    }

    /**
     * The bytes to send for an image file: PNG and JPEG files as they are; any other format Java can
     * read (BMP, GIF, …) re-encoded as PNG.
     */
    public static byte[] readImage(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("image file " + file + " does not exist", e);
        }
        if (startsWith(bytes, PNG_MAGIC) || startsWith(bytes, JPEG_MAGIC)) {
            return bytes;
        }
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("image file " + file + " is not an image Java can read (expected PNG or JPEG)");
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    static boolean isPng(byte[] bytes) {
        return startsWith(bytes, PNG_MAGIC);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
