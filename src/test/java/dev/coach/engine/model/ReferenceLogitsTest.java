package dev.coach.engine.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference files are self-consistent, and the comparison accepts what it should and rejects what it should. */
class ReferenceLogitsTest {

    static List<String> names() {
        return FixtureModels.NAMES;
    }

    private static float[][] copy(ReferenceLogits r) {
        float[][] out = new float[r.rows()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.logits(i);
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("names")
    void referenceIsConsistent(String name) {
        ReferenceLogits r = ReferenceLogits.load(name);
        assertEquals(name, r.model());
        assertEquals(FixtureModels.fixture(name).architecture(), r.architecture());
        int[] prompt = r.prompt();
        int[] greedy = r.greedy();
        int[] seq = r.sequence();
        assertEquals(12, prompt.length);
        assertEquals(8, greedy.length);
        for (int i = 0; i < prompt.length; i++) {
            assertEquals(prompt[i], seq[i], "sequence starts with the prompt");
        }
        for (int k = 0; k < greedy.length; k++) {
            int row = prompt.length - 1 + k;
            float[] logits = r.logits(row);
            assertEquals(greedy[k], ReferenceLogits.argmax(logits), name + ": greedy token " + k + " is the argmax of row " + row);
            assertEquals(r.margin(row), r.greedyMargins()[k]);
            if (k + 1 < greedy.length) {
                assertEquals(greedy[k], seq[row + 1], "sequence continues with the greedy tokens");
            }
        }
        for (int i = 0; i < r.rows(); i++) {
            float[] x = r.logits(i);
            assertEquals(r.vocabSize(), x.length);
            float[] sorted = x.clone();
            java.util.Arrays.sort(sorted);
            assertEquals(sorted[x.length - 1] - sorted[x.length - 2], r.margin(i), 1e-4 * Math.abs(sorted[x.length - 1]) + 1e-5,
                    name + " row " + i + ": recorded margin");
            assertTrue(sorted[x.length - 1] > 3 && sorted[x.length - 1] < 25,
                    name + " row " + i + ": top logit " + sorted[x.length - 1] + " is outside the intended 3..25");
            assertTrue(r.flashAttentionDiff(i) >= 0 && r.flashAttentionDiff(i) < 2, name + " row " + i + ": flash attention diff");
        }
        // the reference passes against itself
        assertDoesNotThrow(() -> r.assertMatches(copy(r)));
    }

    @Test
    void perturbedLogitFailsNamingModelPositionTokenAndValues() {
        ReferenceLogits r = ReferenceLogits.load("llama-q8_0");
        float[][] ours = copy(r);
        int row = 5;
        int token = 17;
        double tol = r.tolerance(row, ReferenceLogits.Tolerance.strict());
        ours[row][token] += (float) (2 * tol);
        AssertionError e = assertThrows(AssertionError.class, () -> r.assertMatches(ours));
        String m = e.getMessage();
        assertTrue(m.contains("llama-q8_0"), m);
        assertTrue(m.contains("position 5 (after token " + r.sequence()[5] + ")"), m);
        assertTrue(m.contains("token 17:"), m);
        assertTrue(m.contains(String.format("ours %.6g", ours[row][token])), m);
        assertTrue(m.contains(String.format("llama.cpp %.6g", r.logits(row)[token])), m);
        assertTrue(m.contains("1 position(s)"), m);
    }

    @Test
    void perturbationWithinToleranceEverywherePasses() {
        ReferenceLogits r = ReferenceLogits.load("llama-f16");
        float[][] ours = copy(r);
        for (int i = 0; i < ours.length; i++) {
            double tol = r.tolerance(i, ReferenceLogits.Tolerance.strict());
            for (int j = 0; j < ours[i].length; j++) {
                ours[i][j] += (float) ((j % 2 == 0 ? 0.45 : -0.45) * tol);
            }
        }
        // the alternating signs move the top pair by up to 0.9 tol, which can swap them only where the margin is
        // below 0.9 tol, and there the top token is not checked
        assertEquals(List.of(), r.compare(ours, ReferenceLogits.Tolerance.strict()));
    }

    @Test
    void nanOrWrongShapeIsRejected() {
        ReferenceLogits r = ReferenceLogits.load("llama-f32");
        float[][] nan = copy(r);
        nan[3][0] = Float.NaN;
        AssertionError e = assertThrows(AssertionError.class, () -> r.assertMatches(nan));
        assertTrue(e.getMessage().contains("position 3") && e.getMessage().contains("NaN"), e.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> r.assertMatches(new float[3][]));
        assertTrue(rows.getMessage().contains("all " + r.rows() + " positions"), rows.getMessage());
        float[][] narrow = copy(r);
        narrow[0] = new float[10];
        IllegalArgumentException cols = assertThrows(IllegalArgumentException.class, () -> r.assertMatches(narrow));
        assertTrue(cols.getMessage().contains("expected " + r.vocabSize() + " logits"), cols.getMessage());
    }

    /** A two-row reference with a 4-token vocabulary, to pin down the rules exactly. */
    private static ReferenceLogits tiny(String row0, double margin0, String row1, double margin1) {
        String json = """
                {"model":"tiny","architecture":"llama","sha256":"00","bytes":1,"n_vocab":4,
                 "prompt":[1],"greedy":[0,0],"sequence":[1,0],
                 "logits":[[%s],[%s]],"margins":[%s,%s],"flash_attention_diff":[0.5,0.0]}
                """.formatted(row0, row1, margin0, margin1);
        return ReferenceLogits.parse(json, "tiny.json");
    }

    @Test
    void toleranceIsRelativeToTheRowsLargestLogit() {
        ReferenceLogits r = tiny("10, 0, -2, 1", 9, "-20, 0, 1, 2", 1);
        assertEquals(0.1, r.tolerance(0, ReferenceLogits.Tolerance.strict()), 1e-9);
        assertEquals(0.2, r.tolerance(1, ReferenceLogits.Tolerance.strict()), 1e-9);
        assertDoesNotThrow(() -> r.assertMatches(new float[][] {{10.09f, 0, -2, 1}, {-20, 0.19f, 1, 2}}));
        assertThrows(AssertionError.class, () -> r.assertMatches(new float[][] {{10.11f, 0, -2, 1}, {-20, 0, 1, 2}}));
        assertThrows(AssertionError.class, () -> r.assertMatches(new float[][] {{10, 0, -2, 1}, {-20, 0.21f, 1, 2}}));
    }

    @Test
    void topTokenMustAgreeOnlyWhereTheMarginExceedsTheTolerance() {
        // row 0: margin 0.15 > tol 0.1: swapping the top two within tolerance fails
        ReferenceLogits clear = tiny("10, 9.85, 0, 0", 0.15, "1, 0, 0, 0", 1);
        AssertionError e = assertThrows(AssertionError.class,
                () -> clear.assertMatches(new float[][] {{9.92f, 9.93f, 0, 0}, {1, 0, 0, 0}}));
        assertTrue(e.getMessage().contains("top token is 1") && e.getMessage().contains("llama.cpp's is 0"), e.getMessage());
        // row 0: margin 0.05 < tol 0.1: the same swap is accepted
        ReferenceLogits close = tiny("10, 9.95, 0, 0", 0.05, "1, 0, 0, 0", 1);
        assertDoesNotThrow(() -> close.assertMatches(new float[][] {{9.96f, 9.97f, 0, 0}, {1, 0, 0, 0}}));
    }

    @Test
    void noiseToleranceWidensEveryRowToAMultipleOfTheLargestFlashAttentionDiff() {
        ReferenceLogits r = tiny("10, 0, -2, 1", 9, "-20, 0, 1, 2", 1);
        assertEquals(0.5, r.noise());
        assertEquals(1.0, r.tolerance(1, ReferenceLogits.Tolerance.withNoise(2)), 1e-9);
        float[][] ours = {{10.9f, 0, -2, 1}, {-20, 0.9f, 1, 2}};
        assertThrows(AssertionError.class, () -> r.assertMatches(ours));
        assertDoesNotThrow(() -> r.assertMatches(ours, ReferenceLogits.Tolerance.withNoise(2)));
    }

    @Test
    void missingReferenceSaysHowToMakeIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReferenceLogits.load("no-such-model"));
        assertTrue(e.getMessage().contains("regen-logits.sh"), e.getMessage());
    }

    @Test
    void malformedReferenceIsRejectedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceLogits.parse("{\"model\":\"x\"}", "broken.json"));
        assertTrue(e.getMessage().contains("broken.json") && e.getMessage().contains("missing field"), e.getMessage());
        assertArrayEquals(new int[] {1, 0}, tiny("1,0,0,0", 1, "1,0,0,0", 1).sequence());
    }
}
