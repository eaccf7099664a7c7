package dev.coach.engine.gguf;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.coach.engine.gguf.GgufBytes.ARRAY;
import static dev.coach.engine.gguf.GgufBytes.BOOL;
import static dev.coach.engine.gguf.GgufBytes.F64;
import static dev.coach.engine.gguf.GgufBytes.I32;
import static dev.coach.engine.gguf.GgufBytes.I8;
import static dev.coach.engine.gguf.GgufBytes.U16;
import static dev.coach.engine.gguf.GgufBytes.U32;
import static dev.coach.engine.gguf.GgufBytes.U64;
import static dev.coach.engine.gguf.GgufBytes.U8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed metadata accessors model loading code uses: values of every GGUF type, and the errors for wrong ones. */
class GgufFileAccessorsTest {
    @TempDir
    Path dir;
    Path path;
    GgufFile f;

    @BeforeEach
    void open() throws Exception {
        GgufBytes b = new GgufBytes().header(3, 0, 17)
                .kvStr("general.architecture", "llama")
                .kvU32("llama.block_count", 22)
                .key("llama.context_length", U64).u64(1L << 40)
                .key("small", I8).u8(0xfe) // -2
                .key("port", U16).u16(65535)
                .kvU32("big", 0xffffffffL)
                .key("huge", U64).u64(-1L) // 2^64 - 1
                .kvStr("llama.embedding_length", "2048")
                .key("eps", F64).f64(1e-5)
                .kvF32("rope", 10000f)
                .key("flag", BOOL).u8(1)
                .kvStrings("tokens", "<s>", "hi")
                .kvFloats("scores", 0.5f, -1.25f)
                .key("types", ARRAY).u32(I32).u64(3).u32(1).u32(-1L & 0xffffffffL).u32(6)
                .key("bytes", ARRAY).u32(U8).u64(2).u8(200).u8(7)
                .key("unsigned", ARRAY).u32(U32).u64(2).u32(5).u32(0xffffffffL)
                .key("wide", ARRAY).u32(F64).u64(2).f64(0.25).f64(-3);
        path = dir.resolve("a.gguf");
        Files.write(path, b.bytes());
        f = GgufReader.open(path);
    }

    @AfterEach
    void close() {
        f.close();
    }

    String error(Executable e) {
        String m = assertThrows(GgufException.class, e).getMessage();
        assertTrue(m.startsWith(path + ": "), m);
        assertTrue(m.contains("download or convert the model again"), m);
        return m;
    }

    @Test
    void integers() {
        assertEquals(22, f.requireInt("llama.block_count"));
        assertEquals(-2, f.requireInt("small"));
        assertEquals(65535, f.requireInt("port"));
        assertEquals(1L << 40, f.requireLong("llama.context_length"));
        assertEquals(4294967295L, f.requireLong("big"));
        assertEquals(7, f.optionalInt("absent", 7));
        assertEquals(22, f.optionalInt("llama.block_count", 7));
        assertEquals("uint32", f.typeOf("llama.block_count").orElseThrow());
        assertEquals("array of int32", f.typeOf("types").orElseThrow());
        assertTrue(f.typeOf("absent").isEmpty());
    }

    @Test
    void integerErrorsNameTheKeyAndWhatItHolds() {
        assertEquals("the metadata has no 'llama.feed_forward_length' (an integer), which coach needs to run this model; the file is "
                + "incomplete or was converted for another program — download or convert the model again",
                error(() -> f.requireInt("llama.feed_forward_length")).substring(path.toString().length() + 2));
        assertTrue(error(() -> f.requireInt("llama.embedding_length"))
                .contains("metadata key 'llama.embedding_length' is a string (\"2048\"), but coach needs an integer"));
        assertTrue(error(() -> f.optionalInt("llama.embedding_length", 1)).contains("is a string (\"2048\")"), "a default does not hide a wrong type");
        assertTrue(error(() -> f.requireInt("rope")).contains("metadata key 'rope' is a float32 (10000.0), but coach needs an integer"));
        assertTrue(error(() -> f.requireInt("flag")).contains("is a bool (true)"));
        assertTrue(error(() -> f.requireInt("tokens")).contains("is an array of string (2 items), but coach needs an integer"));
        assertTrue(error(() -> f.requireInt("big")).contains("metadata key 'big' is 4294967295, which does not fit in a 32-bit integer"));
        assertTrue(error(() -> f.requireInt("llama.context_length")).contains("is 1099511627776, which does not fit in a 32-bit integer"));
        assertTrue(error(() -> f.requireLong("huge")).contains("'huge' is 18446744073709551615, which does not fit in a signed 64-bit integer"));
    }

