package dev.coach.interview;

import dev.coach.bank.FollowUp;
import dev.coach.bank.OutlinePoint;
import dev.coach.bank.Question;
import dev.coach.grade.Grade;
import dev.coach.grade.TrapHit;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the documented follow-up that probes the biggest gap in the answer: first one that probes a missed
 * essential point, then one that probes a committed trap, then a missed supporting point, then one that leads
 * to another bank question, then the first not yet asked.
 */
public final class FollowUpChooser {
    private FollowUpChooser() {
    }

    /** How an asked follow-up is remembered: the question it belongs to and its text. */
    public static String key(Question q, FollowUp f) {
        return q.id() + "|" + f.question();
    }

    public static Optional<FollowUp> choose(Question q, Grade g, Set<String> alreadyAsked) {
        List<FollowUp> open = q.followups().stream().filter(f -> !alreadyAsked.contains(key(q, f))).toList();
        if (open.isEmpty()) {
            return Optional.empty();
        }
        Set<String> essential = q.outline().stream().filter(OutlinePoint::essential).map(OutlinePoint::id)
                .collect(java.util.stream.Collectors.toSet());
        Set<String> traps = g.traps().stream().map(TrapHit::index).map(i -> "trap:" + i).collect(java.util.stream.Collectors.toSet());
        for (FollowUp f : open) {
            if (f.probes() != null && essential.contains(f.probes()) && g.missed().contains(f.probes())) {
                return Optional.of(f);
            }
        }
        for (FollowUp f : open) {
            if (f.probes() != null && traps.contains(f.probes())) {
                return Optional.of(f);
            }
        }
        for (FollowUp f : open) {
            if (f.probes() != null && g.missed().contains(f.probes())) {
                return Optional.of(f);
            }
        }
        return open.stream().filter(f -> f.ref() != null).findFirst().or(() -> Optional.of(open.getFirst()));
    }
}
