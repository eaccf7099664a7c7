package dev.coach.engine.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static dev.coach.engine.gguf.GgufBytes.ARRAY;
import static dev.coach.engine.gguf.GgufBytes.BOOL;
import static dev.coach.engine.gguf.GgufBytes.I32;
import static dev.coach.engine.gguf.GgufBytes.STRING;
import static dev.coach.engine.gguf.GgufBytes.T_F32;
import static dev.coach.engine.gguf.GgufBytes.T_IQ2_XS;
import static dev.coach.engine.gguf.GgufBytes.T_Q2_K;
import static dev.coach.engine.gguf.GgufBytes.T_Q8_0;
import static dev.coach.engine.gguf.GgufBytes.U32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Broken GGUF files, each made byte by byte, and the error each must give: a {@link GgufException} whose message
 * starts with the file, says what is wrong (the offending value, and its byte offset where the reader knows it) and
 * what to do. Nothing else may escape the reader, and nothing may stay open or mapped after a failure.
 */
class GgufMalformedTest {
    /** Every message ends with something the user can do. */
    private static final Pattern ACTION = Pattern.compile("download|convert|check|give|get |fetch|re-quantize|report");
    private static final AtomicInteger FILES = new AtomicInteger();

    @TempDir
    Path dir;

    Path write(byte[] bytes) throws Exception {
        Path p = dir.resolve("m" + FILES.incrementAndGet() + ".gguf");
        Files.write(p, bytes);
        return p;
    }

    /** Opens {@code p}, expecting failure; checks the message names the file and an action, and returns it. */
    static String error(Path p) {
        GgufException e = assertThrows(GgufException.class, () -> GgufReader.open(p).close());
        String m = e.getMessage();
        assertTrue(m.startsWith(p + ": "), m);
        assertTrue(ACTION.matcher(m).find(), "no advice in: " + m);
        return m;
    }

    String error(byte[] bytes) throws Exception {
        return error(write(bytes));
    }

