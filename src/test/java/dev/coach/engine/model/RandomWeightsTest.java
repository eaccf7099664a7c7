package dev.coach.engine.model;

import dev.coach.engine.gguf.GgmlType;
import dev.coach.engine.tensor.Dequant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The random weight generators give what the fixtures rely on, decoded by the engine's own reference decoders:
 * finite values with about the standard deviation asked for and a mean near zero, and every code value used.
 */
class RandomWeightsTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void decodedValuesHaveTheWantedSpread(GgmlType type) {
        int n = 256 * 512;
        double sigma = 0.05;
        byte[] b = RandomWeights.generate(type, n, sigma, new SplittableRandom(7));
        assertEquals(type.bytesFor(n), b.length);
        float[] x = new float[n];
        Dequant.row(type, MemorySegment.ofArray(b), 0, n, x, 0);
        double sum = 0;
        double sq = 0;
        int distinct = (int) java.util.stream.IntStream.range(0, n).mapToDouble(i -> x[i]).distinct().limit(100_000).count();
        for (float v : x) {
            assertTrue(Float.isFinite(v), type + " decoded a non-finite value");
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sq / n - mean * mean);
        assertTrue(Math.abs(sd / sigma - 1) < 0.2, type + ": standard deviation " + sd + " is not within 20% of " + sigma);
        assertTrue(Math.abs(mean) < 0.02 * sigma, type + ": mean " + mean + " is not near zero (sigma " + sigma + ")");
        assertTrue(distinct > 1000, type + ": only " + distinct + " distinct values");
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "Q8_0", "Q4_K", "Q6_K"})
    void sameSeedSameBytes(GgmlType type) {
        byte[] a = RandomWeights.generate(type, 1024, 0.1, new SplittableRandom(3));
        byte[] b = RandomWeights.generate(type, 1024, 0.1, new SplittableRandom(3));
        byte[] c = RandomWeights.generate(type, 1024, 0.1, new SplittableRandom(4));
        assertTrue(java.util.Arrays.equals(a, b));
        assertTrue(!java.util.Arrays.equals(a, c));
    }
}
