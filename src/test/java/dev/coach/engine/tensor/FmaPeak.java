package dev.coach.engine.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The most float multiply-adds per second this JVM's Vector API gets out of the machine: every thread runs ten
 * independent chains of {@code fma} on {@link FloatVector#SPECIES_PREFERRED} (the species the engine's kernels use)
 * with all operands in registers, so nothing but the FMA units limits it. No kernel that turns quantized weights into
 * floats and multiplies them can do more multiply-adds than this, whatever the memory does.
 *
 * <pre>
 * scripts/engine-reference/java-main.sh dev.coach.engine.tensor.FmaPeak [THREADS...]   (default: 1 2)
 * </pre>
 * Prints one JSON object: {@code {"species": ..., "lanes": L, "peak": [{"threads": T, "samples_gfmas": [...],
 * "median_gfmas": M}, ...]}} in 10^9 multiply-adds (lane operations) per second, 7 samples of about 0.3 s each per
 * thread count after a warm-up. Not a test: the figure depends on the machine and on what else runs on it.
 * {@code scripts/bench/engine-vs-llamacpp.sh} runs it next to llama.cpp to bound what float kernels can reach.
 */
public final class FmaPeak {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 10;
    private static final int SAMPLES = 7;

    private FmaPeak() {
    }

    /** Runs {@code iterations} rounds of {@link #CHAINS} dependent-per-chain fmas; returns a value that uses them all. */
    static float chains(long iterations, float seed) {
        FloatVector a0 = FloatVector.broadcast(F, seed);
        FloatVector a1 = a0.add(1);
        FloatVector a2 = a0.add(2);
        FloatVector a3 = a0.add(3);
        FloatVector a4 = a0.add(4);
        FloatVector a5 = a0.add(5);
        FloatVector a6 = a0.add(6);
        FloatVector a7 = a0.add(7);
        FloatVector a8 = a0.add(8);
        FloatVector a9 = a0.add(9);
        // x -> 0.999999 x + 1e-7 stays finite and normal for any number of rounds
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector c = FloatVector.broadcast(F, 1e-7f);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9)
                .reduceLanes(VectorOperators.ADD);
    }

    /** Multiply-adds per second (lane operations) of {@code threads} threads each running {@code iterations} rounds. */
    static double measure(int threads, long iterations) throws InterruptedException {
        Thread[] workers = new Thread[threads];
        float[] sink = new float[threads];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> sink[id] = chains(iterations, id));
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!Float.isFinite(sink[0])) {
            throw new IllegalStateException("the fma chains overflowed");
        }
        return (double) iterations * CHAINS * F.length() * threads / seconds;
    }

    public static void main(String[] args) throws InterruptedException {
        List<Integer> threadCounts = new ArrayList<>();
        for (String a : args) {
            threadCounts.add(Integer.parseInt(a));
        }
        if (threadCounts.isEmpty()) {
            threadCounts.addAll(List.of(1, 2));
        }
        // warm-up: C2 compiles the loop (first as an on-stack replacement, then whole)
        for (int i = 0; i < 20; i++) {
            chains(2_000_000, i);
        }
        // about 0.3 s per sample at the ~3.5 G rounds per second of one core at one fma per cycle
        long iterations = 100_000_000L;
        StringJoiner peaks = new StringJoiner(", ");
        for (int threads : threadCounts) {
            double[] samples = new double[SAMPLES];
            for (int s = 0; s < SAMPLES; s++) {
                samples[s] = measure(threads, iterations) / 1e9;
            }
            StringJoiner list = new StringJoiner(", ", "[", "]");
            for (double g : samples) {
                list.add(String.format(Locale.ROOT, "%.1f", g));
            }
            double[] sorted = samples.clone();
            Arrays.sort(sorted);
            peaks.add(String.format(Locale.ROOT, "{\"threads\": %d, \"samples_gfmas\": %s, \"median_gfmas\": %.1f}",
                    threads, list, sorted[SAMPLES / 2]));
        }
        System.out.printf(Locale.ROOT, "{\"species\": \"%s\", \"lanes\": %d, \"java\": \"%s\", \"peak\": [%s]}%n",
                F, F.length(), Runtime.version(), peaks);
    }
}
