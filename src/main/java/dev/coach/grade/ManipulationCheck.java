package dev.coach.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic pre-check for text that addresses the grader instead of answering the question: orders to
 * ignore the rubric, requests for a score, fake grades or JSON, role lines such as "system:", forged answer
 * delimiters. Such text is cut out before grading, so it earns nothing and costs nothing.
 */
public final class ManipulationCheck {
    private static final List<Pattern> PATTERNS = List.of(
            // an order, not a description: at the start of a sentence or clause, or after "please"/"you must"
            Pattern.compile("(?i)(^\\s*|[:;,!]\\s*|\\b(please|now|kindly|you must|you should|you will|and)\\s+)(ignore|disregard|forget|override|bypass)\\b[^.\\n]{0,40}\\b(instructions?|rubric|prompt|rules|guidelines|criteria|above|previous)\\b"),
            Pattern.compile("(?i)\\b(give|award|assign|grant|output|return|score|grade|rate|mark)\\b[^.\\n]{0,25}?("
                    + "\\b(score|grade|mark)s?( of| =|:)? ?(2|two)\\b"
                    + "|\\b(2|two)(?=\\s*(/\\s*2|out of|marks?\\b|points?\\b|[.!,;)]|$))"
                    + "|\\b(full marks?|full credit|max score|top score|perfect score|maximum)\\b)"),
            Pattern.compile("(?i)\\b(this|my|the) answer (deserves|earns|merits|should (get|receive))\\b"),
            Pattern.compile("(?i)\\b(the )?(grader|judge|evaluator|assistant|model|ai)\\b[^.\\n]{0,20}\\b(must|should|will|is instructed to|has to)\\b[^.\\n]{0,40}\\b(award|give|score|grade|mark|output|rate)"),
            Pattern.compile("(?im)^\\s*\\[?(system|assistant|developer|user|grader|judge|evaluator|reviewer)\\b[^:\\n]{0,30}:"),
            Pattern.compile("(?i)\\{\\s*\"?(score|grade)\"?\\s*:"),
            Pattern.compile("(?i)\\b(score|grade)\\s*[:=]\\s*[0-9]"),
            Pattern.compile("(?i)</?\\s*(answer|rubric|system|instructions?)[^>]{0,40}>"),
            Pattern.compile("(?i)\\b(new|updated|additional) instructions?\\b"),
            Pattern.compile("(?i)\\bas the (rubric|grader|judge|marking scheme) (says|states|requires)\\b"),
            Pattern.compile("(?i)\\b(end of (the )?(candidate'?s? )?(answer|response|transcript)|(answer|response) ends here)\\b"),
            Pattern.compile("(?i)\\b(answer|response|transcript) (was |has been )?(truncated|cut off|verified|pre-?approved)\\b"),
            Pattern.compile("(?i)\\byou are (now )?(a|an|the) (grader|judge|evaluator)\\b"),
            Pattern.compile("(?i)\\b(note|message|memo|instruction|request)s? (to|for) the (evaluator|grader|judge|reviewer|marker|assessor|examiner)\\b"),
            Pattern.compile("(?i)\\b(instructions?|rubric|criteria|rules)\\b[^.\\n]{0,30}\\b(superseded|overridden|no longer appl(y|ies)|void|replaced)\\b"),
            Pattern.compile("(?i)\\b(maximum|full|perfect|top|highest) (score|marks?|credit|grade|points)\\b"),
            Pattern.compile("(?i)\\b(grader|evaluator|reviewer|judge|marker)('s)? (note|verdict|decision|confidence)\\b"));
    private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]*(?:[.!?]+|\\n|$)");

    /** What the pre-check found: the answer with flagged sentences removed, and the removed text. */
    public record Result(String cleaned, List<String> removed) {
        public boolean flagged() {
            return !removed.isEmpty();
        }
    }

    private ManipulationCheck() {
    }

    private static final Pattern QUOTED = Pattern.compile("\"[^\"]{1,300}\"|“[^”]{1,300}”|(?<![\\p{L}])'[^']{1,300}'(?![\\p{L}])");

    /** A match counts only outside quotation marks: quoting an attack describes it, it does not make one. */
    private static boolean unquotedMatch(Pattern p, String sentence) {
        Matcher m = p.matcher(sentence);
        while (m.find()) {
            Matcher q = QUOTED.matcher(sentence);
            boolean inside = false;
            while (q.find()) {
                if (m.start() >= q.start() && m.end() <= q.end()) {
                    inside = true;
                    break;
                }
            }
            if (!inside) {
                return true;
            }
        }
        return false;
    }

    public static Result check(String answer) {
        String text = answer == null ? "" : answer;
        // A fake JSON object is removed whole, braces and all.
        List<String> removed = new ArrayList<>();
        Matcher json = Pattern.compile("\\{[^{}]{0,400}\"(score|grade)\"[^{}]{0,400}}").matcher(text);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (json.find()) {
            rest.append(text, last, json.start()).append(' ');
            removed.add(json.group().strip());
            last = json.end();
        }
        rest.append(text.substring(last));
        StringBuilder kept = new StringBuilder();
        Matcher s = SENTENCE.matcher(rest);
        while (s.find()) {
            String sentence = s.group();
            if (sentence.isEmpty()) {
                if (s.end() >= rest.length()) {
                    break;
                }
                continue;
            }
            if (PATTERNS.stream().anyMatch(p -> unquotedMatch(p, sentence))) {
                removed.add(sentence.strip());
            } else {
                kept.append(sentence);
            }
            if (s.end() >= rest.length()) {
                break;
            }
        }
        return new Result(kept.toString().replaceAll("[ \\t]+", " ").strip(), List.copyOf(removed));
    }
}
