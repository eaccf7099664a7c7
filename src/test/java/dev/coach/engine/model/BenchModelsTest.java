package dev.coach.engine.model;

import dev.coach.engine.gguf.GgmlType;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import dev.coach.engine.gguf.GgufTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark models: the real 1B layout is checked from its header alone (the file is made sparse, so nothing
 * close to a gigabyte is generated), and the streaming writer is checked on a small model of the same kind.
 */
class BenchModelsTest {

    @TempDir
    Path dir;

    /** Per layer: q and o 2048x2048, k and v 2048x512, gate, up and down 2048x8192; plus the 2048x128256 output. */
    private static final long MATRIX_ELEMENTS_PER_TOKEN = 16L * (2 * 2048 * 2048 + 2 * 2048 * 512 + 3 * 2048 * 8192) + 2048L * 128256;
    /** 33 norms of 2048 F32 values and 32 RoPE factors. */
    private static final long F32_BYTES = 33L * 2048 * 4 + 32 * 4;

    @Test
    void weightBytesPerTokenFollowFromTheShapesAndBlockSizes() {
        assertEquals(MATRIX_ELEMENTS_PER_TOKEN / 32 * 18 + F32_BYTES, BenchModels.weightBytesPerToken(GgmlType.Q4_0));
        assertEquals(MATRIX_ELEMENTS_PER_TOKEN / 32 * 34 + F32_BYTES, BenchModels.weightBytesPerToken(GgmlType.Q8_0));
        assertEquals(MATRIX_ELEMENTS_PER_TOKEN / 256 * 144 + F32_BYTES, BenchModels.weightBytesPerToken(GgmlType.Q4_K));
        assertEquals(695_378_048L, BenchModels.weightBytesPerToken(GgmlType.Q4_0));
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_0", "Q8_0", "Q4_K"})
    void aPromptTokenMultipliesEveryLayerWeightOnceButNotTheOutputMatrix(GgmlType type) {
        long layers = 16L * (2 * 2048 * 2048 + 2 * 2048 * 512 + 3 * 2048 * 8192);
        assertEquals(layers, BenchModels.promptMultiplyAddsPerToken(type));
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q8_0", "Q4_K"})
    void theOneBillionLayoutReadsBackAsLlama32OneB(GgmlType type) throws IOException {
        BenchModels.Layout l = BenchModels.layout1b(type);
        Path p = dir.resolve(BenchModels.fileName(type));
        Files.write(p, l.header());
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(BenchModels.fileSize(type)); // zero weights, sparse on disk
        }
        try (GgufFile g = GgufReader.open(p)) {
            assertEquals("llama", g.architecture().orElseThrow());
            assertEquals(2048, g.requireInt("llama.embedding_length"));
            assertEquals(16, g.requireInt("llama.block_count"));
            assertEquals(32, g.requireInt("llama.attention.head_count"));
            assertEquals(8, g.requireInt("llama.attention.head_count_kv"));
            assertEquals(8192, g.requireInt("llama.feed_forward_length"));
            assertEquals("llama-bpe", g.requireString("tokenizer.ggml.pre"));
            List<String> tokens = g.stringArray("tokenizer.ggml.tokens");
            assertEquals(128_256, tokens.size());
            assertEquals("<|begin_of_text|>", tokens.get(g.requireInt("tokenizer.ggml.bos_token_id")));
            assertEquals(128_000, g.requireInt("tokenizer.ggml.bos_token_id"));
            assertEquals("<|eot_id|>", tokens.get(g.requireInt("tokenizer.ggml.eos_token_id")));
            assertEquals(128_256, g.intArray("tokenizer.ggml.token_type").length);

            assertEquals(4 + 16 * 9, g.tensors().size()); // token_embd, rope_freqs, output_norm, output; 9 per layer
            assertArrayEquals(new long[] {2048, 128256}, g.tensor("output.weight").orElseThrow().shape());
            assertArrayEquals(new long[] {2048, 128256}, g.tensor("token_embd.weight").orElseThrow().shape());
            assertArrayEquals(new long[] {2048, 512}, g.tensor("blk.15.attn_k.weight").orElseThrow().shape());
            assertArrayEquals(new long[] {8192, 2048}, g.tensor("blk.0.ffn_down.weight").orElseThrow().shape());
            assertArrayEquals(new long[] {32}, g.tensor("rope_freqs.weight").orElseThrow().shape());
            long perToken = 0;
            long layerElements = 0;
            for (GgufTensor t : g.tensors()) {
                assertEquals(t.shape().length == 2 ? type : GgmlType.F32, t.type(), t.name());
                if (!t.name().equals("token_embd.weight")) {
                    perToken += t.bytes();
                }
                if (t.name().startsWith("blk.") && t.shape().length == 2) {
                    layerElements += t.shape()[0] * t.shape()[1];
                }
            }
            assertEquals(BenchModels.weightBytesPerToken(type), perToken);
            assertEquals(BenchModels.promptMultiplyAddsPerToken(type), layerElements);
            GgufTensor last = g.tensors().getLast();
            assertEquals(g.fileSize(), g.dataOffset() + last.offset() + last.bytes());
        }
    }

    @Test
    void theVocabularyIsUniqueWithBytesFirstAndLlama3SpecialsLast() {
        BenchModels.Vocab v = BenchModels.vocab(BenchModels.N_VOCAB);
        assertEquals(128_256, v.tokens().size());
        assertEquals(128_256, new HashSet<>(v.tokens()).size());
        assertEquals("Ġ", v.tokens().get(' ')); // GPT-2's printable stand-in for the space byte
        assertEquals("<|end_of_text|>", v.tokens().get(128_001));
        assertEquals("<|start_header_id|>", v.tokens().get(128_006));
        assertEquals("<|reserved_special_token_0|>", v.tokens().get(128_002));
        for (int i = 0; i < 128_256; i++) {
            assertEquals(i >= 128_000 ? FixtureVocab.CONTROL : FixtureVocab.NORMAL, v.types().get(i), "type of token " + i);
        }
        assertTrue(v.merges().size() >= 30, "merges: " + v.merges().size());
    }

    /** Llama 3.2 frequency factors: 1 for fast rotations, 32 for slow ones, rising in between. */
    @Test
    void ropeFactorsRiseFromOneToThirtyTwo() {
        float[] f = BenchModels.llama3RopeFactors(64, 500_000);
        assertEquals(32, f.length);
        assertEquals(1f, f[0]);
        assertEquals(32f, f[31]);
        for (int i = 1; i < f.length; i++) {
            assertTrue(f[i] >= f[i - 1], "factor " + i);
        }
        // wavelength 2*pi*500000^(2i/64) passes 8192/4 = 2048 at i = 14.1 and 8192 at i = 17.5
        assertEquals(1f, f[14]);
        assertTrue(f[15] > 1f && f[17] < 32f, f[15] + " " + f[17]);
        assertEquals(32f, f[18]);
    }

    /** A small model of the same kind: every tensor's bytes equal one uninterrupted draw of its random stream. */
    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q8_0", "Q4_K"})
    void chunkedWritingGivesTheSameBytesAsOneDraw(GgmlType type) throws IOException {
        FixtureModels.Dims small = new FixtureModels.Dims(256, 2, 4, 2, 64, 512, 4096);
        BenchModels.Layout l = BenchModels.layout(type, small, 1024);
        Path p = BenchModels.write(l, dir.resolve("small.gguf"), 4096);
        assertEquals(l.fileSize(), Files.size(p));
        assertTrue(Files.notExists(dir.resolve("small.gguf.part")));
        try (GgufFile g = GgufReader.open(p)) {
            assertEquals(1024, g.stringArray("tokenizer.ggml.tokens").size());
            assertEquals(1024 - 256, g.requireInt("tokenizer.ggml.bos_token_id"));
            assertEquals(l.tensors().size(), g.tensors().size());
            for (BenchModels.TensorSpec s : l.tensors()) {
                GgufTensor t = g.tensor(s.name()).orElseThrow();
                assertArrayEquals(s.shape(), t.shape(), s.name());
                byte[] expected = s.values() != null ? RandomWeights.f32Bytes(s.values())
                        : RandomWeights.generate(type, s.elements(), s.sigma(), BenchModels.rng(s.name()));
                assertArrayEquals(expected, t.data().toArray(ValueLayout.JAVA_BYTE), s.name());
            }
        }
        // a file of the right size is kept as it is
        long modified = Files.getLastModifiedTime(p).toMillis();
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(modified - 60_000));
        BenchModels.write(l, p, 4096);
        assertEquals(modified - 60_000, Files.getLastModifiedTime(p).toMillis());
    }
}
