package dev.coach.engine.gguf;

import java.lang.foreign.MemorySegment;

/** One tensor of a GGUF file: its name, shape (innermost dimension first, as GGUF stores it), type and mapped bytes. */
public record GgufTensor(String name, long[] shape, GgmlType type, long offset, long elements, MemorySegment data) {

    public long bytes() {
        return data.byteSize();
    }
}
