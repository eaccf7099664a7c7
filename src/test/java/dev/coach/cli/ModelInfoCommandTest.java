package dev.coach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coach.engine.gguf.GgufWriter;
import dev.coach.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelInfoCommandTest {
    @TempDir
    Path dir;

    Path model(String arch, int qType) throws Exception {
        Path p = dir.resolve(arch + qType + ".gguf");
        Files.write(p, new GgufWriter().string("general.architecture", arch).string("general.name", "tiny")
                .put(arch + ".context_length", 4, 2048).string("tokenizer.ggml.model", "gpt2")
                .string("tokenizer.chat_template", "{{ messages }}")
                .tensor("token_embd.weight", 0, new byte[4 * 64], 64)
                .tensor("blk.0.ffn_up.weight", qType, new byte[qType == 8 ? 34 * 8 : 66 * 8], qType == 8 ? 256 : 2048)
                .bytes());
        return p;
    }

    @Test
    void infoShowsArchitectureParametersAndTheTypeMix() throws Exception {
        CliRun r = CliRun.of("model", "info", model("qwen3", 8).toString(), "--json");
        assertEquals(0, r.exitCode(), r.err() + r.out());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertEquals("qwen3", doc.get("info").get("architecture").asText());
        assertEquals(64 + 256, doc.get("info").get("parameters").asLong());
        assertEquals(256, doc.get("info").get("typeMix").get("Q8_0").asLong());
        assertEquals(2048, doc.get("info").get("contextLength").asLong());
        assertTrue(doc.get("info").get("chatTemplate").asBoolean());
        assertTrue(doc.get("runnable").asBoolean());
        CliRun text = CliRun.of("model", "info", model("qwen3", 8).toString());
        assertTrue(text.out().contains("architecture   qwen3") && text.out().contains("Q8_0"), text.out());
    }

    @Test
    void anUnsupportedArchitectureOrTensorTypeIsNamed() throws Exception {
        CliRun arch = CliRun.of("model", "info", model("mamba", 8).toString());
        assertEquals(1, arch.exitCode());
        assertTrue(arch.out().contains("architecture 'mamba' is not supported; coach runs llama, qwen2, qwen3, phi3, gemma2, gemma3"),
                arch.out());
        CliRun type = CliRun.of("model", "info", model("llama", 16).toString());
        assertEquals(1, type.exitCode());
        assertTrue(type.out().contains("tensor 'blk.0.ffn_up.weight' has type IQ2_XXS, which coach does not support"), type.out());
    }

    @Test
    void aBrokenFileIsAnInputError() throws Exception {
        Path p = dir.resolve("bad.gguf");
        Files.writeString(p, "this is not a model");
        CliRun r = CliRun.of("model", "info", p.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not a GGUF file"), r.err());
        assertFalse(r.err().contains("Exception"));
    }
}
