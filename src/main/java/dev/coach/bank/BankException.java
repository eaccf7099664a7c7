package dev.coach.bank;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a bank cannot be used; carries every problem found, not just the first. */
public class BankException extends RuntimeException {
    private final List<Problem> problems;

    public BankException(List<Problem> problems) {
        super(problems.size() + " problem(s) in the question bank:\n"
                + problems.stream().map(Problem::render).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
