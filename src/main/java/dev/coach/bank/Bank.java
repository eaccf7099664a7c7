package dev.coach.bank;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The loaded, validated question bank: read-only at run time. */
public final class Bank {
    private final Map<String, Category> categories;
    private final Map<String, Question> questions;

    public Bank(Collection<Category> categories, Collection<Question> questions) {
        this.categories = new LinkedHashMap<>();
        categories.forEach(c -> this.categories.put(c.id(), c));
        this.questions = new LinkedHashMap<>();
        questions.forEach(q -> this.questions.put(q.id(), q));
    }

    public List<Category> categories() {
        return List.copyOf(categories.values());
    }

    public Optional<Category> category(String id) {
        return Optional.ofNullable(categories.get(id));
    }

    public List<Question> questions() {
        return List.copyOf(questions.values());
    }

    public Optional<Question> question(String id) {
        return Optional.ofNullable(questions.get(id));
    }

    public int size() {
        return questions.size();
    }
}
