package dev.robustsynth.service.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.engine.image.ImageLimits;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.Progress;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Progress events' previews: at most four, area-averaged to at most 64 px on the long side, the same picture. */
class ResultMessagesTest {
    @TempDir
    Path results;

    /** A 3 × h × w image whose red channel ramps left to right (0 → 1) and whose green is constant 0.5. */
    private static Image ramp(int height, int width) {
        float[] pixels = new float[3 * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = (x + 0.5f) / width;
                pixels[height * width + y * width + x] = 0.5f;
            }
        }
        return new Image(3, height, width, pixels);
    }

    private JsonNode progress(List<Image> previews) {
        ResultMessages messages = new ResultMessages(new ImageOutputs(1 << 20, 1 << 22, results));
        return messages.progress("t", "generate", new Progress("synthesis", 5, 10, Map.of(), previews));
    }

    private static Image decode(JsonNode preview) throws Exception {
        return ImageCodec.decode(Base64.getDecoder().decode(preview.path("data").asString()),
                new ImageLimits(1 << 20, 4096, 4096, 1 << 24));
    }

    @Test
    void largePreviewsAreAreaAveragedToSixtyFourPixelsOnTheLongSideAndKeepTheirPicture() throws Exception {
        JsonNode json = progress(List.of(ramp(224, 224), ramp(112, 224)));
        JsonNode previews = json.path("previews");
        assertEquals(2, previews.size());
        assertEquals(64, previews.get(0).path("width").asInt());
        assertEquals(64, previews.get(0).path("height").asInt());
        assertEquals(64, previews.get(1).path("width").asInt());
        assertEquals(32, previews.get(1).path("height").asInt());
        Image small = decode(previews.get(1));
        assertEquals(3, small.channels());
        assertEquals(32, small.height());
        assertEquals(64, small.width());
        for (int x = 0; x < 64; x += 9) {
            assertEquals((x + 0.5) / 64, small.at(0, 10, x), 1.5 / 255, "red ramp at column " + x);
            assertEquals(0.5, small.at(1, 10, x), 1.0 / 255, "green at column " + x);
        }
    }

    @Test
    void atMostFourPreviewsAndSmallImagesAsTheyAre() throws Exception {
        JsonNode previews = progress(Collections.nCopies(6, ramp(28, 28))).path("previews");
        assertEquals(4, previews.size());
        assertEquals(28, decode(previews.get(0)).width());
        assertEquals("image/png", previews.get(0).path("mediaType").asString());
    }

    @Test
    void anEventWithoutPreviewsHasNoPreviewsField() {
        assertFalse(progress(List.of()).has("previews"));
    }
}
