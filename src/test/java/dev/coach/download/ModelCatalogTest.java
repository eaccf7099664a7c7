package dev.coach.download;

import dev.coach.engine.gguf.ModelInfo;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCatalogTest {

    @Test
    void theShippedCatalogueIsWellFormed() {
        ModelCatalog c = ModelCatalog.builtIn();
        assertTrue(c.entries().size() >= 6, "a handful of models");
        Set<String> names = new HashSet<>();
        Set<String> architectures = new HashSet<>();
        for (CatalogEntry e : c.entries()) {
            assertTrue(names.add(e.name()), "unique name " + e.name());
            assertTrue(ModelInfo.ARCHITECTURES.contains(e.architecture()), e.name() + " runs in coach's engine");
            architectures.add(e.architecture());
            URI u = URI.create(e.url());
            assertEquals("huggingface.co", u.getHost(), e.name());
            assertTrue(u.getPath().contains("/resolve/main/") && u.getPath().endsWith(".gguf"), e.name() + ": a resolve/main link to a GGUF file");
            assertTrue(e.sha256().matches("[0-9a-f]{64}"), e.name());
            assertTrue(e.bytes() > 100_000_000L && e.bytes() < 4_000_000_000L, e.name() + ": a small model");
            assertTrue(e.quantization().matches("Q4_K_M|Q8_0|Q4_0|Q5_K_M|Q6_K|F16"), e.name() + " uses weight types the engine decodes");
            assertFalse(e.source().isBlank() || e.licence().isBlank() || e.description().isBlank(), e.name());
            assertTrue(e.description().length() <= 90, e.name() + ": the description is one short line");
            assertTrue(e.revision() == null || e.revision().matches("[0-9a-f]{40}"), e.name());
            assertEquals(e.name() + ".gguf", e.fileName());
        }
        assertEquals(Set.copyOf(ModelInfo.ARCHITECTURES), architectures, "every architecture the engine runs has a model to try");
    }

    @Test
    void namesAreFoundIgnoringCaseAndTyposGetSuggestions() {
        ModelCatalog c = ModelCatalog.builtIn();
        assertEquals("qwen2.5-1.5b", c.find("Qwen2.5-1.5B").orElseThrow().name());
        assertTrue(c.find("qwen9").isEmpty());
        assertEquals("qwen2.5-1.5b", c.similar("qwen2.5-1.5").getFirst());
        assertTrue(c.similar("llama3.2-1bb").contains("llama3.2-1b"));
        assertEquals(List.of(), c.similar("something-else-entirely"));
    }

    static ModelCatalog parse(String json) throws IOException {
        return ModelCatalog.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    static String entry(String name, String arch, String sha, long bytes, String url) {
        return "{\"name\":\"" + name + "\",\"title\":\"T\",\"architecture\":\"" + arch + "\",\"quantization\":\"Q8_0\",\"url\":\"" + url
                + "\",\"bytes\":" + bytes + ",\"sha256\":\"" + sha + "\",\"licence\":\"mit\",\"description\":\"d\",\"revision\":null,\"source\":\"s\"}";
    }

    @Test
    void aBrokenCatalogueIsRefusedWithEveryProblemNamed() {
        String good = "a".repeat(64);
        IOException e = assertThrows(IOException.class, () -> parse("{\"about\":\"x\",\"models\":["
                + entry("one", "llama", good, 10, "https://example.org/one.gguf") + ","
                + entry("one", "mamba", "ABC", 0, "http://example.org/two.gguf") + "]}"));
        String m = e.getMessage();
        assertTrue(m.startsWith("test.json is not a valid model catalogue"), m);
        assertTrue(m.contains("model 2 'one': the name is used twice"), m);
        assertTrue(m.contains("sha256 must be 64 lower-case hex digits"), m);
        assertTrue(m.contains("bytes must be the file's size"), m);
        assertTrue(m.contains("architecture 'mamba' is not one the engine runs"), m);
        assertTrue(m.contains("url must be an https link"), m);
        assertFalse(m.contains("model 1"), "the good entry is not blamed: " + m);
        assertThrows(IOException.class, () -> parse("{\"models\":[{\"name\":\"x\",\"unknown\":1}]}"), "unknown fields are refused");
    }
}
