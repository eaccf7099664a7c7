package dev.coach.bank.importer;

import dev.coach.bank.BankEnum;
import dev.coach.bank.Frequency;
import dev.coach.bank.Kind;
import dev.coach.bank.Level;
import dev.coach.bank.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the body of one question: labelled parts (answer or outline, numbers to drop, follow-ups, traps,
 * tags, difficulty and roles, an interview tip) in any of the recognised layouts, bullets on their own lines
 * or run together on one line.
 */
final class BodyParser {
    private enum Part { ANSWER, FOLLOWUPS, TRAPS, NUMBERS, TIP, SKIP }

    private static final Pattern ANSWER = Pattern.compile("(?i)^(answer outline|model answer|answer|show answer|short answer)\\s*:?\\s*(.*)$");
    private static final Pattern FOLLOWUPS = Pattern.compile("(?i)^(common follow-?ups|follow-?ups|follow-?up questions|likely follow-?ups)\\s*:?\\s*(.*)$");
    private static final Pattern TRAPS = Pattern.compile("(?i)^(traps|common traps|pitfalls|common mistakes|mistakes to avoid)\\s*:\\s*(.*)$");
    private static final Pattern NUMBERS = Pattern.compile("(?i)^(?:[-•*]\\s*)?(numbers to drop|key numbers|numbers)\\s*:\\s*(.*)$");
    private static final Pattern TAGS = Pattern.compile("(?i)^tags\\s*:\\s*(.*)$");
    private static final Pattern DIFFICULTY = Pattern.compile("(?i)^(difficulty|level)\\s*:\\s*([A-Za-z-]+)\\s*(?:\\|\\s*(?:target\\s+)?roles\\s*:\\s*(.*))?$");
    private static final Pattern ROLES = Pattern.compile("(?i)^(?:target\\s+)?roles\\s*:\\s*(.*)$");
    private static final Pattern TIP = Pattern.compile("^(?:→|->)\\s*(.+)$");
    private static final Pattern TIP_LABEL = Pattern.compile("(?i)^(interview tip|tip)\\s*:\\s*(.*)$");
    private static final Pattern RELATED = Pattern.compile("(?i)^related( cross-cutting| module)?\\s*:.*$");
    private static final Pattern BULLET = Pattern.compile("^(?:[-•*▪◦]|\\d{1,2}[.)])\\s+(.*)$");
    private static final Pattern QUOTED = Pattern.compile("[\"“]([^\"”]+)[\"”]");

    private BodyParser() {
    }

    static Draft parse(List<String> body, Layout layout) {
        Draft d = new Draft();
        Part part = Part.ANSWER;
        List<List<String>> answer = new ArrayList<>();
        List<List<String>> followups = new ArrayList<>();
        List<List<String>> traps = new ArrayList<>();
        List<List<String>> numbers = new ArrayList<>();
        List<List<String>> tips = new ArrayList<>();
        List<String> current = null;
        for (String raw : body) {
            String line = MarkdownText.clean(raw);
            if (line.isEmpty()) {
                current = null;
                continue;
            }
            Matcher m;
            if ((m = TAGS.matcher(line)).matches()) {
                applyTags(m.group(1), d);
                part = Part.SKIP;
                continue;
            }
            if ((m = DIFFICULTY.matcher(line)).matches()) {
                applyLevel(m.group(2), d);
                if (m.group(3) != null) {
                    applyRoles(m.group(3), d);
                }
                continue;
            }
            if ((m = ROLES.matcher(line)).matches()) {
                applyRoles(m.group(1), d);
                continue;
            }
            if (RELATED.matcher(line).matches()) {
                part = Part.SKIP;
                current = null;
                continue;
            }
            String rest = null;
            if ((m = FOLLOWUPS.matcher(line)).matches()) {
                part = Part.FOLLOWUPS;
                rest = m.group(2);
            } else if ((m = TRAPS.matcher(line)).matches()) {
                part = Part.TRAPS;
                rest = m.group(2);
            } else if ((m = NUMBERS.matcher(line)).matches()) {
                part = Part.NUMBERS;
                rest = m.group(2);
            } else if ((m = TIP.matcher(line)).matches() || (m = TIP_LABEL.matcher(line)).matches()) {
                part = Part.TIP;
                rest = m.groupCount() >= 2 ? m.group(2) : "";
            } else if ((m = ANSWER.matcher(line)).matches() && (m.group(2).isEmpty() || m.group(1).toLowerCase(Locale.ROOT).startsWith("answer outline"))) {
                part = Part.ANSWER;
                rest = m.group(2);
            }
            List<List<String>> target = switch (part) {
                case ANSWER -> answer;
                case FOLLOWUPS -> followups;
                case TRAPS -> traps;
                case NUMBERS -> numbers;
                case TIP -> tips;
                case SKIP -> null;
            };
            if (target == null) {
                d.skippedLines++;
                continue;
            }
            if (rest != null) {
                current = null;
                if (!rest.isBlank()) {
                    current = new ArrayList<>();
                    current.add(rest);
                    target.add(current);
                }
                continue;
            }
            Matcher b = BULLET.matcher(line);
            boolean listPart = part == Part.FOLLOWUPS || part == Part.TRAPS || part == Part.NUMBERS;
            if (listPart && !b.matches() && current == null && !target.isEmpty()) {
                part = Part.SKIP;
                d.skippedLines++;
                continue;
            }
            if (b.matches() || current == null) {
                current = new ArrayList<>();
                current.add(b.matches() ? b.group(1) : line);
                target.add(current);
            } else {
                current.add(line);
            }
            if (part == Part.TIP && layout == Layout.HANDBOOK) {
                part = Part.SKIP;
                current = null;
            }
        }
        for (String item : items(answer)) {
            Matcher n = NUMBERS.matcher(item);
            if (n.matches()) {
                d.numbers.addAll(figures(n.group(2)));
            } else if (layout == Layout.HANDBOOK && item.split("\\s+").length < 8) {
                d.skippedLines++;
            } else {
                d.outline.add(item);
            }
        }
        if (layout == Layout.QUICK_REFERENCE && d.outline.size() == 1) {
            d.outline.clear();
            d.outline.addAll(sentences(items(answer).getFirst()));
        }
        items(followups).forEach(f -> d.followups.add(unquote(f)));
        d.traps.addAll(items(traps));
        items(numbers).forEach(n -> d.numbers.addAll(figures(n)));
        d.tips.addAll(items(tips).stream().filter(t -> t.split("\\s+").length >= 3).toList());
        return d;
    }

