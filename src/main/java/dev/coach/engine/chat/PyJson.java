package dev.coach.engine.chat;

import java.util.Iterator;
import java.util.Map;

/**
 * Python's {@code json.dumps(value, ensure_ascii=..., indent=..., separators=..., sort_keys=...)}, which is what
 * Hugging Face's {@code tojson} filter calls (Jinja's own {@code tojson} would HTML-escape and differ in spacing).
 */
final class PyJson {
    private final boolean ensureAscii;
    private final String indent; // null: one line
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;

    PyJson(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indent;
        this.itemSeparator = itemSeparator != null ? itemSeparator : (indent == null ? ", " : ",");
        this.keySeparator = keySeparator != null ? keySeparator : ": ";
        this.sortKeys = sortKeys;
    }

    String dumps(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, b, 0);
        return b.toString();
    }

    private void newline(StringBuilder b, int level) {
        if (indent != null) {
            b.append('\n').append(indent.repeat(level));
        }
    }

    private void write(Object o, StringBuilder b, int level) {
        if (level > 256) {
            throw new PyMethods.PyError("tojson: the value is nested too deeply (a circular reference?)");
        }
        switch (o) {
            case null -> b.append("null");
            case Boolean bool -> b.append(bool ? "true" : "false");
            case CharSequence s -> string(s.toString(), b);
            case Double d -> b.append(number(d));
            case Float f -> b.append(number(f.doubleValue()));
            case Number n -> b.append(n);
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    b.append("{}");
                    return;
                }
                Iterable<? extends Map.Entry<?, ?>> entries = m.entrySet();
                if (sortKeys) {
                    java.util.List<Map.Entry<?, ?>> list = new java.util.ArrayList<>(m.entrySet());
                    list.sort((x, y) -> key(x.getKey()).compareTo(key(y.getKey())));
                    entries = list;
                }
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : entries) {
                    if (!first) {
                        b.append(itemSeparator);
                    }
                    first = false;
                    newline(b, level + 1);
                    string(key(e.getKey()), b);
                    b.append(keySeparator);
                    write(e.getValue(), b, level + 1);
                }
                newline(b, level);
                b.append('}');
            }
            case Map.Entry<?, ?> e -> write(java.util.Arrays.asList(e.getKey(), e.getValue()), b, level);
            case Iterable<?> it -> {
                Iterator<?> i = it.iterator();
                if (!i.hasNext()) {
                    b.append("[]");
                    return;
                }
                b.append('[');
                boolean first = true;
                while (i.hasNext()) {
                    if (!first) {
                        b.append(itemSeparator);
                    }
                    first = false;
                    newline(b, level + 1);
                    write(i.next(), b, level + 1);
                }
                newline(b, level);
                b.append(']');
            }
            case Object[] arr -> write(java.util.Arrays.asList(arr), b, level);
            default -> string(o.toString(), b);
        }
    }

    /** JSON object keys: strings as they are; numbers, booleans and None the way Python converts them. */
    private static String key(Object k) {
        return switch (k) {
            case null -> "null";
            case Boolean bool -> bool ? "true" : "false";
            case Double d -> number(d);
            case Float f -> number(f.doubleValue());
            default -> k.toString();
        };
    }

    private static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return Py.floatRepr(d);
    }

    private void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7E)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
