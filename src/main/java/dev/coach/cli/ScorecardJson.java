package dev.coach.cli;

import dev.coach.interview.Interview;
import dev.coach.interview.Scorecard;

import java.util.LinkedHashMap;

import java.util.Map;

/** The scorecard as plain data for --json. */
final class ScorecardJson {
    private ScorecardJson() {
    }

    static Map<String, Object> of(Scorecard c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("average", c.average());
        m.put("target", c.target());
        m.put("byCategory", c.byCategory());
        m.put("weakest", c.weakest());
        m.put("drillNext", c.drillNext());
        m.put("questions", c.items().stream().map(i -> {
            Map<String, Object> q = answer(i.main());
            q.put("followups", i.followups().stream().map(ScorecardJson::answer).toList());
            return q;
        }).toList());
        return m;
    }

    private static Map<String, Object> answer(Interview.Answered a) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("id", a.turn().rubric().id());
        q.put("asked", a.turn().text());
        q.put("score", a.grade().score());
        q.put("skipped", a.skipped());
        q.put("hints", a.hints());
        q.put("feedback", a.grade().feedback());
        q.put("missed", a.grade().missed());
        return q;
    }

}
