package dev.coach.bank.importer;

import dev.coach.bank.FollowUp;
import dev.coach.bank.Frequency;
import dev.coach.bank.KeyNumber;
import dev.coach.bank.Kind;
import dev.coach.bank.Level;
import dev.coach.bank.OutlinePoint;
import dev.coach.bank.Question;
import dev.coach.bank.Role;
import dev.coach.bank.Trap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Markdown (or Markdown-ish plain text) question bank into bank questions. The layout is recognised
 * from the document's own markers; the imported text is kept as it is, since the file is the user's own.
 * Whatever a document lacks (level, roles, traps, follow-ups) is filled with a stated default or left for
 * the linter to report, never invented.
 */
public final class MarkdownImporter {
    private static final Pattern TAGGED_Q = Pattern.compile("^Q:\\s*[\"“]?(.+?)[\"”]?\\s*$");
    private static final Pattern NUMBERED_Q = Pattern.compile("^Q(\\d{1,3})\\.\\s+(.+)$");
    private static final Pattern COLON_Q = Pattern.compile("^Q(\\d{1,3}):\\s+(.+)$");
    private static final Pattern HANDBOOK_Q = Pattern.compile("^Q(\\d{1,3})$");
    private static final Pattern QUICK_Q = Pattern.compile("^[\"“](.+?)[\"”]\\s*(?:→|->)\\s*(.+)$");
    private static final Pattern QUICK_HEADING = Pattern.compile("(?i)^.{0,40}quick[- ]?reference.{0,40}$");
    private static final Pattern DIFFICULTY = Pattern.compile("(?i)^difficulty\\s*:.*");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*$");
    private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "is", "are",
            "what", "how", "why", "does", "do", "it", "its", "with", "by", "be", "as", "at", "you", "your", "that", "this", "when",
            "which", "would", "can", "explain", "describe", "s", "we", "i", "me", "our");

    /** The questions read from one document, and what was recognised and skipped along the way. */
    public record Result(Path file, Layout layout, List<Question> questions, ImportReport report) {
    }

    private MarkdownImporter() {
    }

    /** Imports {@code text}, read from {@code file}, as questions of {@code category}. */
    public static Result importText(Path file, String text, String category) {
        List<String> lines = text.lines().toList();
        Layout layout = detect(lines);
        List<Block> blocks = split(lines, layout);
        ImportReport report = new ImportReport(file, layout);
        report.skippedLines = leadingSkipped(lines, blocks);
        List<Question> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        int ordinal = 0;
        for (Block b : blocks) {
            ordinal++;
            Draft d = BodyParser.parse(b.body(), layout);
            report.skippedLines += d.skippedLines;
            int number = b.number() > 0 ? b.number() : ordinal;
            String label = stem + "#" + (layout == Layout.QUICK_REFERENCE ? "R" : "Q") + String.format("%02d", number);
            String questionText = b.question();
            if (b.headingMissing()) {
                String first = d.outline.isEmpty() ? "" : BodyParser.sentences(d.outline.getFirst()).getFirst();
                questionText = "[question " + number + ": heading missing in the source] " + first;
                report.warnings.add("line " + b.line() + ": question " + number + " has a Difficulty line but no heading; "
                        + "imported with a placeholder question text — write the question in");
            }
            Question q = build(unique(slug(questionText, number), ids), questionText, category, label, d, report);
            out.add(q);
        }
        report.questions = out.size();
        return new Result(file, layout, out, report);
    }

    private static Question build(String id, String text, String category, String label, Draft d, ImportReport report) {
        List<OutlinePoint> outline = new ArrayList<>();
        Set<String> pointIds = new HashSet<>();
        for (int i = 0; i < d.outline.size(); i++) {
            outline.add(new OutlinePoint(unique(slug(d.outline.get(i), i + 1), pointIds), d.outline.get(i), i < 2));
        }
        for (String tip : d.tips) {
            outline.add(new OutlinePoint(unique("interview-tip", pointIds), "Interview tip: " + tip, false));
        }
        List<KeyNumber> numbers = d.numbers.stream().map(MarkdownImporter::figure).toList();
        List<Trap> traps = d.traps.stream().map(MarkdownImporter::trap).toList();
        List<FollowUp> followups = d.followups.stream().map(f -> new FollowUp(f, null, null)).toList();
        report.count(ImportReport.Part.OUTLINE, !d.outline.isEmpty());
        report.count(ImportReport.Part.FOLLOWUPS, !followups.isEmpty());
        report.count(ImportReport.Part.TRAPS, !traps.isEmpty());
        report.count(ImportReport.Part.NUMBERS, !numbers.isEmpty());
        report.count(ImportReport.Part.LEVEL, d.level != null);
        report.count(ImportReport.Part.ROLES, !d.roles.isEmpty());
        report.count(ImportReport.Part.TIPS, !d.tips.isEmpty());
        return new Question(id, text, category,
                d.level == null ? Level.MID : d.level,
                d.frequency == null ? Frequency.COMMON : d.frequency,
                d.kind == null ? Kind.CONCEPTUAL : d.kind,
                d.roles.isEmpty() ? List.of(Role.LLM_ENGINEER) : d.roles,
                List.of(label), outline, numbers, traps, followups, List.of(), null);
    }

    private static KeyNumber figure(String text) {
        int colon = text.indexOf(": ");
        if (colon > 0 && colon < text.length() - 2) {
            return new KeyNumber(text.substring(colon + 2).strip(), text.substring(0, colon).strip());
        }
        return new KeyNumber(text, "as stated in the source");
    }

    private static Trap trap(String text) {
        List<String> parts = BodyParser.sentences(text);
        if (parts.size() > 1) {
            return new Trap(parts.getFirst(), String.join(" ", parts.subList(1, parts.size())));
        }
        return new Trap(text, "(the source gives no reason; add one)");
    }

    // ---- layout detection and splitting -------------------------------------------------------

    static Layout detect(List<String> lines) {
        Map<Layout, Integer> score = new EnumMap<>(Layout.class);
        for (String raw : lines) {
            String l = MarkdownText.clean(raw);
            if (TAGGED_Q.matcher(l).matches()) {
                score.merge(Layout.TAGGED, 1, Integer::sum);
            }
            if (l.startsWith("Tags:")) {
                score.merge(Layout.TAGGED, 1, Integer::sum);
            }
            if (NUMBERED_Q.matcher(l).matches()) {
                score.merge(Layout.NUMBERED, 1, Integer::sum);
            }
            if (DIFFICULTY.matcher(l).matches() && l.contains("|")) {
                score.merge(Layout.NUMBERED, 1, Integer::sum);
            }
            if (COLON_Q.matcher(l).matches()) {
                score.merge(Layout.Q_COLON, 2, Integer::sum);
            }
            if (HANDBOOK_Q.matcher(l).matches()) {
                score.merge(Layout.HANDBOOK, 2, Integer::sum);
            }
            if (QUICK_Q.matcher(l).matches()) {
                score.merge(Layout.QUICK_REFERENCE, 2, Integer::sum);
            }
        }
        return score.entrySet().stream().filter(e -> e.getValue() >= 2).max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey).orElse(Layout.HEADINGS);
    }

    static List<Block> split(List<String> lines, Layout layout) {
        List<Block> blocks = new ArrayList<>();
        List<String> body = null;
        int headingLevel = layout == Layout.HEADINGS ? questionHeadingLevel(lines) : 0;
        boolean sawDifficulty = false;
        int quickStart = 0;
        if (layout == Layout.QUICK_REFERENCE) {
            for (int i = 0; i < lines.size(); i++) {
                if (QUICK_HEADING.matcher(MarkdownText.clean(lines.get(i))).matches()) {
                    quickStart = i;
                }
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String l = MarkdownText.clean(raw);
            Matcher m;
            switch (layout) {
                case TAGGED -> {
                    if ((m = TAGGED_Q.matcher(l)).matches()) {
                        body = start(blocks, 0, m.group(1), i);
                        continue;
                    }
                }
                case NUMBERED -> {
                    if ((m = NUMBERED_Q.matcher(l)).matches()) {
                        body = start(blocks, Integer.parseInt(m.group(1)), m.group(2), i);
                        sawDifficulty = false;
                        continue;
                    }
                    if (DIFFICULTY.matcher(l).matches() && l.contains("|")) {
                        if (body == null || sawDifficulty) {
                            int number = blocks.isEmpty() ? 1 : blocks.getLast().number() + 1;
                            blocks.add(new Block(number, "", i + 1, new ArrayList<>(), true));
                            body = blocks.getLast().body();
                        }
                        sawDifficulty = true;
                    }
                }
                case Q_COLON -> {
                    if ((m = COLON_Q.matcher(l)).matches()) {
                        body = start(blocks, Integer.parseInt(m.group(1)), m.group(2), i);
                        continue;
                    }
                }
                case HANDBOOK -> {
                    if ((m = HANDBOOK_Q.matcher(l)).matches()) {
                        int j = i + 1;
                        while (j < lines.size() && lines.get(j).isBlank()) {
                            j++;
                        }
                        if (j < lines.size()) {
                            body = start(blocks, Integer.parseInt(m.group(1)), MarkdownText.clean(lines.get(j)), i);
                            i = j;
                            continue;
                        }
                    }
                }
                case QUICK_REFERENCE -> {
                    if (i >= quickStart && (m = QUICK_Q.matcher(l)).matches() && m.group(1).split("\\s+").length >= 3) {
                        body = start(blocks, 0, m.group(1), i);
                        body.add(m.group(2));
                        body = null;
                        continue;
                    }
                }
                case HEADINGS -> {
                    if ((m = HEADING.matcher(raw.strip())).matches()) {
                        if (m.group(1).length() == headingLevel) {
                            body = start(blocks, 0, MarkdownText.clean(m.group(2)), i);
                        } else if (m.group(1).length() < headingLevel) {
                            body = null;
                        } else if (body != null) {
                            body.add(raw);
                        }
                        continue;
                    }
                }
            }
            if (body != null) {
                body.add(raw);
            }
        }
        return blocks;
    }

    /** The deepest heading level that has body text under it: where the questions are in a plain Markdown file. */
    private static int questionHeadingLevel(List<String> lines) {
        int best = 1;
        Map<Integer, Integer> withBody = new java.util.HashMap<>();
        int level = 0;
        boolean text = false;
        for (String raw : lines) {
            Matcher m = HEADING.matcher(raw.strip());
            if (m.matches()) {
                if (level > 0 && text) {
                    withBody.merge(level, 1, Integer::sum);
                }
                level = m.group(1).length();
                text = false;
            } else if (!raw.isBlank()) {
                text = true;
            }
        }
        if (level > 0 && text) {
            withBody.merge(level, 1, Integer::sum);
        }
        int most = 0;
        for (Map.Entry<Integer, Integer> e : withBody.entrySet()) {
            if (e.getValue() > most || (e.getValue() == most && e.getKey() > best)) {
                most = e.getValue();
                best = e.getKey();
            }
        }
        return best;
    }

    private static List<String> start(List<Block> blocks, int number, String question, int index) {
        List<String> body = new ArrayList<>();
        blocks.add(new Block(number, question.strip(), index + 1, body, false));
        return body;
    }

    private static int leadingSkipped(List<String> lines, List<Block> blocks) {
        int first = blocks.isEmpty() ? lines.size() : blocks.getFirst().line() - 1;
        return (int) lines.subList(0, Math.min(first, lines.size())).stream().filter(l -> !l.isBlank()).count();
    }

    // ---- ids ----------------------------------------------------------------------------------

    static String slug(String text, int fallback) {
        List<String> words = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!w.isEmpty() && !STOP.contains(w)) {
                words.add(w);
            }
            if (words.size() == 5) {
                break;
            }
        }
        String s = String.join("-", words);
        if (s.length() > 48) {
            s = s.substring(0, 48).replaceAll("-[^-]*$", "");
        }
        return s.isEmpty() ? "question-" + fallback : s;
    }

    private static String unique(String base, Set<String> used) {
        String id = base;
        for (int n = 2; !used.add(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

}
