package dev.coach.llm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoachConfigTest {
    @TempDir
    Path dir;

    @Test
    void aFileHoldingAKeyIsMode0600AndTheKeyIsNeverPrinted() throws Exception {
        Path f = dir.resolve("coach/config.yaml");
        CoachConfig.EMPTY.with("backend", "openai").with("api-key", "sk-abcdefghijklmnop").save(f);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        CoachConfig back = CoachConfig.load(f);
        assertEquals("sk-abcdefghijklmnop", back.apiKey());
        assertEquals("openai", back.backend());
        assertFalse(back.toString().contains("abcdefghijklmnop"), back.toString());
        assertFalse(back.asMap(true).get("api-key").contains("abcdefghijklmnop"));
    }

    @Test
    void withoutAKeyTheFileIsReadable() throws Exception {
        Path f = dir.resolve("config.yaml");
        CoachConfig.EMPTY.with("backend", "ollama").save(f);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void unknownKeysAndBackendsNameTheFile() throws Exception {
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, "backend: gemini\n");
        ConfigException e = assertThrows(ConfigException.class, () -> CoachConfig.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("gemini"), e.getMessage());
        Files.writeString(f, "modle: x\n");
        assertTrue(assertThrows(ConfigException.class, () -> CoachConfig.load(f)).getMessage().contains("unknown key 'modle'"));
    }

    @Test
    void missingFileIsEmpty() {
        assertEquals(CoachConfig.EMPTY, CoachConfig.load(dir.resolve("nope.yaml")));
    }
}
