package dev.coach.interview;

import dev.coach.bank.Bank;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end of a session: each main question's grade with its follow-ups, the average against the 1.5 target,
 * averages per category, and the weakest category with what to drill next.
 */
public record Scorecard(List<Item> items, double average, double target, Map<String, Double> byCategory, String weakest, String drillNext) {
    public static final double TARGET = 1.5;

    /** A main question and the follow-ups asked after it. */
    public record Item(Interview.Answered main, List<Interview.Answered> followups) {
    }

    public static Scorecard of(List<Interview.Answered> answered, Bank bank) {
        List<Item> items = new ArrayList<>();
        for (Interview.Answered a : answered) {
            if (!a.turn().followup()) {
                items.add(new Item(a, new ArrayList<>()));
            } else if (!items.isEmpty()) {
                items.getLast().followups().add(a);
            }
        }
        double avg = answered.stream().mapToInt(a -> a.grade().score()).average().orElse(0);
        Map<String, List<Integer>> cat = new TreeMap<>();
        for (Interview.Answered a : answered) {
            cat.computeIfAbsent(a.turn().rubric().category(), k -> new ArrayList<>()).add(a.grade().score());
        }
        Map<String, Double> byCategory = new LinkedHashMap<>();
        cat.forEach((k, v) -> byCategory.put(k, v.stream().mapToInt(Integer::intValue).average().orElse(0)));
        String weakest = byCategory.entrySet().stream().min(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        String drill = weakest == null ? null : "coach drill --category " + weakest
                + bank.category(weakest).map(c -> "   (" + c.title() + ": " + c.description() + ")").orElse("");
        return new Scorecard(items, avg, TARGET, byCategory, weakest, drill);
    }
}
