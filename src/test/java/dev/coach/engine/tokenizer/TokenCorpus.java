package dev.coach.engine.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The tokenizer corpus ({@code src/test/resources/engine/tokens/corpus.txt}): one escaped text per line. */
final class TokenCorpus {
    static final String RESOURCE = "/engine/tokens/corpus.txt";

    /** One text and the corpus line it came from (1-based). */
    record Case(int line, String text) {
    }

    private TokenCorpus() {
    }

    static List<Case> load() {
        try (InputStream in = TokenCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + RESOURCE + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    static List<Case> parse(String file) {
        List<Case> out = new ArrayList<>();
        String[] lines = file.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            out.add(new Case(i + 1, unescape(l, i + 1)));
        }
        return out;
    }

    /** Resolves the escapes backslash n, t, r, s (space), backslash and u{HEX} (any code point). */
    static String unescape(String l, int lineNo) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i + 1 >= l.length()) {
                throw new IllegalArgumentException("corpus line " + lineNo + " ends with a lone backslash");
            }
            char e = l.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 's' -> sb.append(' ');
                case '\\' -> sb.append('\\');
                case 'u' -> {
                    int close = l.indexOf('}', i);
                    if (i + 1 >= l.length() || l.charAt(i + 1) != '{' || close < 0) {
                        throw new IllegalArgumentException("corpus line " + lineNo + ": write \\u{HEX}");
                    }
                    sb.appendCodePoint(Integer.parseInt(l.substring(i + 2, close), 16));
                    i = close;
                }
                default -> throw new IllegalArgumentException("corpus line " + lineNo + ": unknown escape \\" + e);
            }
        }
        return sb.toString();
    }
}
