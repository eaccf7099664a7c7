package dev.coach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coach.testing.BankFixtures;
import dev.coach.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BankCommandsTest {
    @TempDir
    Path dir;

    private String bank() {
        return BankFixtures.validBank(dir.resolve("bank")).toString();
    }

    private String brokenBank() {
        Path b = dir.resolve("broken");
        BankFixtures.write(b, "categories.yaml", BankFixtures.CATEGORIES);
        BankFixtures.write(b, "basics.yaml", "questions:\n" + BankFixtures.question("alpha", "nowhere")
                .replaceFirst("level: mid", "level: expert") + BankFixtures.question("beta", "alpha"));
        BankFixtures.write(b, "serving.yaml", "questions:\n  - id: [oops\n");
        return b.toString();
    }

    @Test
    void lintOnACleanBankExitsZero() {
        CliRun r = CliRun.of("bank", "lint", "--bank-only", "--bank", bank());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("bank OK: 2 questions in 2 files"), r.out());
    }

    @Test
    void lintListsEveryProblemWithFileLineColumnAndExitsOne() {
        String b = brokenBank();
        CliRun r = CliRun.of("bank", "lint", "--bank-only", "--bank", b);
        assertEquals(1, r.exitCode());
        assertTrue(r.out().contains(Path.of(b, "basics.yaml") + ":5:12: level 'expert' of question 'alpha' is not one of"), r.out());
        assertTrue(r.out().contains(Path.of(b, "basics.yaml") + ":33:14: follow-up ref 'nowhere' names no question"), r.out());
        assertTrue(r.out().contains(Path.of(b, "serving.yaml") + ":"), r.out());
        assertTrue(r.out().contains("malformed YAML"), r.out());
        assertTrue(r.out().contains("fix: "), "each problem says what to do");
    }

    @Test
    void lintJsonIsMachineReadable() throws Exception {
        CliRun r = CliRun.of("bank", "lint", "--json", "--bank-only", "--bank", brokenBank());
        assertEquals(1, r.exitCode());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertTrue(doc.get("problems").size() >= 4);
        JsonNode first = doc.get("problems").get(0);
        assertTrue(first.get("line").asInt() > 0 && first.get("column").asInt() > 0);
        assertFalse(first.get("hint").asText().isBlank());
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "stats", "search", "show"})
    void otherCommandsRefuseABrokenBankWithTheSameMessagesAndExitTwo(String command) {
        String b = brokenBank();
        String[] args = switch (command) {
            case "search" -> new String[] {"bank", "search", "idea", "--bank-only", "--bank", b};
            case "show" -> new String[] {"bank", "show", "alpha", "--bank-only", "--bank", b};
            default -> new String[] {"bank", command, "--bank-only", "--bank", b};
        };
        CliRun r = CliRun.of(args);
        assertEquals(2, r.exitCode());
        assertEquals("", r.out());
        assertTrue(r.err().contains(Path.of(b, "basics.yaml") + ":5:12: level 'expert'"), r.err());
        assertFalse(r.err().contains("Exception"), "no stack trace: " + r.err());
    }

    @Test
    void listFiltersAndPrintsJson() throws Exception {
        CliRun table = CliRun.of("bank", "list", "--bank-only", "--bank", bank(), "--level", "mid");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("alpha") && table.out().contains("beta"));
        assertTrue(table.out().contains("2 of 2 questions"));
        CliRun none = CliRun.of("bank", "list", "--bank-only", "--bank", bank(), "--level", "senior");
        assertTrue(none.out().contains("0 of 2 questions"), none.out());
        CliRun byRole = CliRun.of("bank", "list", "--bank-only", "--bank", bank(), "--role", "llm-engineer", "--json");
        assertEquals(2, Json.MAPPER.readTree(byRole.out()).size());
        CliRun badRole = CliRun.of("bank", "list", "--bank-only", "--bank", bank(), "--role", "wizard");
        assertEquals(2, badRole.exitCode());
        assertTrue(badRole.err().contains("unknown role 'wizard'"), badRole.err());
    }

    @Test
    void showDrawsTheFollowUpChainAsATreeAndStopsAtCycles() {
        CliRun r = CliRun.of("bank", "show", "alpha", "--bank-only", "--bank", bank());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Outline (* essential)"));
        assertTrue(r.out().contains("  * The first essential idea. [first]"), r.out());
        assertTrue(r.out().contains("4 GiB — a size that matters"));
        assertTrue(r.out().contains("└─ How does it connect to the other question? → beta [probes trap:1]"), r.out());
        assertTrue(r.out().contains("→ alpha (already above)"), "the beta→alpha link is not expanded again:\n" + r.out());
    }

    @Test
    void showJsonHasTheChain() throws Exception {
        CliRun r = CliRun.of("bank", "show", "alpha", "--json", "--bank-only", "--bank", bank());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertEquals("alpha", doc.get("question").get("id").asText());
        assertEquals("beta", doc.get("chain").get(1).get("ref").asText());
        assertEquals(2, doc.get("chain").get(1).get("next").size());
    }

    @Test
    void showUnknownIdSuggestsAndExitsTwo() {
        CliRun r = CliRun.of("bank", "show", "alpah", "--bank-only", "--bank", bank());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("did you mean 'alpha'?"), r.err());
    }

    @Test
    void statsCountsByCategoryLevelAndRole() throws Exception {
        CliRun r = CliRun.of("bank", "stats", "--json", "--bank-only", "--bank", bank());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertEquals(2, doc.get("questions").asInt());
        assertEquals(2, doc.get("byCategoryAndLevel").get("basics").get("mid").asInt());
        assertEquals(0, doc.get("byCategoryAndLevel").get("serving").get("mid").asInt());
        assertEquals(2, doc.get("byRole").get("MLE").asInt());
        assertEquals(0, doc.get("byRole").get("AI Engineer").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bank", "bank list", "bank show", "bank search", "bank stats", "bank lint", "bank import", "completion"})
    void everyCommandHasHelp(String command) {
        String[] args = (command + " --help").split(" ");
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Usage: coach " + command), r.out());
    }

    @Test
    void rootHelpDocumentsExitCodesAndVersionPrints() {
        CliRun help = CliRun.of("--help");
        assertTrue(help.out().contains("Exit codes:") && help.out().contains("2  usage or input error"));
        CliRun v = CliRun.of("--version");
        assertEquals(0, v.exitCode());
        assertTrue(v.out().startsWith("coach "));
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun r = CliRun.of("bank", "list", "--colour");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown option: '--colour'"), r.err());
    }

    @Test
    void completionScriptCoversTheCommands() {
        CliRun r = CliRun.of("completion");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("complete -F"), "a bash completion function is registered");
        assertTrue(r.out().contains("lint") && r.out().contains("search"));
    }
}
