package dev.coach.engine.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgufReaderTest {
    @TempDir
    Path dir;

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static GgufWriter sample() {
        byte[] q8 = new byte[34 * 2];
        Arrays.fill(q8, (byte) 3);
        return new GgufWriter()
                .string("general.architecture", "llama")
                .put("llama.context_length", 4, 4096)
                .put("llama.block_count", 5, 2)
                .put("u8", 0, 200).put("i8", 1, -5).put("u16", 2, 60000).put("i16", 3, -30000)
                .put("f32", 6, 1.5f).put("flag", 7, true).put("u64", 10, 1L << 40).put("i64", 11, -7L).put("f64", 12, 0.25)
                .put("tokenizer.ggml.tokens", 9, new Object[] {8, List.of("<s>", "hello", "wörld")})
                .put("tokenizer.ggml.scores", 9, new Object[] {6, List.of(0f, -1f, -2f)})
                .tensor("token_embd.weight", 0, floats(1, 2, 3, 4, 5, 6, 7, 8), 4, 2)
                .tensor("blk.0.attn_q.weight", 8, q8, 64);
    }

    Path write(byte[] bytes) throws Exception {
        Path p = dir.resolve("m.gguf");
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsEveryMetadataTypeAndTheTensorTable() throws Exception {
        try (GgufFile f = GgufReader.open(write(sample().bytes()))) {
            assertEquals(3, f.version());
            assertEquals("llama", f.architecture().orElseThrow());
            assertEquals(4096L, f.integer("llama.context_length").orElseThrow());
            assertEquals(200L, f.metadata().get("u8"));
            assertEquals(-5L, f.metadata().get("i8"));
            assertEquals(60000L, f.metadata().get("u16"));
            assertEquals(-30000L, f.metadata().get("i16"));
            assertEquals(1.5f, f.metadata().get("f32"));
            assertEquals(true, f.metadata().get("flag"));
            assertEquals(1L << 40, f.metadata().get("u64"));
            assertEquals(0.25, f.metadata().get("f64"));
            assertEquals(List.of("<s>", "hello", "wörld"), f.metadata().get("tokenizer.ggml.tokens"));
            GgufTensor emb = f.tensor("token_embd.weight").orElseThrow();
            assertEquals(GgmlType.F32, emb.type());
            assertEquals(8, emb.elements());
            assertEquals(6f, emb.data().get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 5 * 4));
            GgufTensor q = f.tensor("blk.0.attn_q.weight").orElseThrow();
            assertEquals(GgmlType.Q8_0, q.type());
            assertEquals(68, q.bytes());
            assertEquals(0, f.dataOffset() % 32);
            assertEquals(0, (f.dataOffset() + q.offset()) % 32, "tensor data is aligned");
        }
    }

    @Test
    void customAlignmentAndVersionTwo() throws Exception {
        byte[] b = sample().version(2).put("general.alignment", 4, 64).bytes();
        try (GgufFile f = GgufReader.open(write(b))) {
            assertEquals(2, f.version());
            assertEquals(64, f.alignment());
            assertEquals(0, f.dataOffset() % 64);
            assertEquals(2f, f.tensor("token_embd.weight").orElseThrow().data()
                    .get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4));
        }
    }

    static String error(Path p) {
        return assertThrows(GgufException.class, () -> GgufReader.open(p).close()).getMessage();
    }

    @Test
    void aFileCutAtAnyByteGivesAClearError() throws Exception {
        byte[] full = sample().bytes();
        for (int n = 0; n < full.length; n += (n < 200 ? 1 : 7)) {
            Path p = write(Arrays.copyOf(full, n));
            String m = error(p);
            assertTrue(m.startsWith(p.toString()), m);
            assertTrue(m.contains("truncated") || m.contains("not a GGUF file") || m.contains("corrupt"), "cut at " + n + ": " + m);
        }
    }

    @Test
    void wrongMagic() throws Exception {
        byte[] b = sample().bytes();
        b[0] = 'P';
        b[1] = 'K';
        assertTrue(error(write(b)).contains("not a GGUF file (it starts with \"PKUF\""));
    }

    @Test
    void aTensorPastTheEndOfTheFile() throws Exception {
        byte[] full = sample().bytes();
        String m = error(write(Arrays.copyOf(full, full.length - 10)));
        assertTrue(m.contains("tensor 'blk.0.attn_q.weight' (Q8_0, shape [64], 68 bytes) needs bytes") && m.contains("truncated"), m);
    }

    @Test
    void anUnknownTensorTypeIsNamed() throws Exception {
        String m = error(write(new GgufWriter().string("general.architecture", "llama").tensor("x", 99, new byte[32], 8).bytes()));
        assertTrue(m.contains("tensor 'x' has ggml type number 99"), m);
    }

    @Test
    void absurdDimensionsAndCountsAreRefusedWithoutAllocating() throws Exception {
        String dims = error(write(new GgufWriter().tensor("w", 0, new byte[0], 1L << 50, 1L << 50).bytes()));
        assertTrue(dims.contains("more elements than a 64-bit count holds"), dims);
        String rank = error(write(new GgufWriter().tensor("w", 0, new byte[4], 1, 1, 1, 1, 1).bytes()));
        assertTrue(rank.contains("has 5 dimensions"), rank);
        GgufWriter.Out o = new GgufWriter.Out();
        o.i32(GgufReader.MAGIC).i32(3).i64(0).i64(Long.MAX_VALUE / 2);
        assertTrue(error(write(o.toByteArray())).contains("metadata entries (at byte 16); coach accepts at most"));
        GgufWriter.Out arr = new GgufWriter.Out();
        arr.i32(GgufReader.MAGIC).i32(3).i64(0).i64(1).str("a").i32(9).i32(4).i64(1L << 60);
        assertTrue(error(write(arr.toByteArray())).contains("claims 1152921504606846976 items"));
    }

    @Test
    void wrongTypesAndVersions() throws Exception {
        GgufWriter.Out v = new GgufWriter.Out();
        v.i32(GgufReader.MAGIC).i32(7).i64(0).i64(0);
        assertTrue(error(write(v.toByteArray())).contains("GGUF version 7 is newer than coach reads"));
        GgufWriter.Out t = new GgufWriter.Out();
        t.i32(GgufReader.MAGIC).i32(3).i64(0).i64(1).str("k").i32(42).i32(0);
        assertTrue(error(write(t.toByteArray())).contains("'k' has value type 42"));
        GgufWriter.Out b = new GgufWriter.Out();
        b.i32(GgufReader.MAGIC).i32(3).i64(0).i64(1).str("k").i32(7).b(5);
        assertTrue(error(write(b.toByteArray())).contains("is a bool with value 5"));
        String blocks = error(write(new GgufWriter().tensor("q", 8, new byte[34], 33).bytes()));
        assertTrue(blocks.contains("its rows have 33 values"), blocks);
    }
}
