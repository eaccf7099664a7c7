package dev.coach.bank;

import dev.coach.testing.BankFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BankLoaderTest {
    @TempDir
    Path dir;

    private BankLoader.Result loadWith(String basicsYaml) {
        BankFixtures.write(dir, "categories.yaml", BankFixtures.CATEGORIES);
        BankFixtures.write(dir, "basics.yaml", basicsYaml);
        return BankLoader.load(List.of(dir));
    }

    private static Problem only(BankLoader.Result r) {
        assertEquals(1, r.problems().size(), () -> "expected one problem, got: " + r.problems());
        return r.problems().getFirst();
    }

    @Test
    void loadsAValidBankIntoRecords() {
        BankLoader.Result r = BankLoader.load(List.of(BankFixtures.validBank(dir)));
        assertTrue(r.ok(), () -> r.problems().toString());
        Question a = r.bank().question("alpha").orElseThrow();
        assertEquals(Level.MID, a.level());
        assertEquals(List.of(Role.MLE, Role.LLM_ENGINEER), a.roles());
        assertEquals(4, a.outline().size());
        assertEquals(2, a.essentialPoints().size());
        assertEquals("beta", a.followups().get(1).ref());
        assertEquals("trap:1", a.followups().get(1).probes());
        assertEquals(new KeyNumber("4 GiB", "a size that matters"), a.numbers().getFirst());
        assertEquals(2, r.bank().categories().size());
    }

    @Test
    void malformedYamlIsReportedWhereTheParserStopped() {
        String text = "questions:\n  - id: alpha\n    question: [unclosed\n    level: mid\n";
        Problem p = only(loadWith(text));
        assertTrue(p.message().startsWith("malformed YAML"), p.message());
        assertTrue(p.location().line() >= 3, "line " + p.location().line());
        assertTrue(p.location().file().endsWith("basics.yaml"));
    }

    @Test
    void tabsAreRejectedAtTheirPosition() {
        Problem p = only(loadWith("questions:\n\t- id: x\n"));
        assertEquals(2, p.location().line());
        assertEquals(1, p.location().column());
        assertTrue(p.message().contains("tab"));
    }

    @Test
    void missingFieldIsReportedAtTheQuestion() {
        String q = BankFixtures.question("alpha", "beta") + BankFixtures.question("beta", "alpha");
        String withoutLevel = q.replaceFirst("    level: mid\n", "");
        Problem p = only(loadWith("questions:\n" + withoutLevel));
        assertEquals("question 'alpha' has no 'level'", p.message());
        assertEquals(2, p.location().line());
        assertEquals(5, p.location().column());
        assertTrue(p.hint().contains("screen, mid, senior"));
    }

    @Test
    void wrongEnumValueNamesTheChoicesAndTheNearestOne() {
        String q = (BankFixtures.question("alpha", "beta") + BankFixtures.question("beta", "alpha"))
                .replaceFirst("level: mid", "level: senoir");
        Problem p = only(loadWith("questions:\n" + q));
        assertEquals("level 'senoir' of question 'alpha' is not one of: screen, mid, senior", p.message());
        assertEquals(new Location(dir.resolve("basics.yaml"), 5, 12), p.location());
        assertEquals("did you mean 'senior'?", p.hint());
    }

    @Test
    void unknownRoleIsRejected() {
        String q = (BankFixtures.question("alpha", "beta") + BankFixtures.question("beta", "alpha"))
                .replaceFirst("roles: \\[MLE, LLM Engineer]", "roles: [MLE, Prompt Wizard]");
        Problem p = only(loadWith("questions:\n" + q));
        assertTrue(p.message().startsWith("role 'Prompt Wizard'"), p.message());
        assertEquals(8, p.location().line());
    }

    @Test
    void danglingRefAndRelatedPointAtTheirValues() {
        String q = BankFixtures.question("alpha", "gamma") + BankFixtures.question("beta", "alpha");
        BankLoader.Result r = loadWith("questions:\n" + q);
        assertEquals(2, r.problems().size(), r.problems()::toString);
        Problem ref = r.problems().getFirst();
        assertEquals("follow-up ref 'gamma' names no question in the bank", ref.message());
        assertEquals(33, ref.location().line());
        Problem related = r.problems().get(1);
        assertEquals("related id 'gamma' names no question in the bank", related.message());
        assertEquals(35, related.location().line());
    }

    @Test
    void duplicateIdsAcrossFilesAreRejected() {
        BankFixtures.write(dir, "categories.yaml", BankFixtures.CATEGORIES);
        BankFixtures.write(dir, "basics.yaml", "questions:\n" + BankFixtures.question("alpha", "alpha".replace("alpha", "beta"))
                + BankFixtures.question("beta", "alpha"));
        BankFixtures.write(dir, "extra.yaml", "questions:\n" + BankFixtures.question("alpha", "beta"));
        BankLoader.Result r = BankLoader.load(List.of(dir));
        Problem p = only(r);
        assertTrue(p.message().startsWith("question id 'alpha' is already used at "), p.message());
        assertTrue(p.location().file().endsWith("extra.yaml"));
    }

    @Test
    void unknownFieldSuggestsTheIntendedOne() {
        String q = (BankFixtures.question("alpha", "beta") + BankFixtures.question("beta", "alpha"))
                .replaceFirst("    related:", "    relatd:");
        Problem p = only(loadWith("questions:\n" + q));
        assertEquals("unknown field 'relatd' in question 'alpha'", p.message());
        assertTrue(p.hint().startsWith("did you mean 'related'?"), p.hint());
        assertEquals(35, p.location().line());
        assertEquals(5, p.location().column());
    }

    @Test
    void underFilledQuestionsAreRejected() {
        String q = (BankFixtures.question("alpha", "beta") + BankFixtures.question("beta", "alpha"))
                .replaceFirst("(?s)      - id: third.*?essential: false\n      - id: fourth.*?essential: false\n", "")
                .replaceFirst("(?s)    traps:\n.*?    followups:", "    traps: []\n    followups:");
        BankLoader.Result r = loadWith("questions:\n" + q);
        List<String> messages = r.problems().stream().map(Problem::message).toList();
        assertTrue(messages.contains("question 'alpha' has 2 outline point(s); at least 4 are needed"), messages::toString);
        assertTrue(messages.contains("question 'alpha' has no traps"), messages::toString);
        assertTrue(messages.stream().anyMatch(m -> m.contains("probes trap:1")), messages::toString);
    }

    @Test
    void probesMustNameAnOutlinePoint() {
        String q = (BankFixtures.question("alpha", "beta") + BankFixtures.question("beta", "alpha"))
                .replaceFirst("probes: first", "probes: frist");
        Problem p = only(loadWith("questions:\n" + q));
        assertTrue(p.message().contains("'frist'"), p.message());
        assertTrue(p.hint().contains("did you mean 'first'?"), p.hint());
    }

    @Test
    void unknownCategoryAndWrongFileAreBothReported() {
        String q = (BankFixtures.question("alpha", "beta") + BankFixtures.question("beta", "alpha"))
                .replaceFirst("category: basics", "category: servng");
        BankLoader.Result r = loadWith("questions:\n" + q);
        List<String> messages = r.problems().stream().map(Problem::message).toList();
        assertTrue(messages.contains("question 'alpha' is in basics.yaml but has category 'servng'"), messages::toString);
        assertTrue(messages.contains("question 'alpha' has unknown category 'servng'"), messages::toString);
        assertTrue(r.problems().stream().anyMatch(p -> p.hint().contains("did you mean 'serving'?")));
    }

    @Test
    void duplicateKeysAreNotSilentlyMerged() {
        String q = (BankFixtures.question("alpha", "beta") + BankFixtures.question("beta", "alpha"))
                .replaceFirst("    kind: conceptual\n", "    kind: conceptual\n    kind: design\n");
        Problem p = only(loadWith("questions:\n" + q));
        assertEquals("duplicate key 'kind' (first written at line 7)", p.message());
        assertEquals(8, p.location().line());
    }

    @Test
    void extraDirectoriesAddQuestionsAndCanReferToTheMainBank() {
        BankFixtures.validBank(dir.resolve("main"));
        BankFixtures.write(dir.resolve("mine"), "my-notes.yaml", "questions:\n" + BankFixtures.question("gamma", "alpha"));
        BankLoader.Result r = BankLoader.load(List.of(dir.resolve("main"), dir.resolve("mine")));
        assertTrue(r.ok(), r.problems()::toString);
        assertEquals(3, r.bank().size());
    }

    @Test
    void missingDirectoryIsAProblemNotACrash() {
        BankLoader.Result r = BankLoader.load(List.of(dir.resolve("nowhere")));
        assertEquals("bank directory not found", only(r).message());
        assertThrows(BankException.class, r::orThrow);
    }

    @Test
    void everyProblemIsCollectedNotJustTheFirst() {
        String q = (BankFixtures.question("alpha", "beta") + BankFixtures.question("beta", "alpha"))
                .replaceFirst("level: mid", "level: hard")
                .replaceFirst("kind: conceptual", "kind: trivia")
                .replaceFirst("ref: alpha", "ref: omega");
        BankLoader.Result r = loadWith("questions:\n" + q);
        assertEquals(3, r.problems().size(), r.problems()::toString);
        assertFalse(r.ok());
    }
}