    static void has(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected \"" + part + "\" in: " + message);
        }
    }

    /** The message of {@link ModelInfo#check} for a file that opens. */
    String checkError(byte[] bytes) throws Exception {
        Path p = write(bytes);
        try (GgufFile f = GgufReader.open(p)) {
            String m = assertThrows(GgufException.class, () -> ModelInfo.check(f)).getMessage();
            assertTrue(m.startsWith(p + ": "), m);
            return m;
        }
    }

    @Test
    void theValidFixtureOpens() throws Exception {
        try (GgufFile f = GgufReader.open(write(GgufBytes.valid().bytes()))) {
            assertEquals(2, f.tensors().size());
            assertEquals(68, f.tensor("blk.0.attn_q.weight").orElseThrow().bytes());
            assertEquals(f.fileSize(), f.dataOffset() + 32 + 68);
            ModelInfo.check(f);
        }
    }

    // ---- the file itself ----

    @Test
    void missingEmptyOrNotAFile() throws Exception {
        Path missing = dir.resolve("nope.gguf");
        has(error(missing), "no such file");
        has(error(dir), "is a directory");
        has(error(new byte[0]), "the file is empty (0 bytes)");
    }

    // ---- truncation, field by field ----

    @Test
    void truncatedInTheMagicOrTheHeader() throws Exception {
        GgufBytes v = GgufBytes.valid();
        has(error(v.cut(2)), "not a GGUF file: it has only 2 bytes (\"GG\")", "truncated");
        has(error(v.cut(v.at("version") + 2)), "the file ends at byte 6, in the middle of the GGUF version", "truncated");
        has(error(v.cut(v.at("tensorCount") + 5)), "in the middle of the tensor count (8 bytes needed at byte 8)");
        has(error(v.cut(v.at("kvCount"))), "in the middle of the metadata entry count");
    }

    @Test
    void truncatedInAMetadataKeyOrValue() throws Exception {
        GgufBytes v = GgufBytes.valid();
        int key = v.at("kv:llama.block_count");
        has(error(v.cut(key + 3)), "in the middle of the length of the key of metadata entry 1 (of 4)");
        has(error(v.cut(key + 8 + 5)), "the key of metadata entry 1 (of 4) claims to be 17 bytes long (length at byte " + key + ")",
                "but only 5 bytes left in the file", "truncated");
        has(error(v.cut(v.at("type:llama.block_count") + 1)), "in the middle of the value type of 'llama.block_count'");
        has(error(v.cut(v.at("value:llama.block_count") + 2)), "in the middle of the value of 'llama.block_count'");
        int arch = v.at("value:general.architecture");
        has(error(v.cut(arch + 8 + 2)), "the value of 'general.architecture' claims to be 5 bytes long (length at byte " + arch + ")");
    }

    @Test
    void truncatedInAnArray() throws Exception {
        GgufBytes v = GgufBytes.valid();
        int tokens = v.at("value:tokenizer.ggml.tokens");
        has(error(v.cut(tokens + 2)), "in the middle of the item type of array 'tokenizer.ggml.tokens'");
        has(error(v.cut(tokens + 4 + 6)), "in the middle of the length of array 'tokenizer.ggml.tokens'");
        // three strings of at least 8 bytes each do not fit in what is left
        has(error(v.cut(tokens + 12 + 9)), "metadata array 'tokenizer.ggml.tokens' claims 3 items of type string",
                "could hold at most 1", "truncated or corrupt");
        has(error(v.cut(tokens + 12 + 8 + 3 + 8 + 1 + 4)), "the length of item 2 of array 'tokenizer.ggml.tokens'");
        int scores = v.at("value:tokenizer.ggml.scores");
        has(error(v.cut(scores + 12 + 9)), "metadata array 'tokenizer.ggml.scores' claims 3 items of type float32");
    }

    @Test
    void truncatedInTheTensorTable() throws Exception {
        GgufBytes v = GgufBytes.valid();
        int q = v.at("tensor:blk.0.attn_q.weight");
        String name = "blk.0.attn_q.weight";
        has(error(v.cut(q + 4)), "in the middle of the length of the name of tensor 1 (of 2) in the tensor table");
        has(error(v.cut(q + 8 + name.length() + 2)), "in the middle of the dimension count of tensor '" + name + "'");
        has(error(v.cut(q + 8 + name.length() + 4 + 8 + 3)), "in the middle of dimension 1 of tensor '" + name + "'");
        has(error(v.cut(v.at("offset:" + name) + 7)), "in the middle of the data offset of tensor '" + name + "'");
        // the table is complete but the file stops before the padding that starts the data section
        has(error(v.cut(v.at("tableEnd") + 1)), "the tensor table ends at byte " + v.at("tableEnd"),
                "the tensor data should start at byte " + v.at("data"), "truncated");
    }

    @Test
    void truncatedInTheTensorData() throws Exception {
        GgufBytes v = GgufBytes.valid();
        int data = v.at("data");
        has(error(v.cut(v.size() - 1)), "tensor 'blk.0.attn_q.weight' (Q8_0, shape [32, 2], 68 bytes) needs bytes " + (data + 32)
                + " to " + (data + 100) + " of the file, but the file ends at byte " + (data + 99), "truncated");
        // cut inside the first tensor: the second tensor now starts past the end
        has(error(v.cut(data + 10)), "tensor 'token_embd.weight' (F32, shape [8], 32 bytes) needs bytes " + data);
    }

    @Test
    void aFileCutAtEveryByteFailsCleanly() throws Exception {
        byte[] full = GgufBytes.valid().bytes();
        for (int n = 1; n < full.length; n++) {
            String m = error(Arrays.copyOf(full, n));
            assertTrue(m.contains("truncated"), "cut at " + n + ": " + m);
        }
    }

    // ---- not GGUF at all ----

    @Test
    void wrongMagicWithAHintAtWhatTheFileIs() throws Exception {
        has(error("hello, world\n".getBytes()), "not a GGUF file (it starts with \"hell\", a GGUF file starts with \"GGUF\")");
        GgufBytes safetensors = new GgufBytes();
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        safetensors.u64(json.length()).ascii(json).zeros(4);
        has(error(safetensors.bytes()), "looks like a safetensors file", "convert_hf_to_gguf.py");
        has(error(new GgufBytes().raw((byte) 'P', (byte) 'K', (byte) 3, (byte) 4).zeros(40).bytes()), "starts with \"PK\\x03\\x04\"",
                "PyTorch checkpoint");
        has(error(new GgufBytes().raw((byte) 0x80, (byte) 2, (byte) 0x8a, (byte) 0x0a).zeros(20).bytes()), "Python pickle");
        has(error(new GgufBytes().ascii("tjgg").u32(3).zeros(40).bytes()), "GGML/GGMF/GGJT", "before GGUF");
        has(error("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n".getBytes()), "Git LFS pointer",
                "git lfs pull");
        has(error("<!DOCTYPE html><html><body>Not found</body></html>".getBytes()), "web page");
    }

    @Test
    void unsupportedVersions() throws Exception {
        has(error(new GgufBytes().header(1, 0, 0).bytes()), "GGUF version 1 is an early format", "versions 2 and 3");
        has(error(new GgufBytes().header(4, 0, 0).bytes()), "GGUF version 4 is newer than coach reads (versions 2 and 3)");
        has(error(new GgufBytes().header(0, 0, 0).bytes()), "the GGUF version is 0");
        has(error(new GgufBytes().header(0x03000000, 0, 0).bytes()), "50331648 (0x03000000)", "big-endian");
        try (GgufFile f = GgufReader.open(write(new GgufBytes().header(2, 0, 0).bytes()))) {
            assertEquals(2, f.version());
            assertTrue(f.tensors().isEmpty() && f.metadata().isEmpty());
        }
    }

    // ---- absurd sizes, refused before anything is allocated for them ----

    /** Bytes this thread allocates while {@code r} runs. */
    static long allocatedBy(Runnable r) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        r.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }

    String absurd(byte[] bytes) throws Exception {
        Path p = write(bytes);
        error(p); // warm up the code paths, so the measurement below sees only this file's cost
        String[] m = new String[1];
        long bytesUsed = allocatedBy(() -> m[0] = error(p));
        assertTrue(bytesUsed < 4 << 20, "allocated " + bytesUsed + " bytes for: " + m[0]);
        return m[0];
    }

    @Test
    void absurdCounts() throws Exception {
        has(absurd(new GgufBytes().header(3, 1L << 62, 0).zeros(64).bytes()),
                "the header says the file holds 4611686018427387904 tensors (at byte 8); coach accepts at most 1048576",
                "the 64 bytes after the header could hold at most 2", "corrupt");
        has(absurd(new GgufBytes().header(3, 0, 1L << 62).zeros(64).bytes()), "4611686018427387904 metadata entries (at byte 16)");
        has(absurd(new GgufBytes().header(3, -1, 0).bytes()), "18446744073709551615 tensors");
        GgufBytes longString = new GgufBytes().header(3, 0, 1);
        longString.mark("len").u64(1L << 40).ascii("general.name").zeros(16);
        has(absurd(longString.bytes()), "the key of metadata entry 0 (of 1) claims to be 1099511627776 bytes long (length at byte 24)");
        GgufBytes longArray = new GgufBytes().header(3, 0, 1).key("a", ARRAY).u32(U32);
        int at = longArray.size();
        longArray.u64(1L << 50).zeros(64);
        has(absurd(longArray.bytes()), "metadata array 'a' claims 1125899906842624 items of type uint32 (length at byte " + at + ")",
                "could hold at most 16");
        GgufBytes nested = new GgufBytes().header(3, 0, 1).key("n", ARRAY);
        int item = nested.size();
        nested.u32(ARRAY).u64(1).u32(ARRAY).u64(1).u32(U32).u64(1).u32(7);
        has(absurd(nested.bytes()), "metadata key 'n' is an array of arrays (item type at byte " + item + ")", "nested arrays");
    }

    @Test
    void countsThatFitTheFileButNoRealModel() throws Exception {
        // a sparse 40 MiB file has room for 2^20 + 1 tensor entries on paper; coach refuses that many outright
        Path p = write(new GgufBytes().header(3, (1L << 20) + 1, 0).bytes());
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(40L << 20);
        }
        has(error(p), "the header says the file holds 1048577 tensors (at byte 8); coach accepts at most 1048576",
                "could hold at most 1310719");
    }

    @Test
    void unknownValueTypes() throws Exception {
        GgufBytes t = new GgufBytes().header(3, 0, 1).key("k", 13);
        t.u32(0);
        has(error(t.bytes()), "metadata key 'k' has value type 13 (at byte " + t.at("type:k") + "), which GGUF does not define");
        GgufBytes items = new GgufBytes().header(3, 0, 1).key("k", ARRAY);
        int at = items.size();
        items.u32(0xffffffffL).u64(0);
        has(error(items.bytes()), "metadata array 'k' has item type 4294967295 (at byte " + at + "), which GGUF does not define");
        GgufBytes bool = new GgufBytes().header(3, 0, 1).key("flag", BOOL).u8(2);
        has(error(bool.bytes()), "'flag' is a bool with value 2 at byte " + (bool.size() - 1));
        GgufBytes bools = new GgufBytes().header(3, 0, 1).key("flags", ARRAY).u32(BOOL).u64(3).u8(1).u8(0).u8(9);
        has(error(bools.bytes()), "item 2 of bool array 'flags' is 9 (at byte " + (bools.size() - 1) + ";");
    }

    @Test
    void badStringsAndKeys() throws Exception {
        has(error(new GgufBytes().header(3, 0, 1).str("").u32(U32).u32(1).bytes()), "metadata entry 0 (at byte 24) has an empty key");
        GgufBytes utf = new GgufBytes().header(3, 0, 1).u64(2).raw((byte) 0xc3, (byte) 0x28).u32(U32).u32(1);
        has(error(utf.bytes()), "the key of metadata entry 0 (of 1) (2 bytes at byte 32) is not valid UTF-8");
        GgufBytes dup = new GgufBytes().header(3, 0, 3).kvU32("a", 1).kvU32("b", 2).kvStr("a", "x");
        has(error(dup.bytes()), "metadata key 'a' appears twice (entries 0 and 2, the second at byte " + dup.at("kv:a") + ")");
    }

    // ---- alignment ----

    @Test
    void badAlignment() throws Exception {
        has(error(new GgufBytes().header(3, 0, 1).kvU32("general.alignment", 0).bytes()), "general.alignment is 0, which is not a power of two");
        has(error(new GgufBytes().header(3, 0, 1).kvU32("general.alignment", 48).bytes()), "general.alignment is 48, which is not a power of two");
        has(error(new GgufBytes().header(3, 0, 1).key("general.alignment", I32).u32(32).bytes()),
                "general.alignment is an int32 (32), but GGUF requires a uint32");
        has(error(new GgufBytes().header(3, 0, 1).kvU32("general.alignment", 1L << 31).bytes()),
                "general.alignment is 2147483648, more than coach accepts");
        // a valid custom alignment moves the data section
        GgufBytes b = new GgufBytes().header(3, 1, 1).kvU32("general.alignment", 64).tensor("t", T_F32, 0, 4).pad(64).zeros(16);
        try (GgufFile f = GgufReader.open(write(b.bytes()))) {
            assertEquals(64, f.alignment());
            assertEquals(b.at("data"), f.dataOffset());
        }
    }

    // ---- the tensor table ----

    /** A file with one tensor entry as given and 64 bytes of data after the aligned table. */
    static GgufBytes oneTensor(String name, int type, long offset, long... shape) {
        return new GgufBytes().header(3, 1, 0).tensor(name, type, offset, shape).pad(32).zeros(64);
    }

    @Test
    void badDimensions() throws Exception {
        has(error(oneTensor("w", T_F32, 0).bytes()), "tensor 'w' has 0 dimensions (at byte 33); ggml tensors have 1 to 4");
        has(error(oneTensor("w", T_F32, 0, 1, 1, 1, 1, 1).bytes()), "tensor 'w' has 5 dimensions");
        has(error(oneTensor("w", T_F32, 0, 4, 0).bytes()), "tensor 'w' has size 0 in dimension 1 (at byte 45)");
        has(error(oneTensor("w", T_F32, 0, -1L).bytes()), "tensor 'w' has size -1 in dimension 0 (at byte 37, 18446744073709551615 read as unsigned)");
        has(error(oneTensor("w", T_F32, 0, 1L << 32, 1L << 32).bytes()),
                "tensor 'w' has shape [4294967296, 4294967296], more elements than a 64-bit count holds");
        // the element count fits, the byte count does not
        has(error(oneTensor("w", T_F32, 0, 1L << 31, 1L << 31).bytes()), "tensor 'w' of type F32 and shape [2147483648, 2147483648] "
                + "would take more bytes than a 64-bit size holds");
    }

    @Test
    void rowsMustFillWholeBlocks() throws Exception {
        has(error(oneTensor("q", T_Q8_0, 0, 48, 2).bytes()),
                "tensor 'q' has type Q8_0, which stores values in blocks of 32, but its rows have 48 values (shape [48, 2]), not a multiple of 32");
        // 64 values in all, but the rows are 16 long: llama.cpp checks the row, not the total
        has(error(oneTensor("q", T_Q8_0, 0, 16, 4).bytes()), "its rows have 16 values");
    }

    @Test
    void unknownRetiredAndUnsupportedTensorTypes() throws Exception {
        has(error(oneTensor("x", 99, 0, 32).bytes()), "tensor 'x' has ggml type number 99 (at byte 45), which coach does not know (it knows types 0 to 42)");
        has(error(oneTensor("x", 31, 0, 32).bytes()), "tensor 'x' has ggml type 31 (Q4_0_4_4, at byte 45)", "coach supports F32, F16");
        // Q2_K and IQ2_XS are real ggml types: the file opens (coach model info can show it) but cannot be run
        for (int type : new int[] {T_Q2_K, T_IQ2_XS}) {
            String name = type == T_Q2_K ? "Q2_K" : "IQ2_XS";
            byte[] file = new GgufBytes().header(3, 1, 1).kvStr("general.architecture", "llama").tensor("blk.0.ffn_up.weight", type, 0, 256)
                    .pad(32).zeros(128).bytes();
            has(checkError(file), "tensor 'blk.0.ffn_up.weight' has type " + name + ", which coach does not support",
                    "supported types: F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K, BF16", "re-quantize");
        }
    }

    @Test
    void badTensorNames() throws Exception {
        GgufBytes dup = new GgufBytes().header(3, 2, 0).tensor("w", T_F32, 0, 4).tensor("w", T_F32, 32, 4).pad(32).zeros(64);
        has(error(dup.bytes()), "two tensors are named 'w' (tensors 0 and 1 of the tensor table, the second at byte 57)");
        String long64 = "x".repeat(64);
        has(error(oneTensor(long64, T_F32, 0, 4).bytes()), "tensor 0 (at byte 24) has a 64-byte name", "at most 63 bytes");
        try (GgufFile f = GgufReader.open(write(oneTensor("y".repeat(63), T_F32, 0, 4).bytes()))) {
            assertEquals(63, f.tensors().get(0).name().length());
        }
    }

    @Test
    void badTensorOffsets() throws Exception {
        has(error(oneTensor("w", T_F32, 4, 4).bytes()), "tensor 'w' has data offset 4, not a multiple of the file's alignment 32 "
                + "(the default, as general.alignment is not set)");
        GgufBytes past = oneTensor("w", T_F32, 1L << 40, 4);
        has(error(past.bytes()), "tensor 'w' has data offset 1099511627776 (from the data section at byte " + past.at("data")
                + "), past the end of the file (" + past.size() + " bytes)");
        has(error(oneTensor("w", T_F32, -32, 4).bytes()), "tensor 'w' has data offset 18446744073709551584");
        // starts inside the file but runs past its end
        GgufBytes over = oneTensor("w", T_F32, 32, 16);
        has(error(over.bytes()), "tensor 'w' (F32, shape [16], 64 bytes) needs bytes " + (over.at("data") + 32) + " to "
                + (over.at("data") + 96) + " of the file, but the file ends at byte " + over.size());
    }

    @Test
    void overlappingTensors() throws Exception {
        GgufBytes b = new GgufBytes().header(3, 3, 0).tensor("a", T_F32, 0, 8).tensor("b", T_F32, 64, 8).tensor("c", T_F32, 32, 16)
                .pad(32).zeros(128);
        has(error(b.bytes()), "tensors 'c' (data bytes 32 to 96) and 'b' (data bytes 64 to 96) overlap");
        // one tensor inside another that started earlier
        GgufBytes inside = new GgufBytes().header(3, 2, 0).tensor("big", T_F32, 0, 64).tensor("small", T_F32, 64, 8).pad(32).zeros(256);
        has(error(inside.bytes()), "tensors 'big' (data bytes 0 to 256) and 'small' (data bytes 64 to 96) overlap");
        // touching is fine, and so are gaps and any order
        GgufBytes ok = new GgufBytes().header(3, 2, 0).tensor("a", T_F32, 64, 8).tensor("b", T_F32, 0, 16).pad(32).zeros(128);
        try (GgufFile f = GgufReader.open(write(ok.bytes()))) {
            assertEquals(2, f.tensors().size());
        }
    }

    @Test
    void aTensorPastTwoGibibytes() throws Exception {
        long offset = (5L << 29); // 2.5 GiB
        GgufBytes b = oneTensor("far", T_F32, offset, 8);
        Path p = write(b.cut(b.at("data")));
        long start = b.at("data") + offset;
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(start + 32); // sparse: the gap takes no disk space
            f.seek(start);
            for (int i = 0; i < 8; i++) {
                f.writeInt(Integer.reverseBytes(Float.floatToIntBits(i * 0.5f)));
            }
        }
        try (GgufFile f = GgufReader.open(p)) {
            GgufTensor t = f.tensor("far").orElseThrow();
            assertEquals(offset, t.offset());
            float[] out = new float[8];
            dev.coach.engine.tensor.Dequant.row(GgmlType.F32, t.data(), 0, 8, out, 0);
            assertEquals(3.5f, out[7]);
        }
        // the same offset in a file that stops short of it
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(start + 16);
        }
        has(error(p), "tensor 'far' (F32, shape [8], 32 bytes) needs bytes " + start + " to " + (start + 32));
    }

    // ---- model-level checks on files that parse ----

    @Test
    void aKeyTheEngineReadsWithTheWrongType() throws Exception {
        byte[] file = new GgufBytes().header(3, 0, 2).kvStr("general.architecture", "llama").kvStr("llama.block_count", "two").bytes();
        has(checkError(file), "metadata key 'llama.block_count' is a string (\"two\"), but coach needs an integer");
        byte[] eps = new GgufBytes().header(3, 0, 2).kvStr("general.architecture", "qwen3")
                .key("qwen3.attention.layer_norm_rms_epsilon", BOOL).u8(1).bytes();
        has(checkError(eps), "metadata key 'qwen3.attention.layer_norm_rms_epsilon' is a bool (true), but coach needs a number");
        byte[] tokens = new GgufBytes().header(3, 0, 2).kvStr("general.architecture", "llama").kvFloats("tokenizer.ggml.tokens", 1f)
                .bytes();
        has(checkError(tokens), "metadata key 'tokenizer.ggml.tokens' is an array of float32 (1 items), but coach needs an array of strings");
        byte[] arch = new GgufBytes().header(3, 0, 1).kvU32("general.architecture", 7).bytes();
        has(checkError(arch), "metadata key 'general.architecture' is a uint32 (7), but coach needs a string");
    }

    @Test
    void anUnknownArchitectureIsNamedWithTheSupportedList() throws Exception {
        has(checkError(new GgufBytes().header(3, 0, 1).kvStr("general.architecture", "mamba").bytes()),
                "architecture 'mamba' is not supported; coach runs llama, qwen2, qwen3, phi3, gemma2, gemma3");
        has(checkError(new GgufBytes().header(3, 0, 0).bytes()), "no general.architecture in the metadata");
    }

    // ---- nothing leaks ----

    @Test
    void failuresCloseTheFileAndTheMapping() throws Exception {
        var os = (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        GgufBytes v = GgufBytes.valid();
        Path truncatedData = write(v.cut(v.size() - 1)); // fails last, after everything is mapped and parsed
        Path badMagic = write("not a model at all".getBytes());
        Path badType = write(oneTensor("x", 99, 0, 32).bytes());
        Path[] bad = {truncatedData, badMagic, badType};
        for (int i = 0; i < 50; i++) {
            error(bad[i % 3]);
        }
        long before = os.getOpenFileDescriptorCount();
        for (int i = 0; i < 2000; i++) {
            assertThrows(GgufException.class, () -> GgufReader.open(bad[0]));
        }
        for (int i = 0; i < 300; i++) {
            Path p = bad[1 + i % 2];
            assertThrows(GgufException.class, () -> GgufReader.open(p));
        }
        long after = os.getOpenFileDescriptorCount();
        assertTrue(after - before < 10, "open file descriptors went from " + before + " to " + after);
        String maps = Files.readString(Path.of("/proc/self/maps"));
        for (Path p : bad) {
            assertFalse(maps.contains(p.toString()), p + " is still mapped");
        }
        // and a file that opened is unmapped by close
        Path good = write(v.bytes());
        GgufReader.open(good).close();
        assertFalse(Files.readString(Path.of("/proc/self/maps")).contains(good.toString()));
    }

    @Test
    void randomCorruptionGivesOnlyGgufExceptions() throws Exception {
        byte[] full = GgufBytes.valid().bytes();
        Random random = new Random(42);
        int opened = 0;
        for (int round = 0; round < 300; round++) {
            byte[] b = full.clone();
            int flips = 1 + random.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = random.nextInt(b.length);
                // bias towards the fields that matter: lengths, counts and types are small little-endian numbers
                b[at] = switch (random.nextInt(4)) {
                    case 0 -> (byte) 0xff;
                    case 1 -> 0;
                    case 2 -> (byte) (b[at] + 1);
                    default -> (byte) random.nextInt(256);
                };
            }
            Path p = write(b); // a new file each round: rewriting one just unmapped is slower
            try (GgufFile f = GgufReader.open(p)) {
                opened++;
                f.metadata().values().forEach(String::valueOf);
            } catch (GgufException e) {
                assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
                assertFalse(e.getMessage().contains("unexpected"), e.getMessage());
            } catch (Throwable t) {
                fail("round " + round + ": " + t, t);
            }
        }
        assertTrue(opened > 0 && opened < 300, "opened " + opened);
    }
}
