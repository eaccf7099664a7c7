package dev.coach.engine.gguf;

import java.util.Optional;

/**
 * The value types a GGUF metadata entry can have, with their ids in the file and the size of one value in bytes
 * (0 for the variable-length string and array). The lower-case names are the ones error messages use.
 */
public enum GgufValueType {
    UINT8(0, 1), INT8(1, 1), UINT16(2, 2), INT16(3, 2), UINT32(4, 4), INT32(5, 4), FLOAT32(6, 4), BOOL(7, 1),
    STRING(8, 0), ARRAY(9, 0), UINT64(10, 8), INT64(11, 8), FLOAT64(12, 8);

    private final int id;
    private final int size;

    GgufValueType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    public int id() {
        return id;
    }

    /** Bytes one value takes in the file, or 0 if that depends on the value (string, array). */
    public int size() {
        return size;
    }

    /** The fewest bytes one value can take in the file: a string is at least its 8-byte length. */
    int minSize() {
        return switch (this) {
            case STRING -> 8;
            case ARRAY -> 12;
            default -> size;
        };
    }

    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    public static Optional<GgufValueType> byId(int id) {
        for (GgufValueType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** "uint32", "string", ... */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
