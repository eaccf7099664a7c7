package dev.coach.bank;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bank coach ships: clean, complete against the reference labels, and linked into chains. */
class ShippedBankTest {
    static Bank bank;

    @BeforeAll
    static void load() {
        Path dir = Path.of(System.getProperty("coach.home", ".")).resolve("bank");
        BankLoader.Result r = BankLoader.load(List.of(dir));
        assertTrue(r.ok(), () -> r.problems().stream().map(Problem::render).collect(Collectors.joining("\n")));
        bank = r.bank();
    }

    static List<String> labels() throws IOException {
        try (InputStream in = ShippedBankTest.class.getResourceAsStream("/index-labels.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(String::strip).toList();
        }
    }

    @Test
    void everyReferenceLabelIsCoveredBySomeQuestion() throws IOException {
        List<String> labels = labels();
        assertEquals(167, labels.size());
        Set<String> covered = new HashSet<>();
        bank.questions().forEach(q -> covered.addAll(q.sources()));
        Set<String> missing = new TreeSet<>(labels);
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "labels no question covers: " + missing);
        Set<String> unknown = new TreeSet<>(covered);
        unknown.removeAll(labels);
        assertTrue(unknown.isEmpty(), "sources that are not reference labels: " + unknown);
    }

    @Test
    void everyCategoryHasQuestions() {
        for (Category c : bank.categories()) {
            assertTrue(bank.questions().stream().anyMatch(q -> q.category().equals(c.id())), "no questions in " + c.id());
        }
    }

    @Test
    void followUpChainsRunSeveralLevelsDeep() {
        int deepest = 0;
        for (Question q : bank.questions()) {
            deepest = Math.max(deepest, depth(q, new HashSet<>()));
        }
        assertTrue(deepest >= 4, "longest ref chain is " + deepest);
        long linked = bank.questions().stream().filter(q -> q.followups().stream().anyMatch(f -> f.ref() != null)).count();
        assertTrue(linked >= bank.size() * 3 / 4, linked + " of " + bank.size() + " questions link a follow-up to another question");
    }

    private int depth(Question q, Set<String> seen) {
        if (!seen.add(q.id()) || seen.size() > 6) {
            return 0;
        }
        int best = 0;
        for (FollowUp f : q.followups()) {
            if (f.ref() != null) {
                Set<String> below = new HashSet<>(seen);
                best = Math.max(best, depth(bank.question(f.ref()).orElseThrow(), below));
            }
        }
        return 1 + best;
    }

    @Test
    void theKvCacheFigureIsTheCorrectedOne() {
        Question q = bank.question("kv-cache-sizing").orElseThrow();
        String all = new ArrayList<>(q.outline()).stream().map(OutlinePoint::point).collect(Collectors.joining(" "))
                + q.numbers().stream().map(n -> n.figure() + " " + n.measures()).collect(Collectors.joining(" "));
        assertTrue(all.contains("4 GiB"), "Llama-3-8B, GQA, 32k, FP16: 2 x 32 x 8 x 128 x 2 B x 32768 = 4 GiB");
        assertTrue(all.contains("128 KiB") || all.contains("131,072") || all.contains("131072"), "per-token size is shown");
    }

    @Test
    void mostQuestionsDropNumbers() {
        long with = bank.questions().stream().filter(q -> !q.numbers().isEmpty()).count();
        assertTrue(with >= bank.size() * 8 / 10, with + " of " + bank.size());
    }
}
