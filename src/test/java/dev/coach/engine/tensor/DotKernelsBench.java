package dev.coach.engine.tensor;

import dev.coach.engine.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import jdk.incubator.vector.FloatVector;

/**
 * A rough single-thread benchmark of matrix-vector products: for each type, a rows x cols matrix of random weights
 * in off-heap memory (like a mapped GGUF file) times a random x, timed after a warm-up, median of several runs,
 * reported as GB/s of weight bytes read (by wall time, and by the thread's CPU time).
 *
 * <pre>
 * scripts/engine-reference/java-main.sh dev.coach.engine.tensor.DotKernelsBench [rows cols [TYPE...]]
 * </pre>
 * Not a test; the figures depend on the machine and on whatever else is running on it.
 */
public final class DotKernelsBench {

    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    private static final long WARM_UP_NANOS = 1_500_000_000L;
    private static final int RUNS = 21;

    private DotKernelsBench() {
    }

    public static void main(String[] args) {
        int rows = args.length >= 2 ? Integer.parseInt(args[0]) : 2048;
        int cols = args.length >= 2 ? Integer.parseInt(args[1]) : 8192;
        List<GgmlType> types = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            types.add(GgmlType.valueOf(args[i].toUpperCase(Locale.ROOT)));
        }
        if (types.isEmpty()) {
            types.addAll(GgmlType.supportedTypes());
        }
        System.out.printf(Locale.ROOT, "%s, %d x %d, float species %s, single thread, median of %d runs%n",
                Runtime.version(), rows, cols, FloatVector.SPECIES_PREFERRED, RUNS);
        Random random = new Random(1);
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = 2 * random.nextFloat() - 1;
        }
        for (GgmlType type : types) {
            long rowBytes = type.bytesFor(cols);
            if (rowBytes < 0) {
                System.out.println(type + ": cols " + cols + " is not a multiple of the block size " + type.blockSize());
                continue;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment w = arena.allocate(rowBytes * rows, 64);
                fill(type, w, (long) rows * cols, random);
                float[] out = new float[rows];
                long start = System.nanoTime();
                int warmUps = 0;
                while (System.nanoTime() - start < WARM_UP_NANOS || warmUps < 5) {
                    multiply(type, w, rows, cols, x, out);
                    warmUps++;
                }
                long[] nanos = new long[RUNS];
                long[] cpuNanos = new long[RUNS];
                long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
                for (int run = 0; run < RUNS; run++) {
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    multiply(type, w, rows, cols, x, out);
                    nanos[run] = System.nanoTime() - t0;
                    cpuNanos[run] = THREADS.getCurrentThreadCpuTime() - c0;
                }
                long allocatedPerRun = (THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore) / RUNS;
                Arrays.sort(nanos);
                Arrays.sort(cpuNanos);
                long median = nanos[RUNS / 2];
                double gbPerSecond = (double) w.byteSize() / median;
                double checksum = 0;
                for (float v : out) {
                    checksum += v;
                }
                // thread CPU time is less disturbed than wall time when other processes compete for the cores;
                // heap allocation during a run means some vector value was boxed (a kernel not fully inlined)
                System.out.printf(Locale.ROOT, "%-5s %6.1f MB %8.3f ms %6.2f GB/s  (min %.3f ms, max %.3f ms; "
                                + "thread CPU median %.3f ms = %.2f GB/s; %d B allocated/run; checksum %.4g)%n",
                        type, w.byteSize() / 1e6, median / 1e6, gbPerSecond, nanos[0] / 1e6, nanos[RUNS - 1] / 1e6,
                        cpuNanos[RUNS / 2] / 1e6, (double) w.byteSize() / cpuNanos[RUNS / 2], allocatedPerRun,
                        checksum);
            }
        }
    }

    private static void multiply(GgmlType type, MemorySegment w, int rows, int cols, float[] x, float[] out) {
        DotKernels.matVec(type, w, rows, cols, x, out);
    }

    /** Random codes with realistic (small, normal, both signs) f16 scales, so no subnormal float arithmetic. */
    private static void fill(GgmlType type, MemorySegment w, long elements, Random random) {
        byte[] bytes = new byte[(int) Math.min(w.byteSize(), 1 << 20)];
        for (long at = 0; at < w.byteSize(); at += bytes.length) {
            random.nextBytes(bytes);
            int len = (int) Math.min(bytes.length, w.byteSize() - at);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, w, at, len);
        }
        switch (type) {
            case F32 -> {
                for (long i = 0; i < elements; i++) {
                    w.set(FLOAT_LE, 4 * i, 2 * random.nextFloat() - 1);
                }
            }
            case F16 -> {
                for (long i = 0; i < elements; i++) {
                    w.set(SHORT_LE, 2 * i, Float.floatToFloat16(2 * random.nextFloat() - 1));
                }
            }
            case BF16 -> {
                for (long i = 0; i < elements; i++) {
                    w.set(SHORT_LE, 2 * i, (short) (Float.floatToRawIntBits(2 * random.nextFloat() - 1) >>> 16));
                }
            }
            default -> {
                int[] fields = switch (type) {
                    case Q8_0, Q4_0, Q5_0 -> new int[] {0};
                    case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
                    case Q6_K -> new int[] {208};
                    default -> throw new IllegalArgumentException("no benchmark data for " + type);
                };
                long blocks = elements / type.blockSize();
                for (long b = 0; b < blocks; b++) {
                    for (int field : fields) {
                        float scale = (2 * random.nextFloat() - 1) * 0.05f;
                        w.set(SHORT_LE, b * type.typeSize() + field, Float.floatToFloat16(scale));
                    }
                }
            }
        }
    }
}
