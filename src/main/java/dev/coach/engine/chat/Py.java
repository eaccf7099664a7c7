package dev.coach.engine.chat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python's string and value semantics, as far as chat templates see them: which characters are whitespace,
 * {@code str.strip/split/title}, and how {@code str()} and {@code repr()} print values. Strings are handled by
 * code point, as Python does, not by UTF-16 unit.
 */
final class Py {
    private Py() {
    }

    /** Python's {@code str.isspace()} for one code point (also what {@code \s} matches in Python regexes). */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** {@code str.strip(chars)}, {@code lstrip} or {@code rstrip}; {@code chars == null} means whitespace. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        if (left) {
            while (start < end) {
                int cp = s.codePointAt(start);
                if (!stripped(cp, chars)) {
                    break;
                }
                start += Character.charCount(cp);
            }
        }
        if (right) {
            while (end > start) {
                int cp = s.codePointBefore(end);
                if (!stripped(cp, chars)) {
                    break;
                }
                end -= Character.charCount(cp);
            }
        }
        return s.substring(start, end);
    }

    private static boolean stripped(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.indexOf(new String(Character.toChars(cp))) >= 0;
    }

    /** {@code str.split(sep, maxsplit)}; {@code sep == null} splits on runs of whitespace. */
    static List<String> split(String s, String sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isSpace(s.codePointAt(i))) {
                    i += Character.charCount(s.codePointAt(i));
                }
                if (i >= n) {
                    return out;
                }
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(s.substring(i)); // the rest keeps its trailing whitespace
                    return out;
                }
                int j = i;
                while (j < n && !isSpace(s.codePointAt(j))) {
                    j += Character.charCount(s.codePointAt(j));
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        if (sep.isEmpty()) {
            throw new PyMethods.PyError("split: empty separator");
        }
        int from = 0;
        while (maxSplit < 0 || out.size() < maxSplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** {@code str.rsplit(sep, maxsplit)}. */
    static List<String> rsplit(String s, String sep, int maxSplit) {
        if (maxSplit < 0) {
            return split(s, sep, -1);
        }
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int j = s.length();
            while (true) {
                while (j > 0 && isSpace(s.codePointBefore(j))) {
                    j -= Character.charCount(s.codePointBefore(j));
                }
                if (j <= 0) {
                    break;
                }
                if (out.size() == maxSplit) {
                    out.add(s.substring(0, j)); // the rest keeps its leading whitespace
                    break;
                }
                int i = j;
                while (i > 0 && !isSpace(s.codePointBefore(i))) {
                    i -= Character.charCount(s.codePointBefore(i));
                }
                out.add(s.substring(i, j));
                j = i;
            }
        } else {
            if (sep.isEmpty()) {
                throw new PyMethods.PyError("rsplit: empty separator");
            }
            int end = s.length();
            while (out.size() < maxSplit) {
                int at = s.lastIndexOf(sep, end - sep.length());
                if (at < 0) {
                    break;
                }
                out.add(s.substring(at + sep.length(), end));
                end = at;
            }
            out.add(s.substring(0, end));
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** {@code str.splitlines()} without keepends. */
    static List<String> splitLines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E
                    || c == 0x85 || c == 0x2028 || c == 0x2029;
            if (lineBreak) {
                out.add(s.substring(start, i));
                i += (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < n) {
            out.add(s.substring(start));
        }
        return out;
    }

    private static boolean isCased(int cp) {
        return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
    }

    /** {@code str.title()}: a cased character after an uncased one is title-cased, every other one lower-cased. */
    static String title(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (previousCased) {
                b.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
            } else {
                b.appendCodePoint(Character.toTitleCase(cp));
            }
            previousCased = isCased(cp);
        }
        return b.toString();
    }

    /** {@code str.capitalize()}: the first character title-cased, the rest lower-cased. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int cp = s.codePointAt(0);
        return new String(Character.toChars(Character.toTitleCase(cp))) + s.substring(Character.charCount(cp)).toLowerCase(Locale.ROOT);
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static int length(CharSequence s) {
        return Character.codePointCount(s, 0, s.length());
    }

    /** Python truthiness. */
    static boolean truthy(Object o) {
        if (o == null) {
            return false;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        if (o instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (o instanceof CharSequence s) {
            return !s.isEmpty();
        }
        if (o instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (o instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** A Python tuple: a read-only list that prints with parentheses. */
    static final class Tuple extends java.util.AbstractList<Object> {
        private final List<Object> items;

        Tuple(List<?> items) {
            this.items = List.copyOf(items);
        }

        @Override
        public Object get(int index) {
            return items.get(index);
        }

        @Override
        public int size() {
            return items.size();
        }
    }

    /** Python's {@code str(value)}. */
    static String str(Object o) {
        if (o instanceof CharSequence s) {
            return s.toString();
        }
        return repr(o);
    }

    /** Python's {@code repr(value)} for the value types templates use. */
    static String repr(Object o) {
        StringBuilder b = new StringBuilder();
        repr(o, b, 0);
        return b.toString();
    }

    private static void repr(Object o, StringBuilder b, int depth) {
        if (depth > 64) {
            b.append("...");
            return;
        }
        switch (o) {
            case null -> b.append("None");
            case Boolean bool -> b.append(bool ? "True" : "False");
            case CharSequence s -> reprString(s.toString(), b);
            case Double d -> b.append(floatRepr(d));
            case Float f -> b.append(floatRepr(f.doubleValue()));
            case Number n -> b.append(n);
            case Tuple t -> {
                b.append('(');
                for (int i = 0; i < t.size(); i++) {
                    if (i > 0) {
                        b.append(", ");
                    }
                    repr(t.get(i), b, depth + 1);
                }
                b.append(t.size() == 1 ? ",)" : ")");
            }
            case Map.Entry<?, ?> e -> {
                b.append('(');
                repr(e.getKey(), b, depth + 1);
                b.append(", ");
                repr(e.getValue(), b, depth + 1);
                b.append(')');
            }
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        b.append(", ");
                    }
                    first = false;
                    repr(e.getKey(), b, depth + 1);
                    b.append(": ");
                    repr(e.getValue(), b, depth + 1);
                }
                b.append('}');
            }
            case Iterable<?> it -> {
                b.append('[');
                Iterator<?> i = it.iterator();
                boolean first = true;
                while (i.hasNext()) {
                    if (!first) {
                        b.append(", ");
                    }
                    first = false;
                    repr(i.next(), b, depth + 1);
                }
                b.append(']');
            }
            case Object[] arr -> repr(java.util.Arrays.asList(arr), b, depth);
            default -> b.append(o);
        }
    }

    private static void reprString(String s, StringBuilder b) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        b.append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                b.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                b.append("\\n");
            } else if (cp == '\r') {
                b.append("\\r");
            } else if (cp == '\t') {
                b.append("\\t");
            } else if (cp < 0x20 || cp == 0x7F) {
                b.append(String.format("\\x%02x", cp));
            } else if (!printable(cp)) {
                if (cp <= 0xFF) {
                    b.append(String.format("\\x%02x", cp));
                } else if (cp <= 0xFFFF) {
                    b.append(String.format("\\u%04x", cp));
                } else {
                    b.append(String.format("\\U%08x", cp));
                }
            } else {
                b.appendCodePoint(cp);
            }
        }
        b.append(quote);
    }

    /** Python's notion of a printable character: not in the Unicode categories "Other" or "Separator", except space. */
    private static boolean printable(int cp) {
        if (cp == ' ') {
            return true;
        }
        int t = Character.getType(cp);
        return switch (t) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Python's {@code repr(float)}: the shortest digits that round-trip, in Python's layout ({@code 1.0}, {@code 1e-05}). */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exponent = digits.length() - 1 - bd.scale(); // value = d.ddd * 10^exponent
        StringBuilder b = new StringBuilder();
        if (d < 0) {
            b.append('-');
        }
        if (exponent >= -5 + 1 && exponent < 16) {
            if (exponent >= 0) {
                if (digits.length() <= exponent + 1) {
                    b.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
                } else {
                    b.append(digits, 0, exponent + 1).append('.').append(digits.substring(exponent + 1));
                }
            } else {
                b.append("0.").append("0".repeat(-exponent - 1)).append(digits);
            }
        } else {
            b.append(digits.charAt(0));
            if (digits.length() > 1) {
                b.append('.').append(digits.substring(1));
            }
            b.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                b.append('0');
            }
            b.append(abs);
        }
        return b.toString();
    }
}
