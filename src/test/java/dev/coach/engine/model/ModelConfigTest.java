package dev.coach.engine.model;

import dev.coach.engine.gguf.GgufException;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import dev.coach.engine.gguf.GgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hyper-parameters come from the architecture's keys, with a clear error for a file the engine cannot run. */
class ModelConfigTest {
    @TempDir
    Path dir;

    private ModelConfig config(String arch, UnaryOperator<GgufWriter> keys) throws Exception {
        GgufWriter w = new GgufWriter().string("general.architecture", arch)
                .u32(arch + ".block_count", 6).u32(arch + ".embedding_length", 64).u32(arch + ".attention.head_count", 4)
                .u32(arch + ".feed_forward_length", 128).f32(arch + ".attention.layer_norm_rms_epsilon", 1e-6f)
                .tensor("token_embd.weight", 0, new byte[4 * 64 * 10], 64, 10);
        Path p = dir.resolve(arch + System.nanoTime() + ".gguf");
        Files.write(p, keys.apply(w).bytes());
        try (GgufFile f = GgufReader.open(p)) {
            return ModelConfig.from(f);
        }
    }

    @Test
    void defaultsFollowLlamaCpp() throws Exception {
        ModelConfig llama = config("llama", w -> w);
        assertEquals(4, llama.kvHeads(), "no head_count_kv: one KV head per query head");
        assertEquals(16, llama.headDim());
        assertFalse(llama.ropeNeox(), "llama rotates adjacent pairs");
        assertEquals(10000f, llama.ropeBase());
        assertEquals(10, llama.vocabulary(), "the vocabulary is the embedding table's height");

        ModelConfig qwen = config("qwen2", w -> w.u32("qwen2.attention.head_count_kv", 2));
        assertTrue(qwen.ropeNeox());
        assertEquals(2, qwen.kvHeads());

        ModelConfig g3 = config("gemma3", w -> w.u32("gemma3.attention.sliding_window", 512).f32("gemma3.rope.freq_base", 1e6f)
                .string("gemma3.rope.scaling.type", "linear").f32("gemma3.rope.scaling.factor", 8f));
        // pattern 6: layers 0-4 local, layer 5 global
        assertEquals(List.of(true, true, true, true, true, false), List.of(g3.sliding(0), g3.sliding(1), g3.sliding(2), g3.sliding(3),
                g3.sliding(4), g3.sliding(5)));
        assertEquals(10000f, g3.ropeBaseSliding(), "local layers default to base 10000");
        assertEquals(1f, g3.ropeScaleSliding(), "and are not frequency-scaled");
        assertEquals(0.125f, g3.ropeScale());
        assertEquals((float) Math.sqrt(64), g3.embeddingScale());
    }

    @Test
    void whatCannotRunIsNamed() {
        GgufException yarn = assertThrows(GgufException.class, () -> config("qwen2", w -> w.string("qwen2.rope.scaling.type", "yarn")));
        assertTrue(yarn.getMessage().contains("qwen2.rope.scaling.type is 'yarn'"), yarn.getMessage());

        GgufException heads = assertThrows(GgufException.class, () -> config("llama", w -> w.u32("llama.attention.head_count_kv", 3)));
        assertTrue(heads.getMessage().contains("must divide attention.head_count (4) but is 3"), heads.getMessage());

        GgufException perLayer = assertThrows(GgufException.class,
                () -> config("llama", w -> w.int32s("llama.attention.head_count_kv", List.of(2, 2, 4, 2, 2, 2))));
        assertTrue(perLayer.getMessage().contains("differs between layers"), perLayer.getMessage());

        GgufException missing = assertThrows(GgufException.class, () -> config("llama", w -> w.put("llama.feed_forward_length", 8, "128")));
        assertTrue(missing.getMessage().contains("llama.feed_forward_length"), missing.getMessage());
    }

    @Test
    void sameValueForEveryLayerIsAccepted() throws Exception {
        assertEquals(2, config("llama", w -> w.int32s("llama.attention.head_count_kv", List.of(2, 2, 2, 2, 2, 2))).kvHeads());
    }
}
