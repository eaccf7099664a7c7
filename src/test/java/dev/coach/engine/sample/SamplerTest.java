package dev.coach.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SamplerTest {

    /** Unfiltered, unpenalised sampling at temperature 1. */
    private static final SamplerSettings PLAIN = new SamplerSettings(1.0, 0, 1.0, 0.0, 1.0, 64, 0.0, 0.0, 0);

    /** Logits whose softmax is exactly (0.5, 0.3, 0.15, 0.05) up to float rounding. */
    private static final float[] QUARTET = {
        (float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)
    };

    private static int greedy(SamplerSettings s, float[] logits, int... recent) {
        return new Sampler(s).sample(logits, recent, recent.length);
    }

    private static double[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp((logits[i] - max) / temperature);
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    private static double[] frequencies(SamplerSettings s, float[] logits, int draws) {
        Sampler sampler = new Sampler(s);
        double[] f = new double[logits.length];
        for (int i = 0; i < draws; i++) f[sampler.sample(logits)]++;
        for (int i = 0; i < f.length; i++) f[i] /= draws;
        return f;
    }

    /** Tokens ever drawn over many seeds and many draws per seed. */
    private static Set<Integer> support(SamplerSettings s, float[] logits) {
        Set<Integer> seen = new TreeSet<>();
        for (long seed = 0; seed < 100; seed++) {
            Sampler sampler = new Sampler(s.withSeed(seed));
            for (int i = 0; i < 50; i++) seen.add(sampler.sample(logits));
        }
        return seen;
    }

    // ------------------------------------------------------------------ greedy

    @Test
    void greedyPicksArgmax() {
        assertEquals(2, greedy(SamplerSettings.greedy(), new float[] {0.1f, -3f, 4.5f, 4.4f, 1f}));
        assertEquals(0, greedy(SamplerSettings.greedy(), new float[] {-1f, -2f, -3f}));
    }

    @Test
    void greedyBreaksTiesTowardsLowestId() {
        assertEquals(1, greedy(SamplerSettings.greedy(), new float[] {1f, 3f, 2f, 3f, 3f}));
    }

    @Test
    void greedyIgnoresMinusInfinityAndHandlesSingleToken() {
        assertEquals(1, greedy(SamplerSettings.greedy(),
                new float[] {Float.NEGATIVE_INFINITY, -50f, Float.NEGATIVE_INFINITY}));
        assertEquals(0, greedy(SamplerSettings.greedy(), new float[] {7f}));
    }

    // ------------------------------------------------------------------ penalties

    @Test
    void repeatPenaltyDividesPositiveLogits() {
        float[] logits = {3.0f, 2.0f, 0.0f};
        assertEquals(0, greedy(SamplerSettings.greedy(), logits, 0));
        // 3.0 / 2 = 1.5 < 2.0 -> token 1 wins
        SamplerSettings s = SamplerSettings.greedy().withPenalties(2.0, 64, 0, 0);
        assertEquals(1, greedy(s, logits, 0));
        // 3.0 / 1.4 = 2.14 > 2.0 -> token 0 still wins
        assertEquals(0, greedy(SamplerSettings.greedy().withPenalties(1.4, 64, 0, 0), logits, 0));
    }

    @Test
    void repeatPenaltyMultipliesNegativeLogits() {
        float[] logits = {-1.0f, -1.5f, -9f};
        SamplerSettings s = SamplerSettings.greedy().withPenalties(2.0, 64, 0, 0);
        // -1.0 * 2 = -2.0 < -1.5 -> token 1 wins (dividing would give -0.5 and keep token 0)
        assertEquals(1, greedy(s, logits, 0));
    }

    @Test
    void repeatPenaltyIsAppliedOncePerDistinctToken() {
        float[] logits = {3.0f, 2.0f};
        // token 0 appears 3 times: 3.0 / 1.4 = 2.14 (once), not 3.0 / 1.4^3 = 1.09
        SamplerSettings s = SamplerSettings.greedy().withPenalties(1.4, 64, 0, 0);
        assertEquals(0, greedy(s, logits, 0, 0, 0));
    }

    @Test
    void penaltiesOnlyLookAtLastNTokens() {
        float[] logits = {3.0f, 2.0f, 0.0f};
        SamplerSettings lastTwo = SamplerSettings.greedy().withPenalties(2.0, 2, 0, 0);
        assertEquals(0, greedy(lastTwo, logits, 0, 2, 2)); // token 0 is outside the window
        assertEquals(1, greedy(lastTwo, logits, 2, 0, 2)); // now it is inside
        SamplerSettings off = SamplerSettings.greedy().withPenalties(2.0, 0, 0, 0);
        assertEquals(0, greedy(off, logits, 0, 0));
    }

    @Test
    void onlyFirstRecentCountEntriesAreHistory() {
        float[] logits = {3.0f, 2.0f, 0.0f};
        SamplerSettings s = SamplerSettings.greedy().withPenalties(2.0, 64, 0, 0);
        int[] buffer = {2, 0, 0, 0}; // with recentCount 1 only buffer[0] is history
        assertEquals(0, new Sampler(s).sample(logits, buffer, 1));
        assertEquals(1, new Sampler(s).sample(logits, buffer, 2));
    }

    @Test
    void frequencyPenaltyScalesWithCount() {
        float[] logits = {5.0f, 4.6f, 3.0f};
        int[] recent = {0, 0, 0, 1};
        assertEquals(0, greedy(SamplerSettings.greedy(), logits, recent));
        // token0: 5.0 - 3*0.3 = 4.1 ; token1: 4.6 - 1*0.3 = 4.3 -> token 1
        assertEquals(1, greedy(SamplerSettings.greedy().withPenalties(1.0, 64, 0, 0.3), logits, recent));
    }

    @Test
    void presencePenaltyIsSubtractedOnce() {
        float[] logits = {5.0f, 4.6f, 3.0f};
        int[] recent = {0, 0, 0, 1};
        // presence 1.5: token0 3.5, token1 3.1, token2 3.0 -> token 0 (would be 0.5 if counted 3x)
        assertEquals(0, greedy(SamplerSettings.greedy().withPenalties(1.0, 64, 1.5, 0), logits, recent));
        // presence 2.5: token0 2.5, token1 2.1, token2 3.0 -> token 2
        assertEquals(2, greedy(SamplerSettings.greedy().withPenalties(1.0, 64, 2.5, 0), logits, recent));
    }

    @Test
    void allPenaltiesCombine() {
        float[] logits = {4.0f, 3.0f, 1.0f};
        int[] recent = {0, 0};
        // token0: 4.0 / 2 = 2.0, minus presence 0.5, minus 2 * 0.5 frequency = 0.5 ; token1 3.0 ; -> 1
        SamplerSettings s = SamplerSettings.greedy().withPenalties(2.0, 64, 0.5, 0.5);
        assertEquals(1, greedy(s, logits, recent));
        // with token 1 also penalised once: 3.0/2 - 0.5 - 0.5 = 0.5 ; token2 1.0 wins
        assertEquals(2, greedy(s, logits, 0, 1, 0));
    }

    @Test
    void outOfVocabularyHistoryIsIgnored() {
        float[] logits = {3.0f, 2.0f};
        SamplerSettings s = SamplerSettings.greedy().withPenalties(2.0, 64, 1, 1);
        assertEquals(0, greedy(s, logits, 5, -1, 99));
    }

    // ------------------------------------------------------------------ top-k

    @Test
    void topKOneIsGreedyRegardlessOfTemperature() {
        float[] logits = {1.0f, 1.2f, 1.1f, 0.9f};
        for (double t : new double[] {0.5, 1.0, 5.0, 50.0}) {
            SamplerSettings s = PLAIN.withTopK(1).withTemperature(t);
            assertEquals(Set.of(1), support(s, logits), "temperature " + t);
        }
        // ties -> lowest id
        assertEquals(Set.of(1), support(PLAIN.withTopK(1).withTemperature(10), new float[] {0f, 2f, 2f}));
    }

    @Test
    void topKKeepsTheKLargestOnALargeVocabulary() {
        Random r = new Random(1);
        float[] logits = new float[5000];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) r.nextGaussian();
        logits[4321] = 10.1f;
        logits[17] = 10.0f;
        logits[2500] = 10.05f;
        logits[999] = 9.99f; // fourth best: excluded by top-k 3 even though nearly tied
        Set<Integer> seen = support(PLAIN.withTopK(3).withTemperature(5.0), logits);
        assertEquals(Set.of(17, 2500, 4321), seen);
    }

    // ------------------------------------------------------------------ top-p

    @Test
    void topPKeepsSmallestNucleus() {
        assertEquals(Set.of(0, 1), support(PLAIN.withTopP(0.8), QUARTET));
        assertEquals(Set.of(0, 1, 2), support(PLAIN.withTopP(0.81), QUARTET));
        assertEquals(Set.of(0, 1, 2), support(PLAIN.withTopP(0.95), QUARTET));
        assertEquals(Set.of(0, 1, 2, 3), support(PLAIN.withTopP(0.96), QUARTET));
        assertEquals(Set.of(0, 1), support(PLAIN.withTopP(0.51), QUARTET));
    }

    @Test
    void topPAlwaysKeepsAtLeastOneToken() {
        assertEquals(Set.of(0), support(PLAIN.withTopP(0.01), QUARTET));
        assertEquals(Set.of(0), support(PLAIN.withTopP(0.5), QUARTET));
    }

    @Test
    void topPRenormalisesSurvivors() {
        // p = 0.8 keeps {0.5, 0.3} -> renormalised 0.625 / 0.375
        double[] f = frequencies(PLAIN.withTopP(0.8).withSeed(3), QUARTET, 20_000);
        assertEquals(0.625, f[0], 0.02);
        assertEquals(0.375, f[1], 0.02);
    }

    // ------------------------------------------------------------------ min-p

    @Test
    void minPDropsUnlikelyTokens() {
        // relative to max 0.5: 0.3 -> 0.6, 0.15 -> 0.3, 0.05 -> 0.1
        assertEquals(Set.of(0, 1, 2), support(PLAIN.withMinP(0.2), QUARTET));
        assertEquals(Set.of(0, 1), support(PLAIN.withMinP(0.4), QUARTET));
        assertEquals(Set.of(0), support(PLAIN.withMinP(0.7), QUARTET));
        assertEquals(Set.of(0, 1, 2, 3), support(PLAIN.withMinP(0.05), QUARTET));
    }

    @Test
    void minPIsAppliedBeforeTemperature() {
        // at temperature 10 the distribution is nearly flat, but min-p judges the untempered probabilities
        assertEquals(Set.of(0, 1), support(PLAIN.withMinP(0.4).withTemperature(10), QUARTET));
    }

    // ------------------------------------------------------------------ randomness

    @Test
    void sameSeedGivesSameSequenceDifferentSeedsDiffer() {
        float[] logits = new float[50];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) Math.sin(i);
        SamplerSettings s = PLAIN.withSeed(42);
        List<Integer> a = draws(new Sampler(s), logits, 200);
        List<Integer> b = draws(new Sampler(s), logits, 200);
        List<Integer> c = draws(new Sampler(s.withSeed(43)), logits, 200);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    private static List<Integer> draws(Sampler sampler, float[] logits, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(sampler.sample(logits));
        return out;
    }

    @Test
    void empiricalFrequenciesMatchSoftmax() {
        float[] logits = {1.0f, 2.0f, 0.5f, -1.0f, 1.5f};
        double[] expected = softmax(logits, 1.0);
        double[] f = frequencies(PLAIN.withSeed(123), logits, 20_000);
        for (int i = 0; i < logits.length; i++) {
            assertEquals(expected[i], f[i], 0.02, "token " + i);
        }
    }

    @Test
    void softmaxIsNumericallyStableForHugeLogits() {
        float[] logits = {10_000f, 10_001f, 9_999f};
        double[] expected = softmax(logits, 1.0);
        double[] f = frequencies(PLAIN.withSeed(9), logits, 20_000);
        for (int i = 0; i < logits.length; i++) {
            assertEquals(expected[i], f[i], 0.02, "token " + i);
        }
    }

    @Test
    void higherTemperatureFlattens() {
        float[] logits = {1.0f, 2.0f, 0.5f, -1.0f, 1.5f};
        double[] t1 = frequencies(PLAIN.withSeed(5), logits, 20_000);
        double[] t2 = frequencies(PLAIN.withTemperature(2.0).withSeed(5), logits, 20_000);
        double[] expected2 = softmax(logits, 2.0);
        assertTrue(t2[1] < t1[1] - 0.05, () -> "top token " + t1[1] + " -> " + t2[1]);
        assertTrue(t2[3] > t1[3], "least likely token becomes more likely");
        for (int i = 0; i < logits.length; i++) {
            assertEquals(expected2[i], t2[i], 0.02, "token " + i);
        }
        // very low temperature approaches greedy
        assertEquals(Set.of(1), support(PLAIN.withTemperature(1e-4), logits));
    }

    @Test
    void minusInfinityTokensAreNeverSampled() {
        float[] logits = {0f, Float.NEGATIVE_INFINITY, 0f};
        assertEquals(Set.of(0, 2), support(PLAIN, logits));
    }

    // ------------------------------------------------------------------ contract

    @Test
    void inputLogitsAreNotModified() {
        float[] logits = {2.5f, -1.0f, 0.75f, 3.0f, -0.5f, 1.0f};
        float[] copy = logits.clone();
        int[] recent = {0, 1, 3, 3};
        int[] recentCopy = recent.clone();
        SamplerSettings s = new SamplerSettings(0.7, 4, 0.9, 0.05, 1.3, 64, 0.2, 0.1, 11);
        Sampler sampler = new Sampler(s);
        for (int i = 0; i < 20; i++) sampler.sample(logits, recent, recent.length);
        new Sampler(SamplerSettings.greedy().withPenalties(1.5, 64, 1, 1)).sample(logits, recent, 4);
        assertArrayEquals(copy, logits);
        assertArrayEquals(recentCopy, recent);
    }

    @Test
    void invalidInputsAreRejected() {
        Sampler s = new Sampler(PLAIN);
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[0]));
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[] {1f, Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[] {1f}, new int[2], 3));
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[] {1f}, new int[2], -1));
        assertThrows(IllegalArgumentException.class,
                () -> s.sample(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}));
        assertThrows(NullPointerException.class, () -> new Sampler(null));
    }
}
