package dev.coach.bank;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ranked, typo-tolerant search over the bank. Each query word is matched against the words of a question's
 * id, text, category, outline, numbers and traps: exactly, as a prefix, or within a small edit distance.
 * Matches are weighted by field (the question text counts most) and by how rare the matched word is in the bank.
 */
public final class BankSearch {
    private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "is", "are",
            "what", "how", "why", "does", "do", "it", "its", "with", "by", "be", "as", "at", "vs", "you", "your", "that", "this", "when");

    /** One result: the question, its score, and the query words that found nothing in it. */
    public record Hit(Question question, double score, List<String> unmatched) {
    }

    private record Field(double weight, Set<String> words) {
    }

    private final List<Question> questions;
    private final Map<String, List<Field>> fields = new HashMap<>();
    private final Map<String, Integer> docFreq = new HashMap<>();

    public BankSearch(Bank bank) {
        this.questions = bank.questions();
        for (Question q : questions) {
            List<Field> fs = new ArrayList<>();
            fs.add(new Field(3.0, words(q.id().replace('-', ' '))));
            fs.add(new Field(3.0, words(q.question())));
            fs.add(new Field(1.5, words(q.category().replace('-', ' '))));
            StringBuilder body = new StringBuilder();
            q.outline().forEach(p -> body.append(p.point()).append(' '));
            fs.add(new Field(1.0, words(body.toString())));
            StringBuilder extra = new StringBuilder();
            q.numbers().forEach(n -> extra.append(n.figure()).append(' ').append(n.measures()).append(' '));
            q.traps().forEach(t -> extra.append(t.mistake()).append(' '));
            q.followups().forEach(f -> extra.append(f.question()).append(' '));
            fs.add(new Field(0.5, words(extra.toString())));
            fields.put(q.id(), fs);
            Set<String> all = new HashSet<>();
            fs.forEach(f -> all.addAll(f.words()));
            all.forEach(w -> docFreq.merge(w, 1, Integer::sum));
        }
    }

    public List<Hit> search(String query, int limit) {
        List<String> terms = new ArrayList<>(words(query));
        if (terms.isEmpty()) {
            terms = query.toLowerCase(Locale.ROOT).strip().isEmpty() ? List.of() : List.of(query.toLowerCase(Locale.ROOT).strip());
        }
        String phrase = query.toLowerCase(Locale.ROOT).strip();
        List<Hit> hits = new ArrayList<>();
        int n = questions.size();
        for (Question q : questions) {
            double score = 0;
            List<String> unmatched = new ArrayList<>();
            for (String t : terms) {
                double best = 0;
                for (Field f : fields.get(q.id())) {
                    for (String w : f.words()) {
                        double m = match(t, w);
                        if (m > 0) {
                            double idf = Math.log(1.0 + (double) n / docFreq.getOrDefault(w, 1));
                            best = Math.max(best, f.weight() * m * idf);
                        }
                    }
                }
                if (best == 0) {
                    unmatched.add(t);
                }
                score += best;
            }
            if (score <= 0) {
                continue;
            }
            if (unmatched.isEmpty() && terms.size() > 1) {
                score *= 1.5;
            }
            if (phrase.length() > 3 && (q.question().toLowerCase(Locale.ROOT).contains(phrase) || q.id().contains(phrase.replace(' ', '-')))) {
                score *= 1.5;
            }
            hits.add(new Hit(q, score, unmatched));
        }
        hits.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparing(h -> h.question().id()));
        return hits.size() > limit ? hits.subList(0, limit) : hits;
    }

    /** How well query word t matches document word w: 1 exact, less for a prefix or a near spelling, 0 for none. */
    static double match(String t, String w) {
        if (t.equals(w)) {
            return 1.0;
        }
        if (t.length() >= 3 && w.startsWith(t)) {
            return 0.85;
        }
        if (w.length() >= 4 && t.length() >= 4 && t.startsWith(w)) {
            return 0.7;
        }
        if (t.length() >= 4 && Math.abs(t.length() - w.length()) <= 2) {
            int d = Spelling.distance(t, w);
            if (d == 1) {
                return 0.75;
            }
            if (d == 2 && t.length() >= 7) {
                return 0.55;
            }
        }
        return 0;
    }

    static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty() && !STOP.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
