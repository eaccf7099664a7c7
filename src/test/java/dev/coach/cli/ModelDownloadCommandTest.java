package dev.coach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.coach.download.CatalogEntry;
import dev.coach.download.DownloadSettings;
import dev.coach.download.ModelCatalog;
import dev.coach.download.RangeServing;
import dev.coach.engine.gguf.GgufWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code coach model download} end to end against WireMock, in a temporary data directory. */
class ModelDownloadCommandTest {
    static final String TOKEN = "hf_TestTokenThatMustNeverBePrinted42";

    WireMockServer wm;
    @TempDir
    Path home;
    final Map<String, String> env = new HashMap<>();
    final List<Duration> sleeps = new ArrayList<>();
    Boolean terminal = false;
    ModelCatalog catalog;
    byte[] gguf;

    @BeforeEach
    void start() {
        wm = new WireMockServer(options().dynamicPort().extensions(new RangeServing()));
        wm.start();
        env.put("XDG_DATA_HOME", home.toString());
        gguf = new GgufWriter().string("general.architecture", "qwen3").string("general.name", "tiny")
                .put("qwen3.context_length", 4, 2048).string("tokenizer.ggml.model", "gpt2")
                .tensor("token_embd.weight", 0, new byte[4 * 64], 64)
                .tensor("blk.0.ffn_up.weight", 8, new byte[34 * 8], 256).bytes();
        catalog = new ModelCatalog(List.of(entry("tiny", "/files/tiny-q8_0.gguf", gguf)));
        serve("/files/tiny-q8_0.gguf", gguf);
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    CatalogEntry entry(String name, String path, byte[] data) {
        return new CatalogEntry(name, "Tiny", "qwen3", "Q8_0", wm.baseUrl() + path, data.length, RangeServing.sha256(data), "mit",
                "A test model.", null, "made by the test");
    }

    void serve(String path, byte[] data) {
        wm.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(data).withTransformers(RangeServing.NAME)));
    }

    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), false);
        ModelDownloadCommand c = cl.getSubcommands().get("model").getSubcommands().get("download").getCommand();
        c.env = Map.copyOf(env);
        c.catalog = catalog;
        c.terminal = terminal;
        DownloadSettings fromEnv = DownloadSettings.defaults(c.env);
        c.settings = fromEnv.withToken(fromEnv.hfToken(), List.of("localhost")).withRetries(2, Duration.ofSeconds(1), Duration.ofSeconds(2))
                .withSleeper(sleeps::add);
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path models() {
        return home.resolve("coach").resolve("models");
    }

    @Test
    void aCatalogueModelGoesToTheDataDirectoryVerified() throws Exception {
        Run r = run("model", "download", "tiny", "--progress", "lines");
        assertEquals(0, r.code(), r.all());
        assertArrayEquals(gguf, Files.readAllBytes(models().resolve("tiny.gguf")));
        assertFalse(Files.exists(models().resolve("tiny.gguf.part")));
        assertTrue(r.out().startsWith("Saved tiny.gguf in " + models() + " (" + gguf.length + " B, sha256 verified)."), r.out());
        assertTrue(r.out().contains("Try it: coach model chat " + models().resolve("tiny.gguf")), "the engine can run it: " + r.all());
        assertTrue(r.err().contains("downloading tiny.gguf (" + gguf.length + " B)") && r.err().contains("tiny.gguf: 100%"), r.err());

        Run again = run("model", "download", "tiny");
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().startsWith("tiny.gguf is already in " + models()) && again.out().contains("nothing to download"), again.out());
        assertEquals(1, wm.getAllServeEvents().size(), "the second run sent no request");
    }

    @Test
    void aUrlWithAChecksumResumesAndReportsJson() throws Exception {
        byte[] data = RangeServing.model(200_000, 3);
        serve("/any/where/m-Q4_K_M.gguf", data);
        Files.createDirectories(home.resolve("out"));
        Files.write(home.resolve("out").resolve("m-Q4_K_M.gguf.part"), Arrays.copyOf(data, 64_000));
        Run r = run("model", "download", wm.baseUrl() + "/any/where/m-Q4_K_M.gguf?download=true", "--sha256",
                RangeServing.sha256(data).toUpperCase(), "--dir", home.resolve("out").toString(), "--json", "--quiet");
        assertEquals(0, r.code(), r.all());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertEquals(home.resolve("out").resolve("m-Q4_K_M.gguf").toString(), doc.get("path").asText());
        assertEquals(200_000, doc.get("bytes").asLong());
        assertEquals(RangeServing.sha256(data), doc.get("sha256").asText());
        assertTrue(doc.get("verified").asBoolean());
        assertEquals(64_000, doc.get("resumed_from").asLong());
        assertFalse(doc.get("already_present").asBoolean());
        assertEquals(wm.baseUrl() + "/any/where/m-Q4_K_M.gguf", doc.get("url").asText(), "shown without its query");
        assertFalse(doc.get("runnable").asBoolean(), "random bytes after the signature are no model");
        assertTrue(doc.get("problem").asText().length() > 0);
        assertEquals("bytes=64000-", wm.getAllServeEvents().getFirst().getRequest().getHeader("Range"));
        assertArrayEquals(data, Files.readAllBytes(home.resolve("out").resolve("m-Q4_K_M.gguf")));
        assertTrue(r.err().contains("coach's engine cannot run this file"), r.err());
    }

    @Test
    void aUrlWithoutAChecksumIsSavedButSaidToBeUnverified() {
        serve("/m.gguf", gguf);
        Run r = run("model", "download", wm.baseUrl() + "/m.gguf", "--progress", "none");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("(" + gguf.length + " B, not verified)"), r.out());
        assertTrue(r.err().contains("coach: warning: m.gguf was not verified: no checksum was given (pass --sha256 HEX to check it); its sha256 is "
                + RangeServing.sha256(gguf)), r.err());
    }

    @Test
    void badInputIsAUsageError() {
        Run unknown = run("model", "download", "tinny");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("coach: there is no model called 'tinny' in the catalogue; did you mean tiny?")
                && unknown.err().contains("coach model download --list"), unknown.err());
        Run ftp = run("model", "download", "ftp://example.org/m.gguf");
        assertEquals(2, ftp.code());
        assertTrue(ftp.err().contains("is not an http:// or https:// address"), ftp.err());
        Run sha = run("model", "download", wm.baseUrl() + "/m.gguf", "--sha256", "1234");
        assertEquals(2, sha.code());
        assertTrue(sha.err().contains("--sha256 must be 64 hex digits, not '1234'"), sha.err());
        Run shaForName = run("model", "download", "tiny", "--sha256", "a".repeat(64));
        assertEquals(2, shaForName.code());
        assertTrue(shaForName.err().contains("--sha256 is for URLs"), shaForName.err());
        assertEquals(2, run("model", "download").code());
        assertEquals(2, run("model", "download", "--list", "tiny").code());
        assertEquals(0, wm.getAllServeEvents().size(), "no usage error reached the network");
    }

    @Test
    void aChecksumMismatchExitsOneAndDeletesThePart() {
        byte[] other = RangeServing.model(gguf.length, 9);
        serve("/files/other.gguf", other);
        catalog = new ModelCatalog(List.of(new CatalogEntry("tiny", "Tiny", "qwen3", "Q8_0", wm.baseUrl() + "/files/other.gguf", gguf.length,
                RangeServing.sha256(gguf), "mit", "A test model.", null, "test")));
        Run r = run("model", "download", "tiny", "--quiet");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().startsWith("coach: tiny.gguf has sha256 " + RangeServing.sha256(other) + " but should have " + RangeServing.sha256(gguf)),
                r.err());
        assertFalse(Files.exists(models().resolve("tiny.gguf.part")));
        assertFalse(Files.exists(models().resolve("tiny.gguf")));
    }

    @Test
    void aMissingFileIsANetworkFailureExitThree() {
        catalog = new ModelCatalog(List.of(entry("gone", "/files/gone.gguf", gguf)));
        wm.stubFor(get(urlPathEqualTo("/files/gone.gguf")).willReturn(aResponse().withStatus(404)));
        Run r = run("model", "download", "gone", "--quiet");
        assertEquals(3, r.code(), r.all());
        assertEquals("coach: download failed: gone was not found at " + wm.baseUrl() + "/files/gone.gguf (HTTP 404); check the address",
                r.err().strip());
    }

    @Test
    void theHuggingFaceTokenIsSentButNeverShown() {
        env.put("HF_TOKEN", TOKEN);
        Run ok = run("model", "download", "tiny", "--progress", "lines", "--json");
        assertEquals(0, ok.code(), ok.all());
        LoggedRequest req = wm.getAllServeEvents().getFirst().getRequest();
        assertEquals("Bearer " + TOKEN, req.getHeader("Authorization"));

        Run human = run("model", "download", "tiny", "--force");
        assertEquals(0, human.code(), human.all());

        catalog = new ModelCatalog(List.of(entry("gated", "/files/gated.gguf", gguf)));
        wm.stubFor(get(urlPathEqualTo("/files/gated.gguf")).willReturn(aResponse().withStatus(403).withHeader("X-Error-Message", "Access restricted")));
        Run refused = run("model", "download", "gated");
        assertEquals(3, refused.code(), refused.all());
        assertTrue(refused.err().contains("refused the Hugging Face token in HF_TOKEN (HTTP 403) (Access restricted)"), refused.err());

        wm.stubFor(get(urlPathEqualTo("/files/gated.gguf")).willReturn(aResponse().withStatus(503)));
        Run down = run("model", "download", "gated", "--progress", "lines");
        assertEquals(3, down.code(), down.all());

        for (Run r : List.of(ok, human, refused, down)) {
            assertFalse(r.all().contains(TOKEN), "the token leaked: " + r.all());
            assertFalse(r.all().contains("TestTokenThat"), r.all());
        }
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceWithinEightyColumns() {
        terminal = true;
        byte[] data = RangeServing.model(3_000_000, 5);
        serve("/big-model-file-with-a-long-name-Q4_K_M.gguf", data);
        Run r = run("model", "download", wm.baseUrl() + "/big-model-file-with-a-long-name-Q4_K_M.gguf", "--sha256", RangeServing.sha256(data));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("\r"), "redrawn in place");
        for (String drawing : r.err().split("[\r\n]")) {
            if (!drawing.startsWith("coach: warning")) {
                assertTrue(drawing.stripTrailing().length() <= 79, drawing.length() + ": " + drawing);
            }
        }
        assertTrue(r.err().contains("100%"), r.err());
    }

    @Test
    void quietPrintsNothingWhenAllIsWell() {
        Run r = run("model", "download", "tiny", "--quiet");
        assertEquals(0, r.code(), r.all());
        assertEquals("", r.out());
        assertEquals("", r.err());
    }

    @Test
    void theListShowsTheCatalogueAndWhatIsAlreadyHere() throws Exception {
        catalog = null;   // the catalogue shipped with coach
        ModelCatalog shipped = ModelCatalog.builtIn();
        CatalogEntry first = shipped.entries().getFirst();
        Files.createDirectories(models());
        try (RandomAccessFile f = new RandomAccessFile(models().resolve(first.fileName()).toFile(), "rw")) {
            f.setLength(first.bytes());   // sparse: only the size is looked at
        }
        Run r = run("model", "download", "--list");
        assertEquals(0, r.code(), r.all());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.getFirst().startsWith("NAME"), lines.getFirst());
        for (CatalogEntry e : shipped.entries()) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(e.name() + (e == first ? "*" : " "))), e.name() + " listed: " + r.out());
        }
        assertTrue(r.out().contains("* already downloaded in " + models()), r.out());
        assertTrue(lines.subList(0, shipped.entries().size() + 1).stream().allMatch(l -> l.length() <= Terminal.width()), r.out());
        assertTrue(r.out().contains("Files go to " + models()), r.out());

        JsonNode doc = Json.MAPPER.readTree(run("model", "download", "--list", "--json").out());
        assertEquals(shipped.entries().size(), doc.size());
        assertEquals(first.name(), doc.get(0).get("name").asText());
        assertTrue(doc.get(0).get("downloaded").asBoolean());
        assertFalse(doc.get(1).get("downloaded").asBoolean());
        assertEquals(first.sha256(), doc.get(0).get("sha256").asText());
        assertEquals(first.bytes(), doc.get(0).get("bytes").asLong());
        assertEquals(models().resolve(first.fileName()).toString(), doc.get(0).get("file").asText());
        assertEquals(0, wm.getAllServeEvents().size());
    }

    @Test
    void helpExplainsResumeChecksumsTokenAndExitCodes() {
        Run r = run("model", "download", "--help");
        assertEquals(0, r.code());
        for (String s : new String[]{"--list", "--dir", "--sha256", "--json", "--quiet", "resumes", "HF_TOKEN", "Exit codes", "NAME.gguf.part"}) {
            assertTrue(r.out().contains(s), s + " in: " + r.out());
        }
    }
}
