package dev.coach.grade;

import dev.coach.bank.KeyNumber;
import dev.coach.bank.OutlinePoint;
import dev.coach.bank.Question;
import dev.coach.bank.Trap;

import java.util.List;

/**
 * What an answer is graded against: the question's essential and supporting outline points, the figures a
 * strong answer drops, and the traps. Built from the bank question, nothing added.
 */
public record Rubric(String questionId, String question, String category, List<OutlinePoint> essential,
                     List<OutlinePoint> supporting, List<KeyNumber> numbers, List<Trap> traps) {

    public static Rubric of(Question q) {
        return new Rubric(q.id(), q.question(), q.category(),
                q.outline().stream().filter(OutlinePoint::essential).toList(),
                q.outline().stream().filter(p -> !p.essential()).toList(),
                q.numbers(), q.traps());
    }

    public List<OutlinePoint> points() {
        return java.util.stream.Stream.concat(essential.stream(), supporting.stream()).toList();
    }

    public boolean hasPoint(String id) {
        return points().stream().anyMatch(p -> p.id().equals(id));
    }
}
