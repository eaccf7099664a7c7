package dev.coach.engine.chat;

import java.beans.FeatureDescriptor;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's string methods ({@code .strip()}, {@code .startswith()}, {@code .split()}, ...), string indexing and
 * slicing, for Jinjava, which would otherwise call (or fail to find) the Java methods of {@link String}.
 * {@code x.py_slice(start, stop, step)} is what {@link JinjaSource} writes for {@code x[start:stop:step]}.
 */
final class PyMethods extends ELResolver {

    static final String SLICE = "py_slice";

    /**
     * A Python-level error in a template (a bad argument, a missing substring). Not an IllegalArgumentException:
     * Jinjava swallows those from method calls and reports a misleading "cannot find method".
     */
    static final class PyError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PyError(String message) {
            super(message);
        }
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base instanceof CharSequence cs && index(property) != null) {
            String s = cs.toString();
            int[] cps = s.codePoints().toArray();
            long i = index(property);
            if (i < 0) {
                i += cps.length;
            }
            context.setPropertyResolved(true);
            return i >= 0 && i < cps.length ? new String(cps, (int) i, 1) : null;
        }
        return null;
    }

    private static Long index(Object property) {
        if (property instanceof Long || property instanceof Integer || property instanceof Short) {
            return ((Number) property).longValue();
        }
        if (property instanceof String p && p.matches("-?\\d{1,18}")) {
            return Long.parseLong(p);
        }
        return null;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base == null || method == null) {
            return null;
        }
        String name = method.toString();
        Object[] args = params == null ? new Object[0] : params;
        if (name.equals(SLICE)) {
            Object result = slice(base, args);
            if (result != null) {
                context.setPropertyResolved(true);
            }
            return result;
        }
        if (base instanceof CharSequence cs) {
            Object result = stringMethod(cs.toString(), name, args);
            if (result != NOT_A_METHOD) {
                context.setPropertyResolved(true);
                return result;
            }
        }
        return null;
    }

    private static final Object NOT_A_METHOD = new Object();

    private static String strArg(Object[] args, int i, String method) {
        if (args.length <= i || args[i] == null) {
            return null;
        }
        if (args[i] instanceof CharSequence cs) {
            return cs.toString();
        }
        throw new PyError(method + "() argument " + (i + 1) + " must be a string, not " + Py.repr(args[i]));
    }

    private static int intArg(Object[] args, int i, int dflt) {
        if (args.length <= i || args[i] == null) {
            return dflt;
        }
        if (args[i] instanceof Number n) {
            return n.intValue();
        }
        throw new PyError("expected an integer, not " + Py.repr(args[i]));
    }

    private static Object stringMethod(String s, String name, Object[] a) {
        return switch (name) {
            case "strip" -> Py.strip(s, strArg(a, 0, name), true, true);
            case "lstrip" -> Py.strip(s, strArg(a, 0, name), true, false);
            case "rstrip" -> Py.strip(s, strArg(a, 0, name), false, true);
            case "startswith", "endswith" -> affix(s, name, a);
            case "split" -> Py.split(s, strArg(a, 0, name), intArg(a, 1, -1));
            case "rsplit" -> Py.rsplit(s, strArg(a, 0, name), intArg(a, 1, -1));
            case "splitlines" -> Py.splitLines(s);
            case "upper" -> Py.upper(s);
            case "lower" -> Py.lower(s);
            case "title" -> Py.title(s);
            case "capitalize" -> Py.capitalize(s);
            case "replace" -> replace(s, strArg(a, 0, name), strArg(a, 1, name), intArg(a, 2, -1));
            case "count" -> count(s, strArg(a, 0, name));
            case "find" -> codePointIndex(s, s.indexOf(required(a, name)));
            case "rfind" -> codePointIndex(s, s.lastIndexOf(required(a, name)));
            case "index", "rindex" -> {
                int at = name.equals("index") ? s.indexOf(required(a, name)) : s.lastIndexOf(required(a, name));
                if (at < 0) {
                    throw new PyError("substring not found");
                }
                yield codePointIndex(s, at);
            }
            case "join" -> join(s, a);
            case "format" -> format(s, a);
            case "removeprefix" -> s.startsWith(required(a, name)) ? s.substring(required(a, name).length()) : s;
            case "removesuffix" -> !required(a, name).isEmpty() && s.endsWith(required(a, name))
                    ? s.substring(0, s.length() - required(a, name).length()) : s;
            case "partition" -> partition(s, required(a, name), false);
            case "rpartition" -> partition(s, required(a, name), true);
            case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(Py::isSpace);
            case "isdigit" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            case "isupper" -> s.codePoints().anyMatch(Character::isUpperCase) && s.codePoints().noneMatch(Character::isLowerCase);
            case "islower" -> s.codePoints().anyMatch(Character::isLowerCase) && s.codePoints().noneMatch(Character::isUpperCase);
            default -> NOT_A_METHOD;
        };
    }

    private static String required(Object[] a, String name) {
        String v = strArg(a, 0, name);
        if (v == null) {
            throw new PyError(name + "() needs a string argument");
        }
        return v;
    }

    private static boolean affix(String s, String name, Object[] a) {
        if (a.length == 0) {
            throw new PyError(name + "() needs an argument");
        }
        String target = s;
        if (a.length > 1 && a[1] instanceof Number start) {
            target = sliceString(s, start.longValue(), a.length > 2 && a[2] instanceof Number end ? end.longValue() : null, 1);
        }
        List<String> options = new ArrayList<>();
        if (a[0] instanceof CharSequence cs) {
            options.add(cs.toString());
        } else if (a[0] instanceof Iterable<?> it) {
            for (Object o : it) {
                options.add(Py.str(o));
            }
        } else {
            throw new PyError(name + "() argument must be a string or a tuple of strings, not " + Py.repr(a[0]));
        }
        for (String o : options) {
            if (name.equals("startswith") ? target.startsWith(o) : target.endsWith(o)) {
                return true;
            }
        }
        return false;
    }

    private static String replace(String s, String old, String replacement, int count) {
        if (old == null || replacement == null) {
            throw new PyError("replace() needs two string arguments");
        }
        if (count < 0) {
            if (old.isEmpty()) {
                // Python inserts the replacement between every character and at both ends
                StringBuilder b = new StringBuilder(replacement);
                s.codePoints().forEach(cp -> b.appendCodePoint(cp).append(replacement));
                return b.toString();
            }
            return s.replace(old, replacement);
        }
        StringBuilder b = new StringBuilder();
        int from = 0;
        int done = 0;
        while (done < count) {
            int at = s.indexOf(old, from);
            if (at < 0 || (old.isEmpty() && at >= s.length() + 1)) {
                break;
            }
            b.append(s, from, at).append(replacement);
            if (old.isEmpty()) {
                if (at < s.length()) {
                    int cp = s.codePointAt(at);
                    b.appendCodePoint(cp);
                    from = at + Character.charCount(cp);
                } else {
                    from = at;
                    done++;
                    break;
                }
            } else {
                from = at + old.length();
            }
            done++;
        }
        return b.append(s.substring(Math.min(from, s.length()))).toString();
    }

    private static long count(String s, String sub) {
        if (sub == null) {
            throw new PyError("count() needs a string argument");
        }
        if (sub.isEmpty()) {
            return Py.length(s) + 1L;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static long codePointIndex(String s, int utf16Index) {
        return utf16Index < 0 ? -1 : s.codePointCount(0, utf16Index);
    }

    private static String join(String sep, Object[] a) {
        if (a.length != 1) {
            throw new PyError("join() takes exactly one argument");
        }
        List<String> parts = new ArrayList<>();
        for (Object o : iterate(a[0])) {
            if (!(o instanceof CharSequence cs)) {
                throw new PyError("join(): expected a string, found " + Py.repr(o));
            }
            parts.add(cs.toString());
        }
        return String.join(sep, parts);
    }

    /**
     * {@code str.format(*args, **kwargs)}: {@code {}}, {@code {0}} and {@code {name}} fields, {@code !s}/{@code !r}
     * conversions, and the common format specs ({@code [[fill]align][width][.precision][s|d|f]}); doubled braces are
     * literal braces.
     */
    static String format(String s, Object[] a) {
        List<Object> positional = new ArrayList<>();
        Map<String, Object> named = new java.util.HashMap<>();
        for (Object o : a) {
            if (o instanceof com.hubspot.jinjava.el.ext.NamedParameter np) {
                named.put(np.getName(), np.getValue());
            } else {
                positional.add(o);
            }
        }
        StringBuilder b = new StringBuilder();
        int auto = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '{' && i + 1 < n && s.charAt(i + 1) == '{') {
                b.append('{');
                i++;
            } else if (c == '}' && i + 1 < n && s.charAt(i + 1) == '}') {
                b.append('}');
                i++;
            } else if (c == '{') {
                int close = s.indexOf('}', i);
                if (close < 0) {
                    throw new PyError("format(): a '{' has no matching '}'");
                }
                String field = s.substring(i + 1, close);
                String spec = "";
                String conversion = "";
                int colon = field.indexOf(':');
                if (colon >= 0) {
                    spec = field.substring(colon + 1);
                    field = field.substring(0, colon);
                }
                int bang = field.indexOf('!');
                if (bang >= 0) {
                    conversion = field.substring(bang + 1);
                    field = field.substring(0, bang);
                }
                Object value;
                if (field.isEmpty()) {
                    if (auto >= positional.size()) {
                        throw new PyError("format(): not enough arguments for the '{}' fields");
                    }
                    value = positional.get(auto++);
                } else if (field.chars().allMatch(Character::isDigit)) {
                    int k = Integer.parseInt(field);
                    if (k >= positional.size()) {
                        throw new PyError("format(): there is no argument " + k);
                    }
                    value = positional.get(k);
                } else if (named.containsKey(field)) {
                    value = named.get(field);
                } else {
                    throw new PyError("format(): there is no argument named '" + field + "'");
                }
                b.append(formatValue(conversion.equals("r") ? Py.repr(value) : value, spec));
                i = close;
            } else if (c == '}') {
                throw new PyError("format(): a single '}' must be written '}}'");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static final java.util.regex.Pattern SPEC = java.util.regex.Pattern.compile("(?:(.)?([<>^]))?(\\d+)?(?:\\.(\\d+))?([sdf]?)");

    private static String formatValue(Object value, String spec) {
        if (spec.isEmpty()) {
            return Py.str(value);
        }
        java.util.regex.Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new PyError("format(): the format spec '" + spec + "' is not supported");
        }
        String type = m.group(5);
        String text;
        if (type.equals("f") || (m.group(4) != null && value instanceof Number && !type.equals("s"))) {
            int precision = m.group(4) == null ? 6 : Integer.parseInt(m.group(4));
            text = new java.math.BigDecimal(((Number) value).doubleValue()).setScale(precision, java.math.RoundingMode.HALF_EVEN).toPlainString();
        } else if (type.equals("d")) {
            text = Long.toString(((Number) value).longValue());
        } else {
            text = Py.str(value);
            if (m.group(4) != null) {
                text = text.substring(0, Math.min(text.length(), Integer.parseInt(m.group(4))));
            }
        }
        int width = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        int pad = width - Py.length(text);
        if (pad <= 0) {
            return text;
        }
        if (m.group(2) == null && m.group(3).startsWith("0")) {
            // zero padding goes after the sign
            return text.startsWith("-") ? "-" + "0".repeat(pad) + text.substring(1) : "0".repeat(pad) + text;
        }
        String fill = m.group(1) == null ? " " : m.group(1);
        char align = m.group(2) == null ? (value instanceof Number ? '>' : '<') : m.group(2).charAt(0);
        return switch (align) {
            case '>' -> fill.repeat(pad) + text;
            case '^' -> fill.repeat(pad / 2) + text + fill.repeat(pad - pad / 2);
            default -> text + fill.repeat(pad);
        };
    }

    private static Py.Tuple partition(String s, String sep, boolean last) {
        if (sep.isEmpty()) {
            throw new PyError("empty separator");
        }
        int at = last ? s.lastIndexOf(sep) : s.indexOf(sep);
        if (at < 0) {
            return new Py.Tuple(last ? List.of("", "", s) : List.of(s, "", ""));
        }
        return new Py.Tuple(List.of(s.substring(0, at), sep, s.substring(at + sep.length())));
    }

    /** The items of a Python iterable: lists, maps (their keys), strings (their characters), arrays. */
    static List<Object> iterate(Object o) {
        List<Object> out = new ArrayList<>();
        switch (o) {
            case null -> throw new PyError("None is not iterable");
            case Map<?, ?> m -> out.addAll(m.keySet());
            case Iterable<?> it -> it.forEach(out::add);
            case CharSequence cs -> cs.toString().codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            case Iterator<?> it -> it.forEachRemaining(out::add);
            default -> {
                if (o.getClass().isArray()) {
                    for (int i = 0; i < Array.getLength(o); i++) {
                        out.add(Array.get(o, i));
                    }
                } else {
                    throw new PyError(Py.repr(o) + " is not iterable");
                }
            }
        }
        return out;
    }

    private static Long bound(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n && !(o instanceof Double) && !(o instanceof Float)) {
            return n.longValue();
        }
        throw new PyError("slice indices must be integers or None, not " + Py.repr(o));
    }

    /** Python slicing for lists and strings; null if the base is neither. */
    private static Object slice(Object base, Object[] args) {
        Long start = args.length > 0 ? bound(args[0]) : null;
        Long stop = args.length > 1 ? bound(args[1]) : null;
        Long stepBox = args.length > 2 ? bound(args[2]) : null;
        long step = stepBox == null ? 1 : stepBox;
        if (step == 0) {
            throw new PyError("slice step cannot be zero");
        }
        if (base instanceof CharSequence cs) {
            return sliceString(cs.toString(), start, stop, step);
        }
        if (base instanceof List<?> || base.getClass().isArray()) {
            List<Object> items = iterate(base);
            List<Object> out = new ArrayList<>();
            for (long i : indices(items.size(), start, stop, step)) {
                out.add(items.get((int) i));
            }
            return out;
        }
        return null;
    }

    private static String sliceString(String s, Long start, Long stop, long step) {
        int[] cps = s.codePoints().toArray();
        StringBuilder b = new StringBuilder();
        for (long i : indices(cps.length, start, stop, step)) {
            b.appendCodePoint(cps[(int) i]);
        }
        return b.toString();
    }

    /** The indices Python's {@code slice(start, stop, step).indices(length)} walks. */
    private static long[] indices(int length, Long startBox, Long stopBox, long step) {
        long start;
        long stop;
        if (step > 0) {
            start = startBox == null ? 0 : clamp(startBox, length, 0, length);
            stop = stopBox == null ? length : clamp(stopBox, length, 0, length);
        } else {
            start = startBox == null ? length - 1 : clamp(startBox, length, -1, length - 1);
            stop = stopBox == null ? -1 : clamp(stopBox, length, -1, length - 1);
        }
        List<Long> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.add(i);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static long clamp(long index, int length, long low, long high) {
        long i = index < 0 ? index + length : index;
        return Math.max(low, Math.min(high, i));
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