    @Test
    void numbers() {
        assertEquals(10000f, f.requireFloat("rope"));
        assertEquals(1e-5f, f.requireFloat("eps"));
        assertEquals(22f, f.requireFloat("llama.block_count"));
        assertEquals(1.8446744e19f, f.requireFloat("huge"));
        assertEquals(0.5f, f.optionalFloat("absent", 0.5f));
        assertEquals(10000f, f.optionalFloat("rope", 0.5f));
        assertTrue(error(() -> f.requireFloat("flag")).contains("metadata key 'flag' is a bool (true), but coach needs a number"));
        assertTrue(error(() -> f.optionalFloat("llama.embedding_length", 1f)).contains("is a string (\"2048\"), but coach needs a number"));
        assertTrue(error(() -> f.requireFloat("absent")).contains("the metadata has no 'absent' (a number)"));
    }

    @Test
    void stringsAndBools() {
        assertEquals("llama", f.requireString("general.architecture"));
        assertTrue(f.optionalBool("flag", false));
        assertFalse(f.optionalBool("absent", false));
        assertTrue(error(() -> f.requireString("llama.block_count")).contains("'llama.block_count' is a uint32 (22), but coach needs a string"));
        assertTrue(error(() -> f.string("scores")).contains("is an array of float32 (2 items), but coach needs a string"));
        assertTrue(error(() -> f.optionalBool("port", true)).contains("'port' is a uint16 (65535), but coach needs a bool"));
    }

    @Test
    void arrays() {
        assertEquals(List.of("<s>", "hi"), f.stringArray("tokens"));
        assertArrayEquals(new float[] {0.5f, -1.25f}, f.floatArray("scores"));
        assertArrayEquals(new float[] {0.25f, -3f}, f.floatArray("wide"));
        assertArrayEquals(new float[] {1f, -1f, 6f}, f.floatArray("types"));
        assertArrayEquals(new int[] {1, -1, 6}, f.intArray("types"));
        assertArrayEquals(new int[] {200, 7}, f.intArray("bytes"));
        // the raw list view keeps the GGUF meaning: integers as Long, float32 as Float
        assertEquals(List.of(1L, -1L, 6L), f.metadata().get("types"));
        assertEquals(List.of(0.5f, -1.25f), f.metadata().get("scores"));
    }

    @Test
    void arrayErrors() {
        assertTrue(error(() -> f.stringArray("scores")).contains("'scores' is an array of float32 (2 items), but coach needs an array of strings"));
        assertTrue(error(() -> f.stringArray("general.architecture")).contains("is a string (\"llama\"), but coach needs an array of strings"));
        assertTrue(error(() -> f.floatArray("tokens")).contains("'tokens' is an array of string (2 items), but coach needs an array of numbers"));
        assertTrue(error(() -> f.intArray("scores")).contains("'scores' is an array of float32 (2 items), but coach needs an array of integers"));
        assertTrue(error(() -> f.intArray("unsigned")).contains("item 1 of metadata array 'unsigned' is 4294967295, which does not fit in a 32-bit integer"));
        assertTrue(error(() -> f.floatArray("tokenizer.ggml.scores")).contains("the metadata has no 'tokenizer.ggml.scores' (an array of numbers)"));
    }

    @Test
    void numericArraysAreReadFromTheMappingWhileTheFileIsOpen() {
        List<?> scores = (List<?>) f.metadata().get("scores");
        float[] copy = f.floatArray("scores");
        f.close();
        String m = assertThrows(GgufException.class, () -> scores.get(0)).getMessage();
        assertTrue(m.contains("metadata array 'scores' was read after the file was closed"), m);
        assertEquals(-1.25f, copy[1], "a copied array outlives the file");
        assertEquals(List.of("<s>", "hi"), f.metadata().get("tokens"), "string arrays are on the heap");
    }
}
