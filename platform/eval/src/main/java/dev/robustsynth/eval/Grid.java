package dev.robustsynth.eval;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.spi.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Image grids for the report: one row per method, images enlarged with nearest-neighbour, white gaps. */
final class Grid {
    private static final int GAP = 2;

    private Grid() {
    }

    static void write(Path file, List<List<Image>> rows, int scale) throws IOException {
        Image first = rows.get(0).get(0);
        int c = first.channels();
        int h = first.height() * scale;
        int w = first.width() * scale;
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int height = rows.size() * (h + GAP) - GAP;
        int width = columns * (w + GAP) - GAP;
        float[] canvas = new float[c * height * width];
        java.util.Arrays.fill(canvas, 1f);
        for (int r = 0; r < rows.size(); r++) {
            for (int col = 0; col < rows.get(r).size(); col++) {
                Image big = ImageCodec.resize(rows.get(r).get(col), h, w, Resample.NEAREST);
                int top = r * (h + GAP);
                int left = col * (w + GAP);
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            canvas[(ch * height + top + y) * width + left + x] = big.at(ch, y, x);
                        }
                    }
                }
            }
        }
        Files.createDirectories(file.getParent());
        Files.write(file, ImageCodec.encodePng(new Image(c, height, width, canvas)));
    }
}
