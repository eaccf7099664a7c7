package dev.coach.interview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coach.bank.Bank;
import dev.coach.bank.FollowUp;
import dev.coach.bank.OutlinePoint;
import dev.coach.bank.Question;
import dev.coach.grade.Grade;
import dev.coach.grade.Grader;
import dev.coach.history.Transcript;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A mock interview or drill as a state machine that knows nothing of terminals: it asks, times, takes answers,
 * grades them, chooses follow-ups along the bank's documented chains, records every step in the transcript, and
 * can be rebuilt from a transcript to continue where it stopped. The screen (or a script of answers) drives it.
 */
public final class Interview {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One question put to the candidate: a main question (depth 0) or a follow-up graded against {@code rubric}. */
    public record Turn(int number, int main, Question rubric, String text, int depth, String parentId, String probes) {
        public boolean followup() {
            return depth > 0;
        }
    }

    /** A turn and what became of it. */
    public record Answered(Turn turn, String answer, long millis, String via, int hints, boolean skipped, Grade grade) {
    }

    private final SessionPlan plan;
    private final Bank bank;
    private final Grader grader;
    private final Clock clock;
    private final Transcript transcript;
    private final List<Answered> answered = new ArrayList<>();
    private final Set<String> askedFollowups = new HashSet<>();
    private final List<String> revealed = new ArrayList<>();
    private Turn current;
    private int turnNumber;
    private long askedAt;
    private long pausedSince = -1;
    private long pausedTotal;
    private boolean restoring;

    public Interview(SessionPlan plan, Bank bank, Grader grader, Clock clock, Transcript transcript) {
        this.plan = plan;
        this.bank = bank;
        this.grader = grader;
        this.clock = clock;
        this.transcript = transcript;
    }

    public SessionPlan plan() {
        return plan;
    }

    /** Records the session's start and asks the first question. */
    public void start(String bankVersion) {
        Map<String, Object> e = event("session");
        e.put("plan", plan);
        e.put("bank", bankVersion);
        e.put("grader", grader.name());
        write(e);
        ask(mainTurn(0));
    }

    public Turn current() {
        return current;
    }

    public boolean finished() {
        return current == null;
    }

    public List<Answered> answered() {
        return List.copyOf(answered);
    }

    /** Milliseconds left for the current answer; {@link Long#MAX_VALUE} when untimed. */
    public long remainingMillis() {
        if (plan.secondsPerAnswer() <= 0 || current == null) {
            return Long.MAX_VALUE;
        }
        long now = pausedSince >= 0 ? pausedSince : clock.millis();
        return plan.secondsPerAnswer() * 1000L - (now - askedAt - pausedTotal);
    }

    public boolean timeUp() {
        return remainingMillis() <= 0;
    }

    public boolean paused() {
        return pausedSince >= 0;
    }

    public void pause() {
        if (pausedSince < 0 && current != null) {
            pausedSince = clock.millis();
            write(event("pause"));
        }
    }

    public void resumeTimer() {
        if (pausedSince >= 0) {
            pausedTotal += clock.millis() - pausedSince;
            pausedSince = -1;
            write(event("unpause"));
        }
    }

    /** Reveals the next outline point (essential ones first); the hint is recorded with the answer. */
    public Optional<String> hint() {
        if (current == null) {
            return Optional.empty();
        }
        List<OutlinePoint> order = new ArrayList<>(current.rubric().essentialPoints());
        current.rubric().outline().stream().filter(p -> !p.essential()).forEach(order::add);
        for (OutlinePoint p : order) {
            if (!revealed.contains(p.id())) {
                revealed.add(p.id());
                Map<String, Object> e = event("hint");
                e.put("n", current.number());
                e.put("point", p.id());
                write(e);
                return Optional.of(p.point());
            }
        }
        return Optional.empty();
    }

    /**
     * Called by the screen every second with what the candidate has typed so far: when the time is up, that text
     * is submitted as the answer.
     */
    public Optional<Answered> tick(String draft) {
        if (current != null && !paused() && timeUp()) {
            return Optional.of(submit(draft, "timeout"));
        }
        return Optional.empty();
    }

    /** Submits an answer (typed, spoken, or what was typed when time ran out), grades it and moves on. */
    public Answered submit(String text, String via) {
        return finish(text == null ? "" : text, via, false);
    }

    /** Skips the current question: it scores 0 and gets no follow-up. */
    public Answered skip() {
        return finish("", "skip", true);
    }

