package dev.coach.engine.chat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Translates a Python Jinja2 template, as Hugging Face configures Jinja2 for chat templates ({@code trim_blocks},
 * {@code lstrip_blocks}, no {@code keep_trailing_newline}), into text that Jinjava renders the same way.
 *
 * <p>Whitespace is settled here, once, by Jinja2's own lexing rules: newlines are normalised, one trailing newline
 * is dropped, {@code -} and {@code +} markers, {@code trim_blocks} and {@code lstrip_blocks} are applied to the text
 * between tags, and comments are removed. The output has no whitespace markers, so Jinjava (configured with its own
 * trimming off) copies every text segment verbatim. Inside tags, expressions are rewritten where Jinjava reads
 * Python Jinja2 differently:
 * <ul>
 *   <li>string literals are decoded with Python's escapes (hex, unicode and octal escapes; unknown ones kept) and
 *       written back in a form Jinjava decodes to the same text; adjacent literals are joined, as Jinja2 does;</li>
 *   <li>slices {@code x[a:b:c]} become {@code x.py_slice(a, b, c)} (Python semantics, including steps such as
 *       {@code [::-1]}, which Jinjava cannot parse);</li>
 *   <li>a unary {@code not} gets its whole operand in parentheses ({@code not x is defined}), and so does a filtered
 *       value before {@code is} ({@code x|f is t}); keyword-argument values too ({@code f(n=x|length - 1)});</li>
 *   <li>loops: the items go into a variable first (for {@code {% else %}}, {@code loop.previtem} and
 *       {@code loop.nextitem}, and Python's iteration of mappings and strings), and a loop condition
 *       ({@code for x in items if cond}) filters them;</li>
 *   <li>{@code if} and {@code elif} conditions are wrapped in {@code py_truth(...)} for Python truthiness;</li>
 *   <li>{@code {% filter %}} blocks become a block {@code set} printed through the filters; transformers'
 *       {@code {% generation %}} markers are dropped;</li>
 *   <li>names that are operators in Jinjava's expression language ({@code empty}, {@code lt}, ...) get a prefix;
 *       {@code a+1} gets a space ({@code +1} would be read as a unary plus), and adjacent braces are separated so
 *       that a nested dict does not end the tag early.</li>
 * </ul>
 * The filter and test names used are collected, so that unknown ones can fail when they are reached.
 */
final class JinjaSource {

    /** The translated template and the filter and test names it uses. */
    record Translated(String text, Set<String> filters, Set<String> tests) {
    }

    private enum Kind { WS, NAME, STRING, NUMBER, OP }

    private record Tok(Kind kind, String text, int offset) {
    }

    private static final String[] OPERATORS = {"//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")",
            "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"};

    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "is", "if", "else", "for", "recursive");

    /** Words Jinjava's expression language reserves that are ordinary names in Jinja2. */
    private static final Set<String> EL_WORDS = Set.of("eq", "ne", "lt", "gt", "le", "ge", "div", "mod", "empty", "instanceof");

    private final String src;
    private final StringBuilder out = new StringBuilder();
    private final Set<String> filters = new LinkedHashSet<>();
    private final Set<String> tests = new LinkedHashSet<>();
    private int pos;
    private boolean lineStarting = true;
    private boolean wrapKeywordArguments = true;
    private final java.util.ArrayDeque<Block> blocks = new java.util.ArrayDeque<>();
    private int loops;
    private final java.util.ArrayDeque<String> filterBlocks = new java.util.ArrayDeque<>();

    private JinjaSource(String src) {
        this.src = src;
    }

    static Translated translate(String template) {
        JinjaSource s = new JinjaSource(normalizeNewlines(template));
        s.run();
        return new Translated(s.out.toString(), s.filters, s.tests);
    }

    /** Jinja2 turns every {@code \r\n}, {@code \r} and {@code \n} into {@code \n} and drops one trailing newline. */
    static String normalizeNewlines(String t) {
        String n = t.replace("\r\n", "\n").replace('\r', '\n');
        return n.endsWith("\n") ? n.substring(0, n.length() - 1) : n;
    }

    private ChatTemplateException error(int at, String what) {
        int line = 1;
        for (int i = 0; i < at && i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        return new ChatTemplateException("syntax error on line " + line + ": " + what);
    }

    private void run() {
        int n = src.length();
        runTokens(n);
        if (!filterBlocks.isEmpty()) {
            throw error(n, "a {% filter %} block has no {% endfilter %}");
        }
    }

    private void runTokens(int n) {
        while (pos < n) {
            int at = nextTagStart(pos);
            if (at < 0) {
                data(src.substring(pos));
                return;
            }
            char kind = src.charAt(at + 1);
            char sign = at + 2 < n && (src.charAt(at + 2) == '-' || src.charAt(at + 2) == '+') ? src.charAt(at + 2) : 0;
            String text = src.substring(pos, at);
            int rawEnd = kind == '%' ? rawBegin(at) : -1;
            // whitespace before the tag: '-' strips it all; otherwise lstrip_blocks strips the indentation of a block
            // or comment tag that starts its line ('+' turns that off)
            if (sign == '-') {
                text = Py.strip(text, null, false, true);
            } else if (sign != '+' && kind != '{') {
                int lineStart = text.lastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && lineStart < text.length() && allSpace(text, lineStart)) {
                    text = text.substring(0, lineStart);
                }
            }
            data(text);
            lineStarting = false;
            if (rawEnd >= 0) {
                raw(rawEnd);
            } else if (kind == '#') {
                comment(at + 2 + (sign != 0 ? 1 : 0));
            } else {
                tag(at, kind == '%', at + 2 + (sign != 0 ? 1 : 0));
            }
        }
    }

    private static boolean allSpace(String s, int from) {
        for (int i = from; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!Py.isSpace(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    private int nextTagStart(int from) {
        int n = src.length();
        for (int i = src.indexOf('{', from); i >= 0 && i + 1 < n; i = src.indexOf('{', i + 1)) {
            char c = src.charAt(i + 1);
            if (c == '%' || c == '{' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    private int skipSpace(int i) {
        while (i < src.length() && Py.isSpace(src.codePointAt(i))) {
            i += Character.charCount(src.codePointAt(i));
        }
        return i;
    }

    /** If a {@code {% raw %}} tag starts at {@code at}, the index just after it (and its whitespace handling); else -1. */
    private int rawBegin(int at) {
        int i = at + 2;
        if (i < src.length() && (src.charAt(i) == '-' || src.charAt(i) == '+')) {
            i++;
        }
        i = skipSpace(i);
        if (!src.startsWith("raw", i)) {
            return -1;
        }
        i = skipSpace(i + 3);
        if (src.startsWith("-%}", i)) {
            return skipSpace(i + 3);
        }
        if (src.startsWith("%}", i)) {
            return i + 2;
        }
        return -1;
    }

    /** The text of a raw block up to {@code {% endraw %}}, emitted literally. */
    private void raw(int contentStart) {
        int i = contentStart;
        while (true) {
            int at = src.indexOf("{%", i);
            if (at < 0) {
                throw error(contentStart, "a {% raw %} block has no {% endraw %}");
            }
            int j = at + 2;
            char sign = j < src.length() && (src.charAt(j) == '-' || src.charAt(j) == '+') ? src.charAt(j) : 0;
            if (sign != 0) {
                j++;
            }
            j = skipSpace(j);
            if (src.startsWith("endraw", j)) {
                int k = skipSpace(j + 6);
                int after;
                if (src.startsWith("+%}", k)) {
                    after = k + 3;
                } else if (src.startsWith("-%}", k)) {
                    after = skipSpace(k + 3);
                } else if (src.startsWith("%}", k)) {
                    after = k + 2;
                    if (after < src.length() && src.charAt(after) == '\n') {
                        after++;
                    }
                } else {
                    i = at + 2;
                    continue;
                }
                String content = src.substring(contentStart, at);
                if (sign == '-') {
                    content = Py.strip(content, null, false, true);
                } else if (sign != '+') {
                    int lineStart = content.lastIndexOf('\n') + 1;
                    if (lineStart > 0 && lineStart < content.length() && allSpace(content, lineStart)) {
                        content = content.substring(0, lineStart);
                    }
                }
                if (!content.isEmpty()) {
                    out.append("{% raw %}").append(content).append("{% endraw %}");
                }
                lineStarting = src.charAt(after - 1) == '\n';
                pos = after;
                return;
            }
            i = at + 2;
        }
    }

    private void comment(int bodyStart) {
        int end = src.indexOf("#}", bodyStart);
        if (end < 0) {
            throw error(bodyStart, "a comment {# ... has no closing #}");
        }
        char sign = end > bodyStart && (src.charAt(end - 1) == '-' || src.charAt(end - 1) == '+') ? src.charAt(end - 1) : 0;
        int after = end + 2;
        if (sign == '-') {
            after = skipSpace(after);
        } else if (sign != '+' && after < src.length() && src.charAt(after) == '\n') {
            after++;
        }
        lineStarting = src.charAt(after - 1) == '\n';
        pos = after;
    }

    /** Literal text between tags; a trailing '{' is written as an expression so it cannot join the next tag's opener. */
    private void data(String text) {
        if (text.isEmpty()) {
            return;
        }
        if (text.endsWith("{")) {
            out.append(text, 0, text.length() - 1).append("{{ '{' }}");
        } else {
            out.append(text);
        }
    }

    // ---- tags ----

    private void tag(int at, boolean block, int bodyStart) {
        List<Tok> toks = new ArrayList<>();
        List<Character> stack = new ArrayList<>();
        int i = bodyStart;
        int n = src.length();
        int after;
        while (true) {
            if (i >= n) {
                throw error(at, "a tag opened with " + (block ? "{%" : "{{") + " is never closed with " + (block ? "%}" : "}}"));
            }
            if (stack.isEmpty()) {
                if (block) {
                    if (src.startsWith("+%}", i)) {
                        after = i + 3;
                        break;
                    }
                    if (src.startsWith("-%}", i)) {
                        after = skipSpace(i + 3);
                        break;
                    }
                    if (src.startsWith("%}", i)) {
                        after = i + 2 < n && src.charAt(i + 2) == '\n' ? i + 3 : i + 2;
                        break;
                    }
                } else {
                    if (src.startsWith("-}}", i)) {
                        after = skipSpace(i + 3);
                        break;
                    }
                    if (src.startsWith("}}", i)) {
                        after = i + 2;
                        break;
                    }
                }
            }
            int cp = src.codePointAt(i);
            int start = i;
            if (Py.isSpace(cp)) {
                i = skipSpace(i);
                toks.add(new Tok(Kind.WS, " ", start));
            } else if (cp == '\'' || cp == '"') {
                i = stringEnd(i);
                toks.add(new Tok(Kind.STRING, decodeString(src.substring(start + 1, i - 1)), start));
            } else if (Character.isDigit(cp)) {
                i = numberEnd(i);
                toks.add(new Tok(Kind.NUMBER, src.substring(start, i).replace("_", ""), start));
            } else if (cp == '_' || Character.isLetter(cp)) {
                while (i < n && (src.charAt(i) == '_' || Character.isLetterOrDigit(src.codePointAt(i)))) {
                    i += Character.charCount(src.codePointAt(i));
                }
                toks.add(new Tok(Kind.NAME, src.substring(start, i), start));
            } else {
                String op = null;
                for (String o : OPERATORS) {
                    if (src.startsWith(o, i)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) {
                    throw error(i, "unexpected character '" + new String(Character.toChars(cp)) + "' in a tag");
                }
                char c = op.charAt(0);
                if (c == '(' || c == '[' || c == '{') {
                    stack.add(c == '(' ? ')' : c == '[' ? ']' : '}');
                } else if (c == ')' || c == ']' || c == '}') {
                    if (stack.isEmpty()) {
                        throw error(i, "unexpected '" + c + "'");
                    }
                    char expected = stack.removeLast();
                    if (expected != c) {
                        throw error(i, "unexpected '" + c + "', expected '" + expected + "'");
                    }
                }
                i += op.length();
                toks.add(new Tok(Kind.OP, op, start));
            }
        }
        lineStarting = src.charAt(after - 1) == '\n';
        pos = after;

        List<Tok> body = groupFilteredTestOperands(joinStrings(trim(toks)));
        if (block && isGenerationTag(body)) {
            return; // Hugging Face's {% generation %} marker renders its body unchanged
        }
        if (block && !body.isEmpty() && body.getFirst().kind == Kind.NAME && body.getFirst().text.equals("filter")) {
            // Jinjava has no filter blocks: capture the body with a block set, then print it through the filters
            String var = "py_filter_block_" + filterBlocks.size();
            filterBlocks.push(var + "|" + expr(body, 1, body.size()).trim());
            out.append("{% set ").append(var).append(" %}");
            return;
        }
        if (block && body.size() == 1 && body.getFirst().kind == Kind.NAME && body.getFirst().text.equals("endfilter")) {
            if (filterBlocks.isEmpty()) {
                throw error(at, "{% endfilter %} without {% filter %}");
            }
            out.append("{% endset %}{{ ").append(filterBlocks.pop()).append(" }}");
            return;
        }
        String keyword = block && !body.isEmpty() && body.getFirst().kind == Kind.NAME ? body.getFirst().text : "";
        // a macro's signature is read by Jinjava's macro tag itself, which wants its defaults unwrapped
        wrapKeywordArguments = !keyword.equals("macro");
        if (block && keyword.equals("for")) {
            // the items go into a variable first: {% else %} and loop.previtem/nextitem need them, and Python
            // iterates mappings by key and strings by character
            String[] parts = forParts(body);
            String items = "py_for_" + loops++;
            out.append("{% set ").append(items).append(" = py_list(").append(parts[1]).append(") %}{% for ").append(parts[0])
                    .append(" in ").append(items).append(" %}");
            blocks.push(new Block("for", items));
            return;
        }
        if (block && (keyword.equals("else") || keyword.equals("endfor")) && body.size() == 1 && !blocks.isEmpty()
                && blocks.peek().kind.equals("for")) {
            Block loop = blocks.peek();
            if (keyword.equals("else")) {
                // Jinjava renders a loop's else part after every item; Jinja2 renders it when there were none
                out.append("{% endfor %}{% if not ").append(loop.items).append(" %}");
                loop.hasElse = true;
            } else {
                blocks.pop();
                out.append(loop.hasElse ? "{% endif %}" : "{% endfor %}");
            }
            return;
        }
        trackBlock(keyword, body);
        String inner;
        if (block && !body.isEmpty() && body.getFirst().kind == Kind.NAME
                && (body.getFirst().text.equals("if") || body.getFirst().text.equals("elif")) && body.size() > 1) {
            // Jinjava's if tag has its own truthiness, in which the string "false" is false
            inner = body.getFirst().text + " py_truth(" + expr(body, 1, body.size()).trim() + ")";
        } else {
            inner = expr(body, 0, body.size());
        }
        out.append(block ? "{% " : "{{ ").append(inner).append(block ? " %}" : " }}");
    }

    private static boolean isGenerationTag(List<Tok> body) {
        return body.size() == 1 && body.getFirst().kind == Kind.NAME
                && (body.getFirst().text.equals("generation") || body.getFirst().text.equals("endgeneration"));
    }

    private int stringEnd(int i) {
        char quote = src.charAt(i);
        int j = i + 1;
        while (j < src.length()) {
            char c = src.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == quote) {
                return j + 1;
            } else {
                j++;
            }
        }
        throw error(i, "a string literal starting with " + quote + " is never closed");
    }

    private int numberEnd(int i) {
        int n = src.length();
        int j = digits(i);
        int k = j;
        if (k + 1 < n && src.charAt(k) == '.' && Character.isDigit(src.charAt(k + 1))) {
            k = digits(k + 1);
        }
        if (k < n && (src.charAt(k) == 'e' || src.charAt(k) == 'E')) {
            int e = k + 1;
            if (e < n && (src.charAt(e) == '+' || src.charAt(e) == '-')) {
                e++;
            }
            if (e < n && Character.isDigit(src.charAt(e))) {
                k = digits(e);
            }
        }
        return k;
    }

    private int digits(int i) {
        int n = src.length();
        while (i < n && (Character.isDigit(src.charAt(i)) || (src.charAt(i) == '_' && i + 1 < n && Character.isDigit(src.charAt(i + 1))))) {
            i++;
        }
        return i;
    }

    /** Python's escapes in a string literal, as Jinja2 decodes them (unknown escapes are kept as written). */
    static String decodeString(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\n' -> { }
                case '\\' -> b.append('\\');
                case '\'' -> b.append('\'');
                case '"' -> b.append('"');
                case 'a' -> b.append('\u0007');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'v' -> b.append('\u000B');
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (hex(s, i + 1, len) && Integer.parseUnsignedInt(s.substring(i + 1, i + 1 + len), 16) <= Character.MAX_CODE_POINT) {
                        b.appendCodePoint(Integer.parseUnsignedInt(s.substring(i + 1, i + 1 + len), 16));
                        i += len;
                    } else {
                        throw new ChatTemplateException("syntax error: a string literal has a bad \\" + e + " escape");
                    }
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int j = i;
                        int v = 0;
                        while (j < n && j < i + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
                            v = v * 8 + (s.charAt(j) - '0');
                            j++;
                        }
                        b.appendCodePoint(v);
                        i = j - 1;
                    } else {
                        b.append('\\').append(e);
                    }
                }
            }
        }
        return b.toString();
    }

    private static boolean hex(String s, int from, int len) {
        if (from + len > s.length()) {
            return false;
        }
        for (int i = from; i < from + len; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static List<Tok> trim(List<Tok> toks) {
        int a = 0;
        int b = toks.size();
        while (a < b && toks.get(a).kind == Kind.WS) {
            a++;
        }
        while (b > a && toks.get(b - 1).kind == Kind.WS) {
            b--;
        }
        return new ArrayList<>(toks.subList(a, b));
    }

    /** Jinja2 joins string literals that follow each other: {@code 'a' 'b'} is {@code 'ab'}. */
    private static List<Tok> joinStrings(List<Tok> toks) {
        List<Tok> out = new ArrayList<>();
        for (Tok t : toks) {
            if (t.kind == Kind.STRING) {
                int last = out.size() - 1;
                int prev = last >= 0 && out.get(last).kind == Kind.WS ? last - 1 : last;
                if (prev >= 0 && out.get(prev).kind == Kind.STRING) {
                    Tok p = out.get(prev);
                    while (out.size() > prev) {
                        out.removeLast();
                    }
                    out.add(new Tok(Kind.STRING, p.text + t.text, p.offset));
                    continue;
                }
            }
            out.add(t);
        }
        return out;
    }

    /**
     * {@code x|f is t}: Jinja2 applies the test to the filtered value; Jinjava cannot parse a test after a filter.
     * The filtered operand is put in parentheses.
     */
    private static List<Tok> groupFilteredTestOperands(List<Tok> toks) {
        List<Tok> t = new ArrayList<>(toks);
        for (int i = 0; i < t.size(); i++) {
            Tok k = t.get(i);
            if (k.kind != Kind.NAME || !k.text.equals("is")) {
                continue;
            }
            int end = previousSignificant(t, i);
            if (end < 0) {
                continue;
            }
            int start = -1;
            boolean filtered = false;
            int pos = end;
            while (pos >= 0) {
                Tok p = t.get(pos);
                if (p.kind == Kind.OP && (p.text.equals(")") || p.text.equals("]") || p.text.equals("}"))) {
                    pos = matchingOpen(t, pos);
                    if (pos < 0) {
                        return toks;
                    }
                } else if (!(p.kind == Kind.STRING || p.kind == Kind.NUMBER || (p.kind == Kind.NAME && !KEYWORDS.contains(p.text)))) {
                    break;
                }
                start = pos;
                int q = previousSignificant(t, pos);
                if (q >= 0 && t.get(q).kind == Kind.OP && (t.get(q).text.equals(".") || t.get(q).text.equals("|"))) {
                    filtered |= t.get(q).text.equals("|");
                    pos = previousSignificant(t, q);
                } else if (q >= 0 && (t.get(pos).text.equals("(") || t.get(pos).text.equals("[")) && isSubscript(t.get(q))) {
                    pos = q; // a call or subscript: its target comes next
                } else {
                    break;
                }
            }
            if (filtered && start >= 0) {
                t.add(end + 1, new Tok(Kind.OP, ")", t.get(end).offset));
                t.add(start, new Tok(Kind.OP, "(", t.get(start).offset));
                i += 2;
            }
        }
        return t;
    }

    private static int nextSignificant(List<Tok> t, int i, int to) {
        int j = i + 1;
        while (j < to && t.get(j).kind == Kind.WS) {
            j++;
        }
        return j < to ? j : -1;
    }

    private Block innermostLoop() {
        for (Block b : blocks) {
            if (b.kind.equals("for")) {
                return b;
            }
            if (b.kind.equals("macro")) {
                return null;
            }
        }
        return null;
    }

    private static int previousSignificant(List<Tok> t, int i) {
        int j = i - 1;
        while (j >= 0 && t.get(j).kind == Kind.WS) {
            j--;
        }
        return j;
    }

    private static int matchingOpen(List<Tok> t, int close) {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            depth -= depthChange(t.get(i));
            if (depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** A Jinjava string literal with exactly this value. */
    static String literal(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    /** An open block tag, so that else and loop variables find the loop they belong to. */
    private static final class Block {
        final String kind;
        final String items;
        boolean hasElse;

        Block(String kind, String items) {
            this.kind = kind;
            this.items = items;
        }
    }

    private static final Set<String> BLOCKS = Set.of("if", "macro", "call", "filter", "with");

    private void trackBlock(String keyword, List<Tok> body) {
        if (BLOCKS.contains(keyword) || (keyword.equals("set") && !hasTopLevel(body, "="))) {
            blocks.push(new Block(keyword, null));
        } else if (keyword.startsWith("end") && !blocks.isEmpty() && blocks.peek().kind.equals(keyword.substring(3))) {
            blocks.pop();
        }
    }

    private static boolean hasTopLevel(List<Tok> t, String op) {
        int depth = 0;
        for (Tok k : t) {
            depth += depthChange(k);
            if (depth == 0 && k.kind == Kind.OP && k.text.equals(op)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code for TARGET in ITER [if COND]}: the target and the iterable's expression; a loop condition becomes a
     * filtering call (Jinjava ignores it).
     */
    private String[] forParts(List<Tok> t) {
        int in = -1;
        int depth = 0;
        for (int i = 1; i < t.size(); i++) {
            depth += depthChange(t.get(i));
            if (depth == 0 && t.get(i).kind == Kind.NAME && t.get(i).text.equals("in")) {
                in = i;
                break;
            }
        }
        if (in < 0) {
            throw error(t.getFirst().offset, "a for loop has no 'in'");
        }
        int cond = -1;
        int end = t.size();
        depth = 0;
        for (int i = in + 1; i < t.size(); i++) {
            depth += depthChange(t.get(i));
            if (depth == 0 && t.get(i).kind == Kind.NAME && (t.get(i).text.equals("if") || t.get(i).text.equals("recursive"))) {
                if (t.get(i).text.equals("recursive")) {
                    throw error(t.get(i).offset, "recursive loops are not supported in chat templates");
                }
                cond = i;
                break;
            }
        }
        for (int i = Math.max(cond, in) + 1; i < end; i++) {
            if (t.get(i).kind == Kind.NAME && t.get(i).text.equals("recursive")) {
                throw error(t.get(i).offset, "recursive loops are not supported in chat templates");
            }
        }
        String target = expr(t, 1, in).trim();
        if (cond < 0) {
            return new String[] {target, expr(t, in + 1, end).trim()};
        }
        StringBuilder targets = new StringBuilder();
        for (int i = 1; i < in; i++) {
            if (t.get(i).kind == Kind.NAME) {
                targets.append(targets.isEmpty() ? "" : ",").append(t.get(i).text);
            }
        }
        String iter = expr(t, in + 1, cond).trim();
        String condition = expr(t, cond + 1, end).trim();
        return new String[] {target, "py_loop_filter(" + iter + ", " + literal(targets.toString()) + ", " + literal(condition) + ")"};
    }

    private static int depthChange(Tok t) {
        if (t.kind != Kind.OP) {
            return 0;
        }
        return switch (t.text) {
            case "(", "[", "{" -> 1;
            case ")", "]", "}" -> -1;
            default -> 0;
        };
    }

    /** Rewrites tokens [from, to) of an expression for Jinjava. */
    private String expr(List<Tok> t, int from, int to) {
        StringBuilder b = new StringBuilder();
        Tok prevSignificant = null;
        for (int i = from; i < to; i++) {
            Tok k = t.get(i);
            if (k.kind == Kind.OP && k.text.equals("[") && isSubscript(prevSignificant)) {
                int close = matching(t, i, to);
                List<Integer> colons = topLevelColons(t, i + 1, close);
                if (!colons.isEmpty()) {
                    if (colons.size() > 2) {
                        throw error(k.offset, "a slice has more than two ':'");
                    }
                    List<String> parts = new ArrayList<>();
                    int s = i + 1;
                    for (int c : colons) {
                        parts.add(expr(t, s, c).trim());
                        s = c + 1;
                    }
                    parts.add(expr(t, s, close).trim());
                    while (parts.size() < 3) {
                        parts.add("");
                    }
                    append(b, ".py_slice(" + String.join(", ", parts.stream().map(p -> p.isEmpty() ? "none" : p).toList()) + ")");
                    prevSignificant = t.get(close);
                    i = close;
                    continue;
                }
            }
            if (k.kind == Kind.NAME && k.text.equals("not") && isUnaryNot(t, i, to, prevSignificant)) {
                int end = notOperandEnd(t, i + 1, to);
                append(b, "not (" + expr(t, i + 1, end).trim() + ")");
                prevSignificant = t.get(end - 1);
                i = end - 1;
                continue;
            }
            if (k.kind == Kind.NAME && k.text.equals("loop") && (prevSignificant == null || !(prevSignificant.kind == Kind.OP && prevSignificant.text.equals(".")))) {
                int dot = nextSignificant(t, i, to);
                int attr = dot < 0 ? -1 : nextSignificant(t, dot, to);
                Block loop = innermostLoop();
                if (attr >= 0 && loop != null && t.get(dot).text.equals(".") && t.get(attr).kind == Kind.NAME
                        && (t.get(attr).text.equals("previtem") || t.get(attr).text.equals("nextitem"))) {
                    // Jinjava's loop has no previtem/nextitem
                    append(b, "py_loop_item(" + loop.items + ", loop.index0, " + (t.get(attr).text.equals("previtem") ? "-1" : "1") + ")");
                    prevSignificant = new Tok(Kind.OP, ")", k.offset);
                    i = attr;
                    continue;
                }
            }
            if (k.kind == Kind.OP && k.text.equals("(") && isSubscript(prevSignificant)) {
                int close = matching(t, i, to);
                append(b, "(");
                append(b, arguments(t, i + 1, close));
                append(b, ")");
                prevSignificant = t.get(close);
                i = close;
                continue;
            }
            switch (k.kind) {
                case WS -> append(b, " ");
                case STRING -> append(b, literal(k.text));
                case NUMBER -> {
                    if (b.length() > 0 && b.charAt(b.length() - 1) == '+') {
                        b.append(' ');
                    }
                    append(b, k.text);
                }
                case NAME -> {
                    if (prevSignificant != null && prevSignificant.kind == Kind.OP && prevSignificant.text.equals("|")) {
                        filters.add(k.text);
                    }
                    if (prevSignificant != null && prevSignificant.kind == Kind.NAME && prevSignificant.text.equals("is")
                            && !k.text.equals("not")) {
                        tests.add(k.text);
                    }
                    if (prevSignificant != null && prevSignificant.kind == Kind.NAME && prevSignificant.text.equals("not")
                            && precededByIs(t, from, i) && !k.text.equals("not")) {
                        tests.add(k.text);
                    }
                    boolean testOrFilter = prevSignificant != null && (prevSignificant.text.equals("|") || prevSignificant.text.equals("is")
                            || (prevSignificant.text.equals("not") && precededByIs(t, from, i)));
                    // a name that is an operator word in Jinjava's expression language gets a prefix, everywhere
                    append(b, EL_WORDS.contains(k.text) && !testOrFilter ? "py_kw_" + k.text : k.text);
                }
                case OP -> append(b, k.text);
            }
            if (k.kind != Kind.WS) {
                prevSignificant = k;
            }
        }
        return b.toString();
    }

    /** A {@code not} that negates an operand, as opposed to the {@code not} of {@code is not} and {@code not in}. */
    private static boolean isUnaryNot(List<Tok> t, int i, int to, Tok prev) {
        if (prev != null && prev.kind == Kind.NAME && prev.text.equals("is")) {
            return false;
        }
        int j = i + 1;
        while (j < to && t.get(j).kind == Kind.WS) {
            j++;
        }
        return !(j < to && t.get(j).kind == Kind.NAME && t.get(j).text.equals("in"));
    }

    /**
     * Where the operand of a unary {@code not} ends. In Jinja2 {@code not} binds looser than comparisons, tests and
     * arithmetic ({@code not x is defined} is {@code not (x is defined)}); Jinjava binds it to the next value only.
     * The operand runs to the next {@code and}, {@code or}, {@code if}, {@code else}, separator or closing bracket.
     */
    private static int notOperandEnd(List<Tok> t, int from, int to) {
        int depth = 0;
        for (int i = from; i < to; i++) {
            Tok k = t.get(i);
            if (depth == 0) {
                if (k.kind == Kind.NAME && (k.text.equals("and") || k.text.equals("or") || k.text.equals("if") || k.text.equals("else"))) {
                    return i;
                }
                if (k.kind == Kind.OP && (k.text.equals(",") || k.text.equals(":") || k.text.equals("=") || k.text.equals(";"))) {
                    return i;
                }
            }
            int d = depthChange(k);
            if (d < 0 && depth == 0) {
                return i;
            }
            depth += d;
        }
        return to;
    }

    /**
     * Call arguments: a keyword argument's value is parenthesised, because Jinjava binds {@code name=value} tighter
     * than the operators in the value ({@code n=x|length - 1} would pass {@code x|length} and then subtract).
     */
    private String arguments(List<Tok> t, int from, int to) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            boolean end = i == to;
            if (!end) {
                depth += depthChange(t.get(i));
            }
            if (end || (depth == 0 && t.get(i).kind == Kind.OP && t.get(i).text.equals(","))) {
                int a = start;
                while (a < i && t.get(a).kind == Kind.WS) {
                    a++;
                }
                int eq = a + 1;
                while (eq < i && t.get(eq).kind == Kind.WS) {
                    eq++;
                }
                if (wrapKeywordArguments && a < i && t.get(a).kind == Kind.NAME && eq < i && t.get(eq).kind == Kind.OP && t.get(eq).text.equals("=")) {
                    append(b, (EL_WORDS.contains(t.get(a).text) ? "py_kw_" : "") + t.get(a).text + "=(" + expr(t, eq + 1, i).trim() + ")");
                } else {
                    append(b, expr(t, start, i));
                }
                if (!end) {
                    append(b, ",");
                }
                start = i + 1;
            }
        }
        return b.toString();
    }

    private static boolean precededByIs(List<Tok> t, int from, int i) {
        int j = i - 1;
        while (j >= from && t.get(j).kind == Kind.WS) {
            j--;
        }
        j--; // the 'not'
        while (j >= from && t.get(j).kind == Kind.WS) {
            j--;
        }
        return j >= from && t.get(j).kind == Kind.NAME && t.get(j).text.equals("is");
    }

    /** Appends a piece, keeping brace pairs that Jinjava's tag scanner would misread apart. */
    private static void append(StringBuilder b, String piece) {
        if (piece.isEmpty()) {
            return;
        }
        if (b.length() > 0) {
            char last = b.charAt(b.length() - 1);
            char first = piece.charAt(0);
            if ("{}%#".indexOf(last) >= 0 && "{}%#".indexOf(first) >= 0) {
                b.append(' ');
            }
        }
        b.append(piece);
    }

    private static boolean isSubscript(Tok prev) {
        if (prev == null) {
            return false;
        }
        return switch (prev.kind) {
            case NAME -> !KEYWORDS.contains(prev.text);
            case STRING -> true;
            case OP -> prev.text.equals(")") || prev.text.equals("]") || prev.text.equals("}");
            default -> false;
        };
    }

    private int matching(List<Tok> t, int open, int to) {
        int depth = 0;
        for (int i = open; i < to; i++) {
            depth += depthChange(t.get(i));
            if (depth == 0) {
                return i;
            }
        }
        throw error(t.get(open).offset, "unbalanced '['");
    }

    private static List<Integer> topLevelColons(List<Tok> t, int from, int to) {
        List<Integer> out = new ArrayList<>();
        int depth = 0;
        for (int i = from; i < to; i++) {
            Tok k = t.get(i);
            depth += depthChange(k);
            if (depth == 0 && k.kind == Kind.OP && k.text.equals(":")) {
                out.add(i);
            }
        }
        return out;
    }
}
