package dev.coach.engine.gguf;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The ggml tensor types, with their GGUF ids, block size (elements per block) and bytes per block. Only the ones
 * marked supported can be computed with; the rest are named in errors so a user knows what the file holds.
 */
public enum GgmlType {
    F32(0, 1, 4, true), F16(1, 1, 2, true), Q4_0(2, 32, 18, true), Q4_1(3, 32, 20, true),
    Q5_0(6, 32, 22, true), Q5_1(7, 32, 24, true), Q8_0(8, 32, 34, true), Q8_1(9, 32, 36, false),
    Q2_K(10, 256, 84, false), Q3_K(11, 256, 110, false), Q4_K(12, 256, 144, true), Q5_K(13, 256, 176, true),
    Q6_K(14, 256, 210, true), Q8_K(15, 256, 292, false), IQ2_XXS(16, 256, 66, false), IQ2_XS(17, 256, 74, false),
    IQ3_XXS(18, 256, 98, false), IQ1_S(19, 256, 50, false), IQ4_NL(20, 32, 18, false), IQ3_S(21, 256, 110, false),
    IQ2_S(22, 256, 82, false), IQ4_XS(23, 256, 136, false), I8(24, 1, 1, false), I16(25, 1, 2, false),
    I32(26, 1, 4, false), I64(27, 1, 8, false), F64(28, 1, 8, false), IQ1_M(29, 256, 56, false), BF16(30, 1, 2, true),
    TQ1_0(34, 256, 54, false), TQ2_0(35, 256, 66, false), MXFP4(39, 32, 17, false), NVFP4(40, 64, 36, false),
    Q1_0(41, 128, 18, false), Q2_0(42, 64, 18, false);

    /** Ids ggml once used and has since dropped; a file holding one of them was written by an old or patched tool. */
    private static final java.util.Map<Integer, String> RETIRED = java.util.Map.of(4, "Q4_2", 5, "Q4_3", 31, "Q4_0_4_4",
            32, "Q4_0_4_8", 33, "Q4_0_8_8", 36, "IQ4_NL_4_4", 37, "IQ4_NL_4_8", 38, "IQ4_NL_8_8");

    private final int id;
    private final int blockSize;
    private final int typeSize;
    private final boolean supported;

    GgmlType(int id, int blockSize, int typeSize, boolean supported) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
        this.supported = supported;
    }

    public int id() {
        return id;
    }

    public int blockSize() {
        return blockSize;
    }

    public int typeSize() {
        return typeSize;
    }

    public boolean supported() {
        return supported;
    }

    public static Optional<GgmlType> byId(int id) {
        return Arrays.stream(values()).filter(t -> t.id == id).findFirst();
    }

    public static List<GgmlType> supportedTypes() {
        return Arrays.stream(values()).filter(GgmlType::supported).toList();
    }

    /** The supported types as a comma-separated list, for messages. */
    public static String supportedList() {
        return String.join(", ", supportedTypes().stream().map(Enum::name).toList());
    }

    /** The old name of an id ggml no longer defines (for example 31, Q4_0_4_4), if it ever had one. */
    public static Optional<String> retiredName(int id) {
        return Optional.ofNullable(RETIRED.get(id));
    }

    /**
     * Bytes needed for {@code elements} values, or -1 if they do not fill whole blocks.
     *
     * @throws ArithmeticException if the byte count does not fit in a long
     */
    public long bytesFor(long elements) {
        if (elements % blockSize != 0) {
            return -1;
        }
        return Math.multiplyExact(elements / blockSize, (long) typeSize);
    }
}
