package dev.coach.engine.json;

import dev.coach.engine.json.Schema.ArraySchema;
import dev.coach.engine.json.Schema.BooleanSchema;
import dev.coach.engine.json.Schema.IntegerSchema;
import dev.coach.engine.json.Schema.NullSchema;
import dev.coach.engine.json.Schema.NumberSchema;
import dev.coach.engine.json.Schema.ObjectSchema;
import dev.coach.engine.json.Schema.StringSchema;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A byte-at-a-time recogniser for JSON documents that satisfy a {@link Schema}. States are immutable stacks of
 * frames, so a state can be advanced along many candidate tokens without copying: {@link #advance} returns the
 * next state, or {@code null} if the byte cannot occur there. Whitespace between tokens is allowed in short runs
 * (so a model may pretty-print, but cannot stall).
 */
public final class JsonMatcher {
    /** Longest run of whitespace accepted between two JSON tokens. */
    static final int MAX_WHITESPACE = 8;
    /** Longest number accepted, in characters. */
    static final int MAX_NUMBER = 24;

    private JsonMatcher() {
    }

    /** A position in the document: the innermost frame and the frames it is nested in. {@link #DONE} after the root value. */
    public record State(Frame top, State below) {
    }

    public static final State DONE = new State(null, null);

    sealed interface Frame {
    }

    /** Expecting a value of {@code schema}; {@code ws} whitespace seen so far. */
    record Value(Schema schema, int ws) implements Frame {
    }

    enum ObjPhase { OPENED, KEY, COLON, AFTER_VALUE, BEFORE_KEY }

    /** Inside an object: {@code next} is the index of the first property not yet written; {@code key} the key typed so far. */
    record Obj(ObjectSchema schema, ObjPhase phase, int next, String key, int ws) implements Frame {
    }

    enum ArrPhase { OPENED, AFTER_VALUE, BEFORE_VALUE }

    record Arr(ArraySchema schema, ArrPhase phase, int count, int ws) implements Frame {
    }

    /**
     * Inside a string. For an enum, {@code content} holds the bytes so far; otherwise {@code chars} counts characters,
     * {@code escape} is 0, 1 after a backslash, or 2–5 while reading {@code \\uXXXX} hex digits, and {@code utf8} the
     * continuation bytes still due.
     */
    record Str(StringSchema schema, byte[] content, int chars, int escape, int utf8) implements Frame {
    }

    record Literal(String text, int at) implements Frame {
    }

    enum NumPhase { SIGN, ZERO, INT, DOT, FRACTION, EXP, EXP_SIGN, EXP_DIGITS }

    record Num(Schema schema, NumPhase phase, long value, boolean negative, int length) implements Frame {
    }

    public static State start(Schema root) {
        return new State(new Value(root, 0), null);
    }

    /** True when the document is complete: the root value is finished (a root number counts once it could end). */
    public static boolean complete(State s) {
        if (s == DONE) {
            return true;
        }
        return s.below() == null && s.top() instanceof Num n && numberCanEnd(n);
    }

    /** The state after {@code b} (a byte, 0–255), or null if {@code b} cannot come next. */
    public static State advance(State s, int b) {
        if (s == DONE) {
            return null;
        }
        Frame f = s.top();
        State below = s.below();
        return switch (f) {
            case Value v -> value(v, below, b);
            case Obj o -> object(o, below, b);
            case Arr a -> array(a, below, b);
            case Str str -> string(str, below, b);
            case Literal l -> {
                if (b != l.text().charAt(l.at())) {
                    yield null;
                }
                yield l.at() + 1 == l.text().length() ? pop(below) : new State(new Literal(l.text(), l.at() + 1), below);
            }
            case Num n -> number(n, below, b);
        };
    }

    private static boolean whitespace(int b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r';
    }

    /** The frame below has received its value. */
    private static State pop(State below) {
        return below == null ? DONE : below;
    }

    private static State value(Value v, State below, int b) {
        if (whitespace(b)) {
            return v.ws() < MAX_WHITESPACE ? new State(new Value(v.schema(), v.ws() + 1), below) : null;
        }
        return switch (v.schema()) {
            case ObjectSchema o -> b == '{' ? new State(new Obj(o, ObjPhase.OPENED, 0, "", 0), below) : null;
            case ArraySchema a -> b == '[' ? new State(new Arr(a, ArrPhase.OPENED, 0, 0), below) : null;
            case StringSchema str -> b == '"' ? new State(new Str(str, new byte[0], 0, 0, 0), below) : null;
            case BooleanSchema x -> b == 't' ? new State(new Literal("true", 1), below)
                    : b == 'f' ? new State(new Literal("false", 1), below) : null;
            case NullSchema x -> b == 'n' ? new State(new Literal("null", 1), below) : null;
            case IntegerSchema i -> startNumber(i, below, b);
            case NumberSchema n -> startNumber(n, below, b);
        };
    }

    private static State startNumber(Schema schema, State below, int b) {
        if (b == '-') {
            if (schema instanceof IntegerSchema i && i.min() >= 0) {
                return null;
            }
            return new State(new Num(schema, NumPhase.SIGN, 0, true, 1), below);
        }
        if (b >= '0' && b <= '9') {
            Num n = new Num(schema, b == '0' ? NumPhase.ZERO : NumPhase.INT, b - '0', false, 1);
            return integerInRange(n) ? new State(n, below) : null;
        }
        return null;
    }

    /** Whether an integer's digits so far can still end inside its bounds. */
    private static boolean integerInRange(Num n) {
        if (!(n.schema() instanceof IntegerSchema i)) {
            return true;
        }
        long v = n.negative() ? -n.value() : n.value();
        if (n.negative()) {
            return v >= i.min() || n.phase() == NumPhase.SIGN;
        }
        // A non-negative prefix only grows as digits are added.
        return v <= i.max();
    }

    private static boolean numberCanEnd(Num n) {
        boolean shape = n.phase() == NumPhase.ZERO || n.phase() == NumPhase.INT || n.phase() == NumPhase.FRACTION
                || n.phase() == NumPhase.EXP_DIGITS;
        if (!shape) {
            return false;
        }
        if (n.schema() instanceof IntegerSchema i) {
            long v = n.negative() ? -n.value() : n.value();
            return v >= i.min() && v <= i.max();
        }
        return true;
    }

    private static State number(Num n, State below, int b) {
        boolean digit = b >= '0' && b <= '9';
        boolean integer = n.schema() instanceof IntegerSchema;
        if (n.length() >= MAX_NUMBER && (digit || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-')) {
            return null;
        }
        NumPhase next = null;
        long value = n.value();
        switch (n.phase()) {
            case SIGN -> {
                if (digit) {
                    next = b == '0' ? NumPhase.ZERO : NumPhase.INT;
                    value = b - '0';
                }
            }
            case ZERO -> {
                if (!integer && b == '.') {
                    next = NumPhase.DOT;
                } else if (!integer && (b == 'e' || b == 'E')) {
                    next = NumPhase.EXP;
                }
            }
            case INT -> {
                if (digit) {
                    next = NumPhase.INT;
                    if (value > Long.MAX_VALUE / 10 - 10) {
                        return null;
                    }
                    value = value * 10 + (b - '0');
                } else if (!integer && b == '.') {
                    next = NumPhase.DOT;
                } else if (!integer && (b == 'e' || b == 'E')) {
                    next = NumPhase.EXP;
                }
            }
            case DOT -> next = digit ? NumPhase.FRACTION : null;
            case FRACTION -> next = digit ? NumPhase.FRACTION : (b == 'e' || b == 'E') ? NumPhase.EXP : null;
            case EXP -> next = digit ? NumPhase.EXP_DIGITS : (b == '+' || b == '-') ? NumPhase.EXP_SIGN : null;
            case EXP_SIGN, EXP_DIGITS -> next = digit ? NumPhase.EXP_DIGITS : null;
        }
        if (next != null) {
            Num m = new Num(n.schema(), next, value, n.negative(), n.length() + 1);
            return integerInRange(m) ? new State(m, below) : null;
        }
        // Any other byte ends the number, and then belongs to the enclosing value.
        if (!numberCanEnd(n)) {
            return null;
        }
        State after = pop(below);
        return after == DONE ? null : advance(after, b);
    }

    private static State object(Obj o, State below, int b) {
        List<Schema.Property> props = o.schema().properties();
        switch (o.phase()) {
            case OPENED, AFTER_VALUE, BEFORE_KEY, COLON -> {
                if (whitespace(b)) {
                    return o.ws() < MAX_WHITESPACE ? new State(new Obj(o.schema(), o.phase(), o.next(), o.key(), o.ws() + 1), below) : null;
                }
            }
            default -> {
            }
        }
        switch (o.phase()) {
            case OPENED, BEFORE_KEY -> {
                if (b == '"' && o.next() < props.size()) {
                    return new State(new Obj(o.schema(), ObjPhase.KEY, o.next(), "", 0), below);
                }
                if (b == '}' && o.phase() == ObjPhase.OPENED && !requiredFrom(props, o.next())) {
                    return pop(below);
                }
                return null;
            }
            case KEY -> {
                if (b == '"') {
                    int match = keyMatch(props, o.next(), o.key(), true);
                    return match < 0 ? null : new State(new Obj(o.schema(), ObjPhase.COLON, match, "", 0), below);
                }
                if (b < 0x20 || b == '\\' || b >= 0x80) {
                    return null;
                }
                String key = o.key() + (char) b;
                return keyMatch(props, o.next(), key, false) < 0 ? null : new State(new Obj(o.schema(), ObjPhase.KEY, o.next(), key, 0), below);
            }
            case COLON -> {
                if (b != ':') {
                    return null;
                }
                // o.next() is the index of the property whose key was just written.
                Obj after = new Obj(o.schema(), ObjPhase.AFTER_VALUE, o.next() + 1, "", 0);
                return new State(new Value(props.get(o.next()).schema(), 0), new State(after, below));
            }
            case AFTER_VALUE -> {
                if (b == ',' && o.next() < props.size()) {
                    return new State(new Obj(o.schema(), ObjPhase.BEFORE_KEY, o.next(), "", 0), below);
                }
                if (b == '}' && !requiredFrom(props, o.next())) {
                    return pop(below);
                }
                return null;
            }
        }
        return null;
    }

    private static boolean requiredFrom(List<Schema.Property> props, int from) {
        for (int i = from; i < props.size(); i++) {
            if (props.get(i).required()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Properties come in declared order; optional ones may be skipped. Returns the index of the property the key
     * (prefix) can belong to, or -1. With {@code whole}, the key must equal a name.
     */
    private static int keyMatch(List<Schema.Property> props, int from, String key, boolean whole) {
        for (int i = from; i < props.size(); i++) {
            String name = props.get(i).name();
            if (whole ? name.equals(key) : name.startsWith(key)) {
                return i;
            }
            if (props.get(i).required()) {
                break;
            }
        }
        return -1;
    }

    private static State array(Arr a, State below, int b) {
        ArraySchema s = a.schema();
        if (whitespace(b)) {
            return a.ws() < MAX_WHITESPACE ? new State(new Arr(s, a.phase(), a.count(), a.ws() + 1), below) : null;
        }
        switch (a.phase()) {
            case OPENED, BEFORE_VALUE -> {
                if (b == ']' && a.phase() == ArrPhase.OPENED) {
                    return s.minItems() == 0 ? pop(below) : null;
                }
                if (a.count() >= s.maxItems()) {
                    return null;
                }
                State withValue = new State(new Value(s.items(), 0), new State(new Arr(s, ArrPhase.AFTER_VALUE, a.count() + 1, 0), below));
                return advance(withValue, b);
            }
            case AFTER_VALUE -> {
                if (b == ',' && a.count() < s.maxItems()) {
                    return new State(new Arr(s, ArrPhase.BEFORE_VALUE, a.count(), 0), below);
                }
                if (b == ']' && a.count() >= s.minItems()) {
                    return pop(below);
                }
                return null;
            }
        }
        return null;
    }

    private static State string(Str str, State below, int b) {
        StringSchema s = str.schema();
        if (!s.options().isEmpty()) {
            byte[] next = new byte[str.content().length + 1];
            System.arraycopy(str.content(), 0, next, 0, str.content().length);
            next[next.length - 1] = (byte) b;
            if (b == '"') {
                for (String option : s.options()) {
                    if (java.util.Arrays.equals(encoded(option), str.content())) {
                        return pop(below);
                    }
                }
            }
            for (String option : s.options()) {
                byte[] e = encoded(option);
                if (e.length >= next.length && java.util.Arrays.equals(e, 0, next.length, next, 0, next.length)) {
                    return new State(new Str(s, next, 0, 0, 0), below);
                }
            }
            return null;
        }
        if (str.utf8() > 0) {
            return (b & 0xC0) == 0x80 ? new State(new Str(s, str.content(), str.chars(), 0, str.utf8() - 1), below) : null;
        }
        if (str.escape() == 1) {
            return switch (b) {
                case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> new State(new Str(s, str.content(), str.chars() + 1, 0, 0), below);
                case 'u' -> new State(new Str(s, str.content(), str.chars(), 2, 0), below);
                default -> null;
            };
        }
        if (str.escape() >= 2) {
            boolean hex = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
            if (!hex) {
                return null;
            }
            return str.escape() == 5 ? new State(new Str(s, str.content(), str.chars() + 1, 0, 0), below)
                    : new State(new Str(s, str.content(), str.chars(), str.escape() + 1, 0), below);
        }
        if (b == '"') {
            return pop(below);
        }
        if (str.chars() >= s.maxLength() || b < 0x20 || b == 0x7F) {
            return null;
        }
        if (b == '\\') {
            return new State(new Str(s, str.content(), str.chars(), 1, 0), below);
        }
        if (b < 0x80) {
            return new State(new Str(s, str.content(), str.chars() + 1, 0, 0), below);
        }
        int more = (b & 0xE0) == 0xC0 && b >= 0xC2 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 && b <= 0xF4 ? 3 : -1;
        return more < 0 ? null : new State(new Str(s, str.content(), str.chars() + 1, 0, more), below);
    }

    /** An enum value as it appears between the quotes (remembered). */
    private static byte[] encoded(String option) {
        return ENCODED.computeIfAbsent(option, JsonMatcher::encode);
    }

    private static byte[] encode(String option) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < option.length(); i++) {
            char c = option.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The fewest bytes that complete the document from {@code s} (0 when it is complete). Constrained decoding uses it
     * to stop opening new values when the token budget would not leave room to close them.
     */
    public static int minToClose(State s) {
        return minToClose(s, new Memo());
    }

    public static int minToClose(State s, Memo memo) {
        if (s == DONE) {
            return 0;
        }
        int total = 0;
        for (State at = s; at != null; at = at.below()) {
            total += frameRest(at.top(), memo);
        }
        return total;
    }

    /** Bytes needed to finish one frame, once everything nested in it is finished. */
    private static int frameRest(Frame f, Memo memo) {
        return switch (f) {
            case Value v -> minimal(v.schema(), memo);
            case Literal l -> l.text().length() - l.at();
            case Num n -> numberCanEnd(n) ? 0 : n.phase() == NumPhase.EXP ? 2 : 1;
            case Str str -> {
                if (!str.schema().options().isEmpty()) {
                    int best = Integer.MAX_VALUE;
                    for (String o : str.schema().options()) {
                        byte[] e = encoded(o);
                        if (e.length >= str.content().length && java.util.Arrays.equals(e, 0, str.content().length, str.content(), 0, str.content().length)) {
                            best = Math.min(best, e.length - str.content().length + 1);
                        }
                    }
                    yield best;
                }
                yield 1 + str.utf8() + (str.escape() == 1 ? 1 : str.escape() >= 2 ? 6 - str.escape() : 0);
            }
            case Arr a -> switch (a.phase()) {
                case OPENED -> 1 + Math.max(0, a.schema().minItems() - a.count()) * (minimal(a.schema().items(), memo) + 1);
                case AFTER_VALUE -> 1 + Math.max(0, a.schema().minItems() - a.count()) * (minimal(a.schema().items(), memo) + 1);
                case BEFORE_VALUE -> minimal(a.schema().items(), memo) + 1 + Math.max(0, a.schema().minItems() - a.count() - 1) * (minimal(a.schema().items(), memo) + 1);
            };
            case Obj o -> {
                List<Schema.Property> props = o.schema().properties();
                int rest = 1; // the closing brace
                int from = o.next();
                switch (o.phase()) {
                    case KEY -> {
                        int idx = keyMatch(props, o.next(), o.key(), false);
                        rest += props.get(idx).name().length() - o.key().length() + 2 + minimal(props.get(idx).schema(), memo);
                        from = idx + 1;
                    }
                    case COLON -> {
                        rest += 1 + minimal(props.get(o.next()).schema(), memo);
                        from = o.next() + 1;
                    }
                    case BEFORE_KEY -> {
                        // a comma was written: one more property must follow
                        int idx = firstCandidate(props, from, memo);
                        rest += propertySize(props.get(idx), memo) - 1;
                        from = idx + 1;
                    }
                    default -> {
                    }
                }
                boolean first = o.phase() == ObjPhase.OPENED;
                for (int i = from; i < props.size(); i++) {
                    if (props.get(i).required()) {
                        rest += propertySize(props.get(i), memo) - (first ? 1 : 0);
                        first = false;
                    }
                }
                yield rest;
            }
        };
    }

    private static int firstCandidate(List<Schema.Property> props, int from, Memo memo) {
        int best = from;
        int bestSize = Integer.MAX_VALUE;
        for (int i = from; i < props.size(); i++) {
            int size = propertySize(props.get(i), memo);
            if (size < bestSize) {
                best = i;
                bestSize = size;
            }
            if (props.get(i).required()) {
                break;
            }
        }
        return best;
    }

    /** {@code ,"name":value} at its shortest. */
    private static int propertySize(Schema.Property p, Memo memo) {
        return 1 + p.name().length() + 3 + minimal(p.schema(), memo);
    }

    /** The largest shortest-value size of any schema nested in {@code schema} (how much one token can add to close). */
    static int largestMinimal(Schema schema) {
        int own = minimal(schema, new Memo()) + 64;
        return switch (schema) {
            case ObjectSchema o -> Math.max(own, o.properties().stream().mapToInt(p -> largestMinimal(p.schema())).max().orElse(0));
            case ArraySchema a -> Math.max(own, largestMinimal(a.items()));
            default -> own;
        };
    }

    private static final java.util.Map<String, byte[]> ENCODED = new java.util.concurrent.ConcurrentHashMap<>();

    /** Remembers {@link #minimal} per schema object; one per mask, so nothing outlives the request. */
    public static final class Memo {
        private final java.util.IdentityHashMap<Schema, Integer> sizes = new java.util.IdentityHashMap<>();
    }

    static int minimal(Schema schema) {
        return minimal(schema, new Memo());
    }

    /** The shortest text of a value of {@code schema}. */
    static int minimal(Schema schema, Memo memo) {
        Integer known = memo.sizes.get(schema);
        if (known != null) {
            return known;
        }
        int size = computeMinimal(schema, memo);
        memo.sizes.put(schema, size);
        return size;
    }

    private static int computeMinimal(Schema schema, Memo memo) {
        return switch (schema) {
            case ObjectSchema o -> {
                int size = 2;
                boolean first = true;
                for (Schema.Property p : o.properties()) {
                    if (p.required()) {
                        size += propertySize(p, memo) - (first ? 1 : 0);
                        first = false;
                    }
                }
                yield size;
            }
            case ArraySchema a -> 2 + a.minItems() * (minimal(a.items(), memo) + 1) - (a.minItems() > 0 ? 1 : 0);
            case StringSchema str -> 2 + (str.options().isEmpty() ? 0 : str.options().stream().mapToInt(o -> encoded(o).length).min().orElse(0));
            case IntegerSchema i -> i.min() <= 0 && i.max() >= 0 ? 1 : Long.toString(i.min() > 0 ? i.min() : i.max()).length();
            case NumberSchema n -> 1;
            case BooleanSchema b -> 4;
            case NullSchema n -> 4;
        };
    }

    /** Feeds a whole string; null if it breaks the schema somewhere. */
    public static State feed(State s, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            if (s == null) {
                return null;
            }
            s = advance(s, b & 0xFF);
        }
        return s;
    }
}
