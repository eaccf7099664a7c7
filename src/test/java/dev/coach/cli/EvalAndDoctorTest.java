package dev.coach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.coach.llm.CoachConfig;
import dev.coach.testing.CliRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalAndDoctorTest {
    static final String KEY = "sk-doctor-test-ABCDEFGH12345";
    @TempDir
    static Path dir;
    static WireMockServer wm;
    static String saved;

    @BeforeAll
    static void setUp() throws Exception {
        wm = new WireMockServer(options().dynamicPort());
        wm.start();
        saved = System.getProperty("coach.config.dir");
        System.setProperty("coach.config.dir", dir.resolve("cfg").toString());
        CoachConfig.EMPTY.with("api-key", KEY).save(CoachConfig.file(dir.resolve("cfg")));
    }

    @AfterAll
    static void tearDown() {
        wm.stop();
        if (saved == null) {
            System.clearProperty("coach.config.dir");
        } else {
            System.setProperty("coach.config.dir", saved);
        }
    }

    @Test
    void evalReportsAgreementAndGatesOnKappa() throws Exception {
        Path labels = dir.resolve("labels.jsonl");
        Files.writeString(labels, """
                {"question": "kv-cache", "answer": "I don't know.", "grade": 0, "kind": "empty", "split": "holdout"}
                {"question": "kv-cache", "answer": "cache tokens GPU memory attention fast inference bandwidth", "grade": 0, "kind": "keyword-stuffed", "split": "holdout"}
                {"question": "kv-cache", "answer": "%s", "grade": 2, "kind": "strong", "split": "holdout"}
                """.formatted(GradeCommandTest.STRONG));
        CliRun r = CliRun.of("grade", "eval", "--labels", labels.toString(), "--backend", "offline", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertEquals(3, doc.get("overall").get("n").asInt());
        assertEquals(1.0, doc.get("overall").get("exact").asDouble(), 1e-9);
        assertEquals(1.0, doc.get("overall").get("kappa").asDouble(), 1e-9);
        assertEquals(2, doc.get("overall").get("confusion").get(0).get(0).asInt());
        assertTrue(doc.get("byKind").has("keyword-stuffed"));
        CliRun gate = CliRun.of("grade", "eval", "--labels", labels.toString(), "--backend", "offline", "--min-kappa", "1.01");
        assertEquals(1, gate.exitCode());
        assertTrue(gate.err().contains("FAIL: kappa"), gate.err());
        CliRun none = CliRun.of("grade", "eval", "--labels", labels.toString(), "--backend", "offline", "--split", "calibration");
        assertEquals(2, none.exitCode());
    }

    @Test
    void doctorShowsEveryBackendAndNeverTheKey() throws Exception {
        wm.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withBody("{\"data\": []}")));
        CliRun r = CliRun.of("doctor", "--backend", "offline", "--base-url", wm.baseUrl() + "/v1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertTrue(doc.get("bank").asText().contains("questions"), doc.toString());
        assertTrue(doc.get("config").asText().contains("holds an API key"));
        assertTrue(doc.get("openai").asText().endsWith("answers"), doc.get("openai").asText());
        assertTrue(doc.get("offline").asText().startsWith("ready"), doc.get("offline").asText());
        assertTrue(doc.get("grading with").asText().startsWith("offline"));
        assertFalse(r.out().contains(KEY) || r.err().contains(KEY), "doctor never prints the key");
        assertEquals("Bearer " + KEY, wm.getAllServeEvents().getFirst().getRequest().getHeader("Authorization"));
    }

    @Test
    void configShowMasksTheKey() {
        CliRun r = CliRun.of("config", "show");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("api-key: sk-…2345"), r.out());
        assertFalse(r.out().contains(KEY));
    }
}
