package dev.coach.interview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coach.bank.Bank;
import dev.coach.bank.BankLoader;
import dev.coach.bank.OutlinePoint;
import dev.coach.bank.Question;
import dev.coach.grade.Grade;
import dev.coach.grade.Grader;
import dev.coach.grade.TrapHit;
import dev.coach.history.Transcript;
import dev.coach.testing.BankFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interview state machine, headless, on a fake clock with a scripted grader. */
class InterviewTest {
    @TempDir
    Path dir;
    Bank bank;
    final long[] now = {1_000_000};
    final Clock clock = () -> now[0];

    /** Grades by keyword: "good" covers every point; "trap" commits trap 1; anything else misses the first point. */
    final Grader grader = new Grader() {
        @Override
        public Grade grade(Question q, String answer) {
            List<String> ids = q.outline().stream().map(OutlinePoint::id).toList();
            if (answer.contains("good")) {
                return grade(q, 2, ids, List.of(), List.of());
            }
            if (answer.contains("trap")) {
                return grade(q, 1, ids, List.of(), List.of(new TrapHit(1, q.traps().getFirst().mistake(), answer)));
            }
            return grade(q, 1, List.of("second", "third", "fourth"), List.of("first"), List.of());
        }

        Grade grade(Question q, int s, List<String> cov, List<String> miss, List<TrapHit> traps) {
            return new Grade(q.id(), s, cov, miss, List.of(), traps, List.of(), "fb", "script", "none", "none", false, List.of());
        }

        @Override
        public String name() {
            return "script";
        }
    };

    @BeforeEach
    void bank() {
        BankFixtures.write(dir.resolve("bank"), "categories.yaml", BankFixtures.CATEGORIES);
        String gamma = BankFixtures.question("gamma", "alpha").replace("category: basics", "category: serving");
        BankFixtures.write(dir.resolve("bank"), "basics.yaml", "questions:\n" + BankFixtures.question("alpha", "beta")
                + BankFixtures.question("beta", "gamma"));
        BankFixtures.write(dir.resolve("bank"), "serving.yaml", "questions:\n" + gamma);
        bank = BankLoader.load(List.of(dir.resolve("bank"))).orThrow();
    }

    Interview interview(int seconds, int followups, Transcript t) {
        Interview in = new Interview(new SessionPlan("mock", List.of("alpha", "gamma"), seconds, followups, 7), bank, grader, clock, t);
        in.start("test-bank");
        return in;
    }

    @Test
    void whenTheTimeRunsOutWhatWasTypedIsSubmitted() {
        Interview in = interview(90, 0, Transcript.none());
        now[0] += 60_000;
        assertTrue(in.tick("half an answer").isEmpty());
        assertEquals(30_000, in.remainingMillis());
        in.pause();
        now[0] += 500_000;
        assertTrue(in.tick("half an answer").isEmpty(), "paused time does not count");
        in.resumeTimer();
        now[0] += 30_000;
        Interview.Answered a = in.tick("half an answer, still typing").orElseThrow();
        assertEquals("timeout", a.via());
        assertEquals("half an answer, still typing", a.answer());
        assertEquals(90_000, a.millis());
        assertEquals("gamma", in.current().rubric().id(), "on to the next main question");
    }

    @Test
    void theFollowUpProbesTheMissedEssentialPoint() {
        Interview in = interview(0, 1, Transcript.none());
        in.submit("an answer that misses something", "typed");
        Interview.Turn f = in.current();
        assertTrue(f.followup());
        assertEquals("first", f.probes(), "the follow-up aimed at the missed essential point");
        assertEquals("alpha", f.rubric().id());
    }

    @Test
    void aCommittedTrapIsProbedAndRefChainsAreFollowed() {
        Interview in = interview(0, 2, Transcript.none());
        in.submit("falls into the trap", "typed");
        Interview.Turn f1 = in.current();
        assertEquals("trap:1", f1.probes());
        assertEquals("beta", f1.rubric().id(), "the trap follow-up leads to beta, graded against beta's rubric");
        in.submit("falls into the trap again", "typed");
        Interview.Turn f2 = in.current();
        assertEquals(2, f2.depth());
        assertEquals("gamma", f2.rubric().id(), "the chain goes on from beta to gamma");
        in.submit("good", "typed");
        assertEquals("gamma", in.current().rubric().id());
        assertEquals(0, in.current().depth(), "after two follow-ups, the next main question");
    }

    @Test
    void hintsAndSkipsAreRecordedAndTheScorecardGroupsFollowUps() {
        Interview in = interview(0, 1, Transcript.none());
        assertEquals("The first essential idea.", in.hint().orElseThrow());
        assertEquals("The second essential idea.", in.hint().orElseThrow());
        Interview.Answered a = in.submit("good", "typed");
        assertEquals(2, a.hints());
        in.submit("good", "typed");
        Interview.Answered s = in.skip();
        assertTrue(s.skipped());
        assertEquals(0, s.grade().score());
        assertTrue(in.finished(), "a skipped question gets no follow-up and this was the last");
        Scorecard card = in.scorecard();
        assertEquals(2, card.items().size());
        assertEquals(1, card.items().getFirst().followups().size());
        assertEquals(4.0 / 3, card.average(), 1e-9);
        assertEquals("serving", card.weakest());
        assertTrue(card.drillNext().startsWith("coach drill --category serving"));
    }

    @Test
    void aTranscriptRebuildsTheSessionAndReAsksTheOpenQuestion() throws Exception {
        Path file = dir.resolve("t.jsonl");
        try (Transcript t = Transcript.append(file)) {
            Interview in = interview(90, 1, t);
            in.submit("misses", "typed");
            in.submit("good", "typed");
            assertEquals("gamma", in.current().rubric().id());
        }
        Files.writeString(file, Files.readString(file) + "{\"type\": \"answer\", \"n\": 3, \"te", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        List<JsonNode> events = Transcript.read(file);
        assertEquals("question", events.getLast().get("type").asText(), "the torn line is ignored");
        try (Transcript t = Transcript.append(file)) {
            Interview again = Interview.restore(events, bank, grader, clock, t);
            assertEquals(2, again.answered().size(), "both answers were kept with their grades");
            assertEquals("gamma", again.current().rubric().id());
            assertEquals(3, again.current().number());
            again.submit("good", "typed");
            again.submit("good", "typed");
            assertTrue(again.finished());
        }
        List<String> types = new ArrayList<>();
        Transcript.read(file).forEach(e -> types.add(e.get("type").asText()));
        assertTrue(types.contains("resumed"));
        assertEquals("end", types.getLast());
        assertFalse(Files.readString(file).contains("sk-"), "no key material in a transcript");
    }

    @Test
    void theSameSeedGivesTheSamePlan() {
        List<Question> all = bank.questions();
        assertEquals(Planner.choose(all, 2, 42), Planner.choose(all, 2, 42));
        assertEquals(3, Planner.choose(all, 10, 1).size(), "never more than there are");
    }
}
