package dev.coach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coach.bank.BankLoader;
import dev.coach.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BankImportCommandTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/import/" + name)) {
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    @Test
    void importWritesABankDirectoryThatLoads() throws IOException {
        Path out = dir.resolve("mine/imported.yaml");
        CliRun r = CliRun.of("bank", "import", fixture("tagged.md").toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("recognised 2 question(s)"), r.out());
        assertTrue(r.out().contains("lint: OK"), r.out());
        BankLoader.Result loaded = BankLoader.load(List.of(out.getParent()));
        assertTrue(loaded.ok(), loaded.problems()::toString);
        assertEquals(2, loaded.bank().size());
        CliRun show = CliRun.of("bank", "show", "cache-keys-values-during-decoding", "--bank-only", "--bank", out.getParent().toString());
        assertEquals(0, show.exitCode(), show.err());
    }

    @Test
    void lintGapsAreReportedAndStrictFails() throws IOException {
        Path out = dir.resolve("q/imported.yaml");
        CliRun r = CliRun.of("bank", "import", fixture("qcolon.md").toString(), "--out", out.toString(), "--strict");
        assertEquals(1, r.exitCode());
        assertTrue(r.out().contains("2 × question has no 'traps'"), r.out());
        assertTrue(Files.exists(out), "the import is still written");
    }

    @Test
    void severalFilesGetUniqueIdsAndAJsonReport() throws Exception {
        Path out = dir.resolve("all/imported.yaml");
        CliRun r = CliRun.of("bank", "import", fixture("tagged.md").toString(), fixture("tagged.md").toString(),
                fixture("handbook.txt").toString(), "--out", out.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertEquals(6, doc.get("questions").asInt());
        assertEquals("handbook", doc.get("files").get(2).get("layout").asText());
        BankLoader.Result loaded = BankLoader.load(List.of(out.getParent()));
        assertEquals(6, loaded.bank().size(), "duplicates were renamed, not dropped: " + loaded.problems());
    }

    @Test
    void withoutOutTheYamlGoesToStdoutAndTheReportToStderr() throws IOException {
        CliRun r = CliRun.of("bank", "import", fixture("plain.md").toString());
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("questions:"), r.out());
        assertTrue(r.err().contains("plain Markdown, one heading per question"), r.err());
    }

    @Test
    void unreadableFileIsAUsageError() {
        CliRun r = CliRun.of("bank", "import", dir.resolve("missing.md").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("missing.md: cannot read"), r.err());
    }
}
