package dev.coach.engine.model;

import dev.coach.engine.gguf.GgmlType;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import dev.coach.engine.gguf.GgufTensor;
import dev.coach.engine.tensor.Dequant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fixture model regenerates byte for byte, reads back with our GGUF reader, and is the very file its
 * committed llama.cpp reference was made from.
 */
class FixtureModelsTest {

    @TempDir
    Path dir;

    /** Each fixture's bytes, made once for all tests of this class. */
    private static final Map<String, byte[]> BYTES = new ConcurrentHashMap<>();

    static List<String> names() {
        return FixtureModels.NAMES;
    }

    private static byte[] bytes(String name) {
        return BYTES.computeIfAbsent(name, FixtureModels::bytes);
    }

    private Path write(String name) throws Exception {
        Path p = dir.resolve(name + ".gguf");
        if (!Files.exists(p)) {
            Files.write(p, bytes(name));
        }
        return p;
    }

    @ParameterizedTest
    @MethodSource("names")
    void regeneratesByteIdenticallyAndMatchesItsReference(String name) throws Exception {
        byte[] first = bytes(name);
        byte[] second = FixtureModels.bytes(name);
        String sha = FixtureModels.sha256(first);
        assertEquals(sha, FixtureModels.sha256(second), name + " is not deterministic");

        ReferenceLogits ref = ReferenceLogits.load(name);
        assertEquals(ref.sha256(), sha, name + ": the committed reference logits were made from a different file ("
                + ref.bytes() + " bytes, sha256 " + ref.sha256() + ") than FixtureModels now writes (" + first.length
                + " bytes, sha256 " + sha + "); if the generator changed on purpose, run scripts/engine-reference/regen-logits.sh "
                + "and commit src/test/resources/engine/reference/");
        assertEquals(ref.bytes(), first.length);
    }

    @ParameterizedTest
    @MethodSource("names")
    void loadsWithOurReader(String name) throws Exception {
        Path p = write(name);
        FixtureModels.Fixture fx = FixtureModels.fixture(name);
        try (GgufFile f = GgufReader.open(p)) {
            assertEquals(3, f.version());
            String arch = f.architecture().orElseThrow();
            assertEquals(fx.architecture(), arch);
            long layers = f.integer(arch + ".block_count").orElseThrow();
            long embd = f.integer(arch + ".embedding_length").orElseThrow();
            assertTrue(f.integer(arch + ".attention.head_count").isPresent());
            assertTrue(f.integer(arch + ".feed_forward_length").isPresent());
            assertTrue(f.metadata().get(arch + ".attention.layer_norm_rms_epsilon") instanceof Float);

            @SuppressWarnings("unchecked")
            List<Object> tokens = (List<Object>) f.metadata().get("tokenizer.ggml.tokens");
            ReferenceLogits ref = ReferenceLogits.load(name);
            assertEquals(tokens.size(), ref.vocabSize(), "the reference covers the whole vocabulary");
            assertEquals(f.integer("tokenizer.ggml.bos_token_id").orElseThrow().intValue(), ref.prompt()[0], "the prompt starts with BOS");

            GgufTensor embdT = f.tensor("token_embd.weight").orElseThrow();
            assertEquals(embd, embdT.shape()[0]);
            assertEquals(tokens.size(), embdT.shape()[1]);
            Set<String> seen = new HashSet<>();
            for (GgufTensor t : f.tensors()) {
                assertTrue(seen.add(t.name()), "duplicate tensor " + t.name());
                assertTrue(t.type().supported(), t.name() + " has unsupported type " + t.type());
                assertEquals(t.type().bytesFor(t.elements()), t.bytes(), t.name() + " byte size");
                if (t.shape().length == 2) {
                    assertEquals(0, t.shape()[0] % t.type().blockSize(), t.name() + ": rows must be whole blocks");
                } else {
                    assertEquals(GgmlType.F32, t.type(), t.name() + ": 1-D tensors are F32");
                }
                // the first row (or all of a vector) decodes to finite, moderate values
                float[] x = new float[(int) t.shape()[0]];
                Dequant.row(t.type(), t.data(), 0, x.length, x, 0);
                for (float v : x) {
                    assertTrue(Float.isFinite(v) && Math.abs(v) < 100, t.name() + " holds " + v);
                }
            }
            for (int i = 0; i < layers; i++) {
                assertTrue(f.tensor("blk." + i + ".attn_norm.weight").isPresent());
                assertTrue(f.tensor("blk." + i + ".ffn_down.weight").isPresent());
            }
            assertFalse(f.tensor("blk." + layers + ".attn_norm.weight").isPresent());
        }
    }

    @Test
    void everyArchitectureAndWeightTypeIsCovered() throws Exception {
        Set<String> archs = new HashSet<>();
        Set<GgmlType> types = new HashSet<>();
        for (String n : FixtureModels.NAMES) {
            archs.add(FixtureModels.fixture(n).architecture());
            Path p = write(n);
            try (GgufFile f = GgufReader.open(p)) {
                f.tensors().forEach(t -> types.add(t.type()));
            }
        }
        assertEquals(Set.of("llama", "qwen2", "qwen3", "phi3", "gemma2", "gemma3"), archs);
        assertEquals(Set.copyOf(GgmlType.supportedTypes()), types);
        assertTrue(Files.size(dir.resolve("llama-f32.gguf")) < 8_000_000);
    }

    @Test
    void writeCreatesTheDirectoryAndNamesTheFile() throws Exception {
        Path p = FixtureModels.write("llama-q4_0", dir.resolve("a/b"));
        assertEquals(dir.resolve("a/b/llama-q4_0.gguf"), p);
        assertEquals(FixtureModels.sha256(bytes("llama-q4_0")), FixtureModels.sha256(Files.readAllBytes(p)));
    }

    @Test
    void unknownNameIsRejectedWithTheList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FixtureModels.bytes("llama-q9"));
        assertTrue(e.getMessage().contains("llama-q9") && e.getMessage().contains("gemma3-q4_0"), e.getMessage());
    }
}
