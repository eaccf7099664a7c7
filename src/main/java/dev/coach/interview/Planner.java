package dev.coach.interview;

import dev.coach.bank.Level;
import dev.coach.bank.Question;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Chooses the main questions of a session from the (already filtered) candidates: a mix of levels, taken in turn
 * (screen, mid, senior, ...), more common questions first within a level, shuffled by the seed so the same seed
 * gives the same plan.
 */
public final class Planner {
    private Planner() {
    }

    public static List<Question> choose(List<Question> candidates, int count, long seed) {
        Random random = new Random(seed);
        Map<Level, List<Question>> byLevel = new EnumMap<>(Level.class);
        List<Question> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparing(Question::id));
        for (Question q : sorted) {
            byLevel.computeIfAbsent(q.level(), l -> new ArrayList<>()).add(q);
        }
        for (List<Question> qs : byLevel.values()) {
            java.util.Collections.shuffle(qs, random);
            qs.sort(Comparator.comparingInt(q -> q.frequency().ordinal()));
            // keep the shuffle's order within one frequency, but let frequent questions come first
        }
        List<Question> out = new ArrayList<>();
        while (out.size() < count && byLevel.values().stream().anyMatch(l -> !l.isEmpty())) {
            for (Level l : Level.values()) {
                List<Question> qs = byLevel.get(l);
                if (qs != null && !qs.isEmpty() && out.size() < count) {
                    out.add(qs.remove(0));
                }
            }
        }
        return out;
    }
}
