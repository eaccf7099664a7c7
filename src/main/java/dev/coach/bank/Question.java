package dev.coach.bank;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/** A bank question with everything needed to ask it, grade it and follow it up. */
public record Question(
        String id,
        String question,
        String category,
        Level level,
        Frequency frequency,
        Kind kind,
        List<Role> roles,
        List<String> sources,
        List<OutlinePoint> outline,
        List<KeyNumber> numbers,
        List<Trap> traps,
        List<FollowUp> followups,
        List<String> related,
        @JsonIgnore Location location) {

    public Question {
        roles = List.copyOf(roles);
        sources = List.copyOf(sources);
        outline = List.copyOf(outline);
        numbers = List.copyOf(numbers);
        traps = List.copyOf(traps);
        followups = List.copyOf(followups);
        related = List.copyOf(related);
    }

    public List<OutlinePoint> essentialPoints() {
        return outline.stream().filter(OutlinePoint::essential).toList();
    }
}
