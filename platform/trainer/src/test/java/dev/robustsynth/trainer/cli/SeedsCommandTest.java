package dev.robustsynth.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.robustsynth.trainer.export.SeedStatistics;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SeedsCommandTest {

    @TempDir
    Path dir;

    @Test
    void computesSeedStatisticsForAnImageFolder() throws Exception {
        Random r = new Random(1);
        for (String cls : new String[] {"cat", "dog"}) {
            Files.createDirectories(dir.resolve("imgs").resolve(cls));
            for (int i = 0; i < 12; i++) {
                BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 20; y++) {
                    for (int x = 0; x < 20; x++) {
                        img.setRGB(x, y, r.nextInt(1 << 24));
                    }
                }
                ImageIO.write(img, "png", dir.resolve("imgs").resolve(cls).resolve(i + ".png").toFile());
            }
        }
        Path out = dir.resolve("seeds.bin");
        int rc = new CommandLine(new TrainCommand()).execute("seeds", "--images", dir.resolve("imgs").toString(),
                "--load-size", "8", "--size", "4", "--ridge", "0.01", "--out", out.toString());
        assertEquals(0, rc);
        SeedStatistics s = SeedStatistics.read(out, 2, 3, 4, 4, 0.01);
        assertNotEquals(s.means().get(0)[0], s.means().get(1)[0]);
        assertEquals(0, new CommandLine(new TrainCommand()).execute("--help"));
        assertNotEquals(0, new CommandLine(new TrainCommand()).execute("train", "--preset", "no-such-preset"));
    }
}
