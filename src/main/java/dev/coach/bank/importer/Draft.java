package dev.coach.bank.importer;

import dev.coach.bank.Frequency;
import dev.coach.bank.Kind;
import dev.coach.bank.Level;
import dev.coach.bank.Role;

import java.util.ArrayList;
import java.util.List;

/** What the body parser found for one question, before it becomes a bank {@code Question}. */
final class Draft {
    final List<String> outline = new ArrayList<>();
    final List<String> followups = new ArrayList<>();
    final List<String> traps = new ArrayList<>();
    final List<String> numbers = new ArrayList<>();
    final List<String> tips = new ArrayList<>();
    final List<Role> roles = new ArrayList<>();
    Level level;
    Frequency frequency;
    Kind kind;
    int skippedLines;
}
