package dev.coach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coach.bank.Bank;
import dev.coach.bank.BankSearch;
import dev.coach.bank.Question;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A JSON Lines file of answers to grade: each line names the question (bank id or its exact text), the answer,
 * and optionally the expected grade ("expected" or "grade"), an id, a kind and a split. Every bad line is
 * reported with file:line and what to do.
 */
public final class AnswerFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer to grade. */
    public record Item(String id, Question question, String answer, Integer expected, String kind, String split, int line) {
    }

    private AnswerFile() {
    }

    public static List<Item> read(Path file, Bank bank) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
        List<Item> items = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i).strip();
            if (raw.isEmpty() || raw.startsWith("//")) {
                continue;
            }
            String at = file + ":" + (i + 1) + ": ";
            JsonNode n;
            try {
                n = JSON.readTree(raw);
            } catch (IOException e) {
                problems.add(at + "not a JSON object (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
                continue;
            }
            if (n == null || !n.isObject()) {
                problems.add(at + "each line must be a JSON object like {\"question\": \"kv-cache\", \"answer\": \"...\"}");
                continue;
            }
            String q = text(n, "question");
            String answer = text(n, "answer");
            if (q == null) {
                problems.add(at + "no \"question\" (a bank id or the question's text)");
                continue;
            }
            if (answer == null) {
                problems.add(at + "no \"answer\" (use \"\" for an empty answer)");
                continue;
            }
            Optional<Question> question = find(bank, q);
            if (question.isEmpty()) {
                problems.add(at + "no bank question with id or text '" + abbreviate(q) + "'" + suggestion(bank, q));
                continue;
            }
            Integer expected = null;
            JsonNode e = n.has("expected") ? n.get("expected") : n.get("grade");
            if (e != null && !e.isNull()) {
                if (!e.isIntegralNumber() || e.asInt() < 0 || e.asInt() > 2) {
                    problems.add(at + "expected grade must be 0, 1 or 2, not " + e);
                    continue;
                }
                expected = e.asInt();
            }
            String id = text(n, "id");
            items.add(new Item(id == null ? "line-" + (i + 1) : id, question.get(), answer, expected, text(n, "kind"), text(n, "split"), i + 1));
        }
        if (!problems.isEmpty()) {
            throw new UsageException(problems.size() + " bad line(s) in " + file + ":\n  " + String.join("\n  ", problems));
        }
        if (items.isEmpty()) {
            throw new UsageException(file + ": no answers in the file");
        }
        return items;
    }

    static Optional<Question> find(Bank bank, String idOrText) {
        Optional<Question> byId = bank.question(idOrText.strip());
        if (byId.isPresent()) {
            return byId;
        }
        String wanted = normal(idOrText);
        return bank.questions().stream().filter(q -> normal(q.question()).equals(wanted)).findFirst();
    }

    private static String suggestion(Bank bank, String q) {
        List<BankSearch.Hit> hits = new BankSearch(bank).search(q, 1);
        return hits.isEmpty() ? "" : "; closest: '" + hits.getFirst().question().id() + "'";
    }

    private static String normal(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 59) + "…" : s;
    }
}