    private Answered finish(String text, String via, boolean skipped) {
        if (current == null) {
            throw new IllegalStateException("the session is over");
        }
        long millis = Math.max(0, (pausedSince >= 0 ? pausedSince : clock.millis()) - askedAt - pausedTotal);
        Turn turn = current;
        Map<String, Object> a = event("answer");
        a.put("n", turn.number());
        a.put("text", text);
        a.put("millis", millis);
        a.put("via", via);
        a.put("hints", revealed.size());
        a.put("skipped", skipped);
        write(a);
        Grade g = skipped ? skippedGrade(turn) : grader.grade(turn.rubric(), text);
        Map<String, Object> ge = event("grade");
        ge.put("n", turn.number());
        ge.put("grade", g);
        write(ge);
        Answered done = new Answered(turn, text, millis, via, revealed.size(), skipped, g);
        answered.add(done);
        advance(done);
        return done;
    }

    private static Grade skippedGrade(Turn t) {
        return new Grade(t.rubric().id(), 0, List.of(), t.rubric().outline().stream().map(OutlinePoint::id).toList(), List.of(), List.of(),
                List.of(), "Skipped.", "none", "none", "none", false, List.of());
    }

    private void advance(Answered done) {
        Turn t = done.turn();
        if (!done.skipped() && t.depth() < plan.followups()) {
            Question from = t.rubric();
            Optional<FollowUp> f = FollowUpChooser.choose(from, done.grade(), askedFollowups);
            if (f.isPresent()) {
                askedFollowups.add(FollowUpChooser.key(from, f.get()));
                Question rubric = f.get().ref() == null ? from : bank.question(f.get().ref()).orElse(from);
                ask(new Turn(turnNumber + 1, t.main(), rubric, f.get().question(), t.depth() + 1, from.id(), f.get().probes()));
                return;
            }
        }
        if (t.main() + 1 < plan.questionIds().size()) {
            ask(mainTurn(t.main() + 1));
        } else {
            current = null;
            Map<String, Object> e = event("end");
            e.put("average", Scorecard.of(answered, bank).average());
            write(e);
        }
    }

    private Turn mainTurn(int index) {
        Question q = bank.question(plan.questionIds().get(index))
                .orElseThrow(() -> new IllegalStateException("question '" + plan.questionIds().get(index) + "' is not in the bank"));
        return new Turn(turnNumber + 1, index, q, q.question(), 0, null, null);
    }

    private void ask(Turn t) {
        current = t;
        turnNumber = t.number();
        askedAt = clock.millis();
        pausedTotal = 0;
        pausedSince = -1;
        revealed.clear();
        Map<String, Object> e = event("question");
        e.put("n", t.number());
        e.put("main", t.main());
        e.put("id", t.rubric().id());
        e.put("text", t.text());
        e.put("depth", t.depth());
        if (t.parentId() != null) {
            e.put("parent", t.parentId());
        }
        if (t.probes() != null) {
            e.put("probes", t.probes());
        }
        write(e);
    }

    public Scorecard scorecard() {
        return Scorecard.of(answered, bank);
    }

    private Map<String, Object> event(String type) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("at", clock.millis());
        return e;
    }

    private void write(Map<String, Object> e) {
        if (!restoring) {
            transcript.write(e);
        }
    }

    /** The plan recorded at the start of a transcript. */
    public static SessionPlan planOf(List<JsonNode> events) {
        for (JsonNode e : events) {
            if (e.path("type").asText().equals("session")) {
                return JSON.convertValue(e.get("plan"), SessionPlan.class);
            }
        }
        throw new IllegalArgumentException("the transcript has no session start");
    }

    /**
     * Rebuilds a session from its transcript and re-asks the question that was open when it stopped (an answer
     * that was being typed is lost; every answer that was submitted is kept with its grade).
     */
    public static Interview restore(List<JsonNode> events, Bank bank, Grader grader, Clock clock, Transcript transcript) {
        Interview in = new Interview(planOf(events), bank, grader, clock, transcript);
        in.restoring = true;
        in.ask(in.mainTurn(0));
        Map<Integer, JsonNode> answers = new LinkedHashMap<>();
        for (JsonNode e : events) {
            switch (e.path("type").asText()) {
                case "answer" -> answers.put(e.get("n").asInt(), e);
                case "grade" -> {
                    JsonNode a = answers.get(e.get("n").asInt());
                    if (a == null || in.current == null || in.current.number() != e.get("n").asInt()) {
                        continue;
                    }
                    Grade g = JSON.convertValue(e.get("grade"), Grade.class);
                    Answered done = new Answered(in.current, a.get("text").asText(), a.get("millis").asLong(), a.get("via").asText(),
                            a.get("hints").asInt(), a.get("skipped").asBoolean(), g);
                    in.answered.add(done);
                    in.advance(done);
                }
                case "question" -> {
                    // follow-ups asked are re-derived by advance() as the grades are replayed
                }
                default -> {
                }
            }
        }
        in.restoring = false;
        if (in.current != null) {
            in.ask(in.current);
            Map<String, Object> r = in.event("resumed");
            r.put("n", in.current.number());
            in.write(r);
        }
        return in;
    }
}
