package dev.robustsynth.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import dev.robustsynth.trainer.Presets;
import dev.robustsynth.trainer.data.LabeledImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedMixtureTest {

    @TempDir
    Path dir;

    /** {@code n} points around {@code centre} (every coordinate) with per-coordinate noise {@code sd}. */
    private static List<float[]> blob(int n, int d, float centre, double sd, Random r) {
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[d];
            for (int j = 0; j < d; j++) {
                v[j] = (float) (centre + sd * r.nextGaussian());
            }
            rows.add(v);
        }
        return rows;
    }

    private static float[][] twoBlobs(long seed) {
        Random r = new Random(seed);
        List<float[]> rows = new ArrayList<>(blob(300, 6, 0.2f, 0.02, r));
        rows.addAll(blob(100, 6, 0.8f, 0.02, r));
        java.util.Collections.shuffle(rows, r);
        return rows.toArray(float[][]::new);
    }

    @Test
    void kMeansIsAFunctionOfItsInputsAndSeed() {
        float[][] rows = twoBlobs(3);
        Random r = new Random(4);
        float[][] noise = blob(200, 5, 0.5f, 0.2, r).toArray(float[][]::new);
        SeedMixture.Clustering a = SeedMixture.kMeans(noise, 5, 25, 11);
        SeedMixture.Clustering b = SeedMixture.kMeans(noise, 5, 25, 11);
        assertArrayEquals(a.assignment(), b.assignment());
        for (int j = 0; j < 5; j++) {
            assertArrayEquals(a.centroids()[j], b.centroids()[j], 0.0);
        }
        assertEquals(a.withinSumOfSquares(), b.withinSumOfSquares(), 0.0);
        SeedMixture.ClassMixture f1 = SeedMixture.fitClass(rows, 2, 25, 7);
        SeedMixture.ClassMixture f2 = SeedMixture.fitClass(rows, 2, 25, 7);
        assertEquals(f1.scale(), f2.scale(), 0f);
        assertArrayEquals(f1.weights(), f2.weights(), 0f);
        assertArrayEquals(f1.means(), f2.means(), 0f);
    }

    @Test
    void theFitRecoversTwoWellSeparatedClusters() {
        float[][] rows = twoBlobs(5);
        for (long seed = 0; seed < 5; seed++) {
            SeedMixture.ClassMixture fit = SeedMixture.fitClass(rows, 2, 25, seed);
            int big = fit.weights()[0] > fit.weights()[1] ? 0 : 1;
            assertEquals(0.75f, fit.weights()[big], 1e-6f, "seed " + seed);
            assertEquals(0.25f, fit.weights()[1 - big], 1e-6f);
            for (int j = 0; j < 6; j++) {
                assertEquals(0.2f, fit.means()[big * 6 + j], 0.01f);
                assertEquals(0.8f, fit.means()[(1 - big) * 6 + j], 0.01f);
            }
            // within-cluster sd 0.02 vs total sd ≈ sqrt(0.75·0.25)·0.6 ≈ 0.26 per coordinate
            assertTrue(fit.scale() > 0.05f && fit.scale() < 0.1f, "scale " + fit.scale());
        }
    }

    @Test
    void theScaleIsAtMostOneAndWeightsSumToOne() {
        Random r = new Random(9);
        float[][] uniform = new float[150][8];
        for (float[] row : uniform) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextFloat();
            }
        }
        for (int k : new int[] {1, 3, 5}) {
            SeedMixture.ClassMixture fit = SeedMixture.fitClass(uniform, k, 25, 1);
            assertTrue(fit.scale() > 0 && fit.scale() <= 1f, "K " + k + ": scale " + fit.scale());
            float sum = 0;
            for (float w : fit.weights()) {
                sum += w;
            }
            assertEquals(1f, sum, 1e-5f);
        }
        assertEquals(1f, SeedMixture.fitClass(uniform, 1, 25, 1).scale(), 1e-5f, "one component is the class itself");
    }

    @Test
    void fewerDistinctImagesThanComponentsLeaveEmptyComponentsWithZeroWeight() {
        float[][] rows = {{0.1f, 0.1f}, {0.1f, 0.1f}, {0.9f, 0.9f}};
        SeedMixture.ClassMixture fit = SeedMixture.fitClass(rows, 4, 25, 2);
        float sum = 0;
        int used = 0;
        for (float w : fit.weights()) {
            sum += w;
            used += w > 0 ? 1 : 0;
        }
        assertEquals(1f, sum, 1e-6f);
        assertEquals(2, used);
        assertEquals(0f, fit.scale(), 1e-6f, "the two distinct images are the two components");
    }

    @Test
    void aFittedModelsMixtureRoundTripsThroughTheFile() throws Exception {
        Random r = new Random(5);
        int n = 120;
        byte[] px = new byte[n * 3 * 8 * 8];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            byte base = (byte) (i % 2 == 0 ? 30 : 220);
            for (int p = 0; p < 192; p++) {
                px[i * 192 + p] = (byte) (base + r.nextInt(20));
            }
        }
        LabeledImages data = new LabeledImages(px, labels, 3, 8, 8, List.of("a", "b", "c"));
        float[][] reduced = SeedStatistics.reduce(data, 4, 4);
        SeedMixture m = SeedMixture.fit(data, reduced, 4, 4, 3, 1);
        assertEquals(48, m.dimension());
        assertEquals(3, m.classes().size());
        Path f = dir.resolve(SeedMixture.FILE);
        m.write(f);
        assertEquals(SeedMixture.fileSize(3, 3, 48), Files.size(f));
        assertEquals(3L * (1 + 3 + 3 * 48) * 4, Files.size(f));
        SeedMixture back = SeedMixture.read(f, 3, 3, 4, 4, 3);
        for (int k = 0; k < 3; k++) {
            assertEquals(m.classes().get(k).scale(), back.classes().get(k).scale(), 0f);
            assertArrayEquals(m.classes().get(k).weights(), back.classes().get(k).weights(), 0f);
            assertArrayEquals(m.classes().get(k).means(), back.classes().get(k).means(), 0f);
        }
        assertArrayEquals(m.mean(1, 2), back.mean(1, 2), 0f);
        float darkest = 1;
        float brightest = 0;
        for (int j = 0; j < 3; j++) {
            darkest = Math.min(darkest, m.mean(0, j)[0]);
            brightest = Math.max(brightest, m.mean(0, j)[0]);
        }
        assertTrue(darkest < 0.25f && brightest > 0.8f, "each class holds a dark and a bright cluster");
        assertThrows(IOException.class, () -> SeedMixture.read(f, 3, 3, 4, 4, 4));
        assertThrows(IOException.class, () -> SeedMixture.read(f, 2, 3, 4, 4, 3));
    }

    @Test
    void cardBlocksReplaceTheSeedsInPlaceAndValidateAgainstTheSchema() throws Exception {
        ObjectNode card = ModelCardSchemaTest.card(Presets.get("fashion-robust-l2")).toJson();
        List<String> before = new ArrayList<>();
        card.fieldNames().forEachRemaining(before::add);
        SeedMixture m = new SeedMixture(1, 16, 16, 5, List.of());
        SeedStatistics s = new SeedStatistics(1, 16, 16, 1e-4, List.of(), List.of());
        ObjectNode patched = SeedMixture.withSeedBlocks(card, s.cardBlock(SeedStatistics.FILE),
                m.cardBlock(SeedMixture.FILE));
        List<String> after = new ArrayList<>();
        patched.fieldNames().forEachRemaining(after::add);
        List<String> expected = new ArrayList<>(before);
        expected.add(expected.indexOf("seeds") + 1, "seedMixture");
        assertEquals(expected, after);
        assertEquals(card.get("seeds"), patched.get("seeds"), "the trainer's card and cardBlock agree");
        assertEquals(5, patched.get("seedMixture").get("components").asInt());
        assertEquals(SeedMixture.KIND, patched.get("seedMixture").get("kind").asText());
        for (String field : before) {
            if (!field.equals("seeds")) {
                assertEquals(card.get(field), patched.get(field), field);
            }
        }
        assertEquals(patched, SeedMixture.withSeedBlocks(patched, s.cardBlock(SeedStatistics.FILE),
                m.cardBlock(SeedMixture.FILE)), "patching twice changes nothing");
        var schema = ModelCardSchemaTest.schema();
        assertTrue(schema.validate(patched.toString(), InputFormat.JSON).isEmpty());
        ObjectNode otherKind = patched.deepCopy();
        otherKind.with("seedMixture").put("kind", "full-covariance");
        assertFalse(schema.validate(otherKind.toString(), InputFormat.JSON).isEmpty());
        ObjectNode noComponents = patched.deepCopy();
        noComponents.with("seedMixture").put("components", 0);
        assertFalse(schema.validate(noComponents.toString(), InputFormat.JSON).isEmpty());
        assertFalse(SeedMixture.withSeedBlocks(card, s.cardBlock("seeds.bin"), null).has("seedMixture"));
    }
}