    /** Joins each item's lines and splits items that were run together on one line as " - a - b". */
    private static List<String> items(List<List<String>> groups) {
        List<String> out = new ArrayList<>();
        for (List<String> g : groups) {
            String text = String.join(" ", g).strip();
            if (text.startsWith("- ")) {
                text = text.substring(2);
            }
            for (String piece : text.split("\\s+-\\s+(?=[\\p{L}\"“(\\d])")) {
                String p = piece.strip();
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static List<String> figures(String text) {
        List<String> out = new ArrayList<>();
        Matcher q = QUOTED.matcher(text);
        while (q.find()) {
            out.add(q.group(1).strip());
        }
        if (out.isEmpty() && !text.isBlank()) {
            out.add(text.strip());
        }
        return out;
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split("(?<=[.!?])\\s+(?=[A-Z(\"“])")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() > 1 && (t.startsWith("\"") || t.startsWith("“")) && (t.endsWith("\"") || t.endsWith("”"))) {
            return t.substring(1, t.length() - 1).strip();
        }
        return t;
    }

    private static void applyTags(String tags, Draft d) {
        for (String tag : tags.split("[·|,]")) {
            String t = tag.strip();
            level(t).ifPresent(l -> d.level = l);
            BankEnum.parseLenient(Frequency.class, t).ifPresent(f -> d.frequency = f);
            BankEnum.parseLenient(Kind.class, t).ifPresent(k -> d.kind = k);
        }
    }

    private static void applyLevel(String text, Draft d) {
        level(text.strip()).ifPresent(l -> d.level = l);
    }

    static Optional<Level> level(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "easy", "screen", "junior", "beginner" -> Optional.of(Level.SCREEN);
            case "medium", "mid", "intermediate" -> Optional.of(Level.MID);
            case "hard", "senior", "advanced", "expert" -> Optional.of(Level.SENIOR);
            default -> Optional.empty();
        };
    }

    private static void applyRoles(String text, Draft d) {
        if (text.strip().matches("(?i)all( roles)?\\.?")) {
            for (Role r : Role.values()) {
                if (!d.roles.contains(r)) {
                    d.roles.add(r);
                }
            }
            return;
        }
        for (String r : text.split("[,;/]")) {
            String name = r.strip().replaceAll("(?i)\\beng\\b\\.?", "Engineer").replaceAll("(?i)\\bengineers\\b", "Engineer");
            BankEnum.parseLenient(Role.class, name).filter(role -> !d.roles.contains(role)).ifPresent(d.roles::add);
        }
    }
}
