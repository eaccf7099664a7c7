package dev.coach.cli;

import dev.coach.bank.Bank;
import dev.coach.bank.BankEnum;
import dev.coach.bank.Kind;
import dev.coach.bank.Level;
import dev.coach.bank.Question;
import dev.coach.bank.Role;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.function.Predicate;

/** The --category/--level/--role/--kind filters shared by commands that pick questions. */
public class QuestionFilter {
    @Option(names = "--category", paramLabel = "ID", description = "Only this category (see 'coach bank stats').")
    String category;

    @Option(names = "--level", paramLabel = "LEVEL", description = "Only this level: screen, mid or senior.")
    String level;

    @Option(names = "--role", paramLabel = "ROLE",
            description = "Only questions for this role: MLE, AI Engineer, Research Engineer, LLM Engineer, ML Infra Engineer, "
                    + "Applied Scientist (case and spaces ignored, e.g. ai-engineer).")
    String role;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "Only this kind: conceptual, design, calculation, comparison, debugging, communication.")
    String kind;

    public List<Question> apply(Bank bank) {
        Predicate<Question> p = q -> true;
        if (category != null) {
            if (bank.category(category).isEmpty()) {
                throw new UsageException("unknown category '" + category + "'; categories: "
                        + String.join(", ", bank.categories().stream().map(c -> c.id()).toList()));
            }
            p = p.and(q -> category.equals(q.category()));
        }
        if (level != null) {
            Level l = BankEnum.parseLenient(Level.class, level).orElseThrow(() ->
                    new UsageException("unknown level '" + level + "'; use one of: " + BankEnum.choices(Level.class)));
            p = p.and(q -> q.level() == l);
        }
        if (role != null) {
            Role r = BankEnum.parseLenient(Role.class, role).orElseThrow(() ->
                    new UsageException("unknown role '" + role + "'; use one of: " + BankEnum.choices(Role.class)));
            p = p.and(q -> q.roles().contains(r));
        }
        if (kind != null) {
            Kind k = BankEnum.parseLenient(Kind.class, kind).orElseThrow(() ->
                    new UsageException("unknown kind '" + kind + "'; use one of: " + BankEnum.choices(Kind.class)));
            p = p.and(q -> q.kind() == k);
        }
        return bank.questions().stream().filter(p).toList();
    }
}
