package dev.coach.engine.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jinjava.javax.el.CompositeELResolver;

/**
 * A Hugging Face chat template (Jinja2) compiled for Jinjava. Renders the way transformers'
 * {@code apply_chat_template} does: Jinja2 whitespace rules with {@code trim_blocks} and {@code lstrip_blocks}
 * (settled by {@link JinjaSource}), Python string methods ({@link PyMethods}), Hugging Face's {@code tojson},
 * {@code raise_exception} and {@code strftime_now}, and values printed the way Python prints them.
 */
final class JinjaTemplate {

    private final String name;
    private final String source;
    private final String translated;
    private final Jinjava jinjava;

    /** What one render needs from outside the template engine (functions are static methods). */
    private static final class RenderState {
        final Clock clock;
        String raised;

        RenderState(Clock clock) {
            this.clock = clock;
        }
    }

    private static final ThreadLocal<RenderState> STATE = new ThreadLocal<>();

    /** Thrown by {@code raise_exception} to stop the expression; the message is kept in {@link RenderState}. */
    static final class Raised extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Raised(String message) {
            super(message, null, false, false);
        }
    }

    JinjaTemplate(String name, String source) {
        this.name = name;
        this.source = source;
        JinjaSource.Translated t;
        try {
            t = JinjaSource.translate(source);
        } catch (ChatTemplateException e) {
            throw new ChatTemplateException("chat template '" + name + "' cannot be read: " + e.getMessage(), e);
        }
        this.translated = t.text();
        this.jinjava = newJinjava();
        // Jinjava passes a value through an unknown filter unchanged and calls an unknown test false; Jinja2 fails
        // when it gets there (templates guard rarely used filters with conditions, so failing up front is too early)
        Context global = jinjava.getGlobalContext();
        for (String f : t.filters()) {
            if (global.getFilter(f) == null) {
                global.registerFilter(new PyFilter(f, (v, a) -> {
                    throw new PyMethods.PyError("the template uses the filter '" + f + "', which coach's Jinja engine does not have");
                }));
            }
        }
        for (String test : t.tests()) {
            if (global.getExpTest(test) == null) {
                global.registerExpTest(new MissingTest(test));
            }
        }
        checkSyntax();
    }

    String name() {
        return name;
    }

    String source() {
        return source;
    }

    private void checkSyntax() {
        JinjavaInterpreter interpreter = jinjava.newInterpreter();
        try (var current = JinjavaInterpreter.closeablePushCurrent(interpreter).get()) {
            current.value().parse(translated);
        }
        List<String> problems = interpreter.getErrorsCopy().stream().filter(JinjaTemplate::fatal).map(JinjaTemplate::describe).toList();
        if (!problems.isEmpty()) {
            throw new ChatTemplateException("chat template '" + name + "' cannot be read: " + String.join("; ", problems));
        }
    }

    private static boolean fatal(TemplateError e) {
        return e.getSeverity() == TemplateError.ErrorType.FATAL || e.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR;
    }

    private static String describe(TemplateError e) {
        // line numbers count in the translated text, which can have fewer lines than the source
        String where = e.getLineno() > 0 ? " (near line " + e.getLineno() + ")" : "";
        return e.getMessage() + where;
    }

    /** Renders with these variables (messages, add_generation_prompt, bos_token, ...). */
    synchronized String render(Map<String, Object> variables, Clock clock) {
        RenderState state = new RenderState(clock);
        RenderState previous = STATE.get();
        STATE.set(state);
        RenderResult result;
        try {
            result = jinjava.renderForResult(translated, variables);
        } finally {
            if (previous == null) {
                STATE.remove();
            } else {
                STATE.set(previous);
            }
        }
        if (state.raised != null) {
            throw ChatTemplateException.raised(name, state.raised);
        }
        List<String> problems = result.getErrors().stream().filter(JinjaTemplate::fatal).map(JinjaTemplate::describe).toList();
        if (!problems.isEmpty()) {
            throw new ChatTemplateException("chat template '" + name + "' failed: " + String.join("; ", problems));
        }
        return result.getOutput();
    }

    // ---- Jinjava set-up ----

    private static Jinjava newJinjava() {
        LegacyOverrides overrides = LegacyOverrides.newBuilder()
                .withEvaluateMapKeys(true) // {key: value} evaluates key, as Python does
                .withIterateOverMapKeys(true) // for k in dict iterates keys
                .withUseNaturalOperatorPrecedence(true)
                .withKeepNullableLoopValues(true)
                .withHandleBackslashInQuotesOnly(true)
                .withParseWhitespaceControlStrictly(true)
                .build();
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PyMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withLegacyOverrides(overrides)
                .withTrimBlocks(false) // whitespace is settled by JinjaSource
                .withLstripBlocks(false)
                .withKeepTrailingNewline(true)
                .withNestedInterpretationEnabled(false) // never re-render "{{" that comes from a message
                .withElResolver(resolver)
                .withInterperterFactory(new PyInterpreterFactory())
                .withMaxOutputSize(64L << 20)
                .withEnableRecursiveMacroCalls(true) // tool-schema macros call themselves; Jinjava refuses by default
                .withMaxMacroRecursionDepth(100)
                .build();
        Jinjava j = new PyJinjava(config);
        Context global = j.getGlobalContext();
        global.registerFunction(function("raise_exception", "raiseException", String.class));
        global.registerFunction(function("strftime_now", "strftimeNow", String.class));
        global.registerFunction(function("py_loop_filter", "loopFilter", Object.class, String.class, String.class));
        global.registerFunction(function("dict", "dict", Object[].class));
        global.registerFunction(function("py_truth", "truth", Object.class));
        global.registerFunction(function("py_list", "iterationItems", Object.class));
        global.registerFunction(function("py_loop_item", "loopItem", Object.class, long.class, long.class));
        // Hugging Face's globals are defined names in Jinja2 ("strftime_now is defined" is how Llama 3.2 asks for
        // the date); Jinjava functions are not variables, so a variable of the same name stands in for each
        global.put("raise_exception", new FunctionName("raise_exception"));
        global.put("strftime_now", new FunctionName("strftime_now"));
        Filter length = global.getFilter("length");
        global.registerFilter(new TojsonFilter());
        global.registerFilter(new PyFilter("trim", (v, a) -> Py.strip(text(v), a.length > 0 && a[0] != null ? Py.str(a[0]) : null, true, true)));
        global.registerFilter(new PyFilter("items", (v, a) -> items(v)));
        global.registerFilter(new PyFilter("string", (v, a) -> text(v)));
        global.registerFilter(new PyFilter("capitalize", (v, a) -> Py.capitalize(text(v))));
        global.registerFilter(new PyFilter("title", (v, a) -> jinjaTitle(text(v))));
        Filter first = global.getFilter("first");
        Filter last = global.getFilter("last");
        global.registerFilter(new PyFilter("first", (v, a) -> v instanceof CharSequence || v instanceof Map.Entry<?, ?>
                ? end(v, true) : first.filter(v, JinjavaInterpreter.getCurrent())));
        global.registerFilter(new PyFilter("last", (v, a) -> v instanceof CharSequence || v instanceof Map.Entry<?, ?>
                ? end(v, false) : last.filter(v, JinjavaInterpreter.getCurrent())));
        Filter toInt = global.getFilter("int");
        global.registerFilter(new PyFilter("int", (v, a) -> v instanceof Boolean b ? (Object) (b ? 1L : 0L)
                : toInt.filter(v, JinjavaInterpreter.getCurrent(), java.util.Arrays.stream(a).map(x -> x == null ? null : Py.str(x)).toArray(String[]::new))));
        global.registerFilter(new PyFilter("upper", (v, a) -> Py.upper(text(v))));
        global.registerFilter(new PyFilter("lower", (v, a) -> Py.lower(text(v))));
        // Python's notions: a string is a sequence and iterable, a boolean is a number
        global.registerExpTest(new PyTest("sequence", v -> v instanceof CharSequence || v instanceof java.util.Collection<?> || v instanceof Map<?, ?>
                || (v != null && v.getClass().isArray())));
        global.registerExpTest(new PyTest("iterable", v -> v instanceof CharSequence || v instanceof Iterable<?> || v instanceof Map<?, ?>
                || v instanceof java.util.Iterator<?> || (v != null && v.getClass().isArray())));
        global.registerExpTest(new PyTest("number", v -> v instanceof Number || v instanceof Boolean));
        global.registerFilter(new DefaultFilter("default"));
        global.registerFilter(new DefaultFilter("d"));
        global.registerFilter(new PyFilter("max", (v, a) -> extreme(v, true)));
        global.registerFilter(new PyFilter("min", (v, a) -> extreme(v, false)));
        PyFilter.Body len = (v, a) -> v instanceof CharSequence cs ? (Object) (long) Py.length(cs) : length.filter(v, JinjavaInterpreter.getCurrent());
        global.registerFilter(new PyFilter("length", len));
        global.registerFilter(new PyFilter("count", len));
        return j;
    }

    /** What a global function's name evaluates to when it is used as a value, e.g. in {@code is defined}. */
    private record FunctionName(String name) {
        @Override
        public String toString() {
            return "<function " + name + ">";
        }
    }

    private static ELFunctionDefinition function(String jinjaName, String javaName, Class<?>... params) {
        try {
            Method m = JinjaTemplate.class.getDeclaredMethod(javaName, params);
            m.setAccessible(true);
            return new ELFunctionDefinition("", jinjaName, m);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- template functions ----

    static Object raiseException(String message) {
        RenderState state = STATE.get();
        if (state != null && state.raised == null) {
            state.raised = message == null ? "None" : message;
        }
        throw new Raised(message);
    }

    static String strftimeNow(String format) {
        RenderState state = STATE.get();
        Clock clock = state != null ? state.clock : Clock.systemDefaultZone();
        return PyTime.strftime(format, LocalDateTime.now(clock));
    }

    static List<Object> loopFilter(Object iterable, String targets, String condition) {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        String[] names = targets.split(",");
        List<Object> kept = new ArrayList<>();
        for (Object item : PyMethods.iterate(iterable)) {
            interpreter.enterScope();
            try {
                if (names.length == 1) {
                    interpreter.getContext().put(names[0], item);
                } else {
                    List<Object> parts = item instanceof Map.Entry<?, ?> e ? java.util.Arrays.asList(e.getKey(), e.getValue()) : PyMethods.iterate(item);
                    if (parts.size() != names.length) {
                        throw new PyMethods.PyError("cannot unpack " + parts.size() + " values into " + names.length + " loop variables");
                    }
                    for (int i = 0; i < names.length; i++) {
                        interpreter.getContext().put(names[i], parts.get(i));
                    }
                }
                if (PyExpressions.truthy(interpreter.resolveELExpression(condition, interpreter.getLineNumber()))) {
                    kept.add(item);
                }
            } finally {
                interpreter.leaveScope();
            }
        }
        return kept;
    }

    /** Python truthiness as a boolean ({@link JinjaSource} wraps {@code if} and {@code elif} conditions in it). */
    static boolean truth(Object value) {
        return PyExpressions.truthy(value);
    }

    /** What a for loop walks: a list's items, a mapping's keys, a string's characters; nothing for None. */
    static List<Object> iterationItems(Object iterable) {
        return iterable == null ? List.of() : PyMethods.iterate(iterable);
    }

    /** {@code loop.previtem} ({@code step = -1}) or {@code loop.nextitem} ({@code step = 1}); None past either end. */
    static Object loopItem(Object items, long index0, long step) {
        List<Object> list = iterationItems(items);
        long i = index0 + step;
        return i >= 0 && i < list.size() ? list.get((int) i) : null;
    }

    static Map<String, Object> dict(Object... params) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object p : params) {
            if (p instanceof NamedParameter np) {
                out.put(np.getName(), np.getValue());
            } else if (p instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(String.valueOf(k), v));
            } else if (p != null) {
                throw new PyMethods.PyError("dict() takes a mapping or name=value arguments, not " + Py.repr(p));
            }
        }
        return out;
    }

    // ---- filters ----

    private static List<Object> items(Object v) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new PyMethods.PyError("items: expected a mapping, got " + Py.repr(v));
        }
        List<Object> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
        }
        return out;
    }

    /**
     * A value as text for a string filter. Jinjava has no separate "undefined": null is almost always an undefined
     * value (a missing key or variable), which Jinja2 turns into "" (only an explicit None prints "None").
     */
    private static String text(Object v) {
        return v == null ? "" : Py.str(v);
    }

    /** The first or last item of a string (a character) or of a pair (a dictsort or items() entry). */
    private static Object end(Object v, boolean first) {
        List<Object> items = v instanceof Map.Entry<?, ?> e ? java.util.Arrays.asList(e.getKey(), e.getValue()) : PyMethods.iterate(v);
        return items.isEmpty() ? null : items.get(first ? 0 : items.size() - 1);
    }

    /** Jinja2's {@code max} and {@code min} filters: numbers by value, strings ignoring case. */
    private static Object extreme(Object v, boolean max) {
        Object best = null;
        for (Object o : PyMethods.iterate(v)) {
            if (best == null || (max ? compare(o, best) > 0 : compare(o, best) < 0)) {
                best = o;
            }
        }
        return best;
    }

    private static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof CharSequence x && b instanceof CharSequence y) {
            return Py.lower(x.toString()).compareTo(Py.lower(y.toString()));
        }
        throw new PyMethods.PyError("cannot compare " + Py.repr(a) + " with " + Py.repr(b));
    }

    private static final Pattern WORD_START = Pattern.compile("([-\\s({\\[<]+)");

    /** Jinja2's {@code title} filter (not Python's str.title): each word's first letter upper, the rest lower. */
    private static String jinjaTitle(String s) {
        StringBuilder b = new StringBuilder();
        Matcher m = WORD_START.matcher(s);
        int last = 0;
        List<String> items = new ArrayList<>();
        while (m.find()) {
            items.add(s.substring(last, m.start()));
            items.add(m.group());
            last = m.end();
        }
        items.add(s.substring(last));
        for (String item : items) {
            if (!item.isEmpty()) {
                int cp = item.codePointAt(0);
                b.append(Py.upper(new String(Character.toChars(cp)))).append(Py.lower(item.substring(Character.charCount(cp))));
            }
        }
        return b.toString();
    }

    /** A test of the value alone. */
    private record PyTest(String getName, java.util.function.Predicate<Object> test) implements com.hubspot.jinjava.lib.exptest.ExpTest {
        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return test.test(var);
        }
    }

    /** Stands for a test the template names but Jinjava does not have: fails when evaluated. */
    private record MissingTest(String name) implements com.hubspot.jinjava.lib.exptest.ExpTest {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            throw new PyMethods.PyError("the template uses the test 'is " + name + "', which coach's Jinja engine does not have");
        }
    }

    /** A filter written as a function of the value and its positional arguments. */
    private static final class PyFilter implements Filter {
        interface Body {
            Object apply(Object value, Object[] args);
        }

        private final String name;
        private final Body body;

        PyFilter(String name, Body body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return body.apply(var, args);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return body.apply(var, args == null ? new Object[0] : args);
        }
    }

    /**
     * Jinja2's {@code default(value, default_value='', boolean=False)}. Jinjava's turns the default into a string,
     * so {@code enable_thinking | default(false)} became the truthy string "false".
     */
    private record DefaultFilter(String getName) implements Filter {
        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object[] a = args == null ? new Object[0] : args;
            Object fallback = kwargs != null && kwargs.containsKey("default_value") ? kwargs.get("default_value") : a.length > 0 ? a[0] : "";
            Object onFalse = kwargs != null && kwargs.containsKey("boolean") ? kwargs.get("boolean") : a.length > 1 ? a[1] : false;
            boolean useFallback = var == null || (PyExpressions.truthy(onFalse) && !PyExpressions.truthy(var));
            return useFallback ? fallback : var;
        }
    }

    /** Hugging Face's {@code tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)}. */
    private static final class TojsonFilter implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object[] a = args == null ? new Object[0] : args;
            Object ensureAscii = arg(a, 0, kwargs, "ensure_ascii", false);
            Object indent = arg(a, 1, kwargs, "indent", null);
            Object separators = arg(a, 2, kwargs, "separators", null);
            Object sortKeys = arg(a, 3, kwargs, "sort_keys", false);
            String indentText = switch (indent) {
                case null -> null;
                case Number n -> " ".repeat(Math.max(0, n.intValue()));
                default -> Py.str(indent);
            };
            String item = null;
            String key = null;
            if (separators != null) {
                List<Object> seps = PyMethods.iterate(separators);
                if (seps.size() != 2) {
                    throw new PyMethods.PyError("tojson: separators must be a pair (item separator, key separator)");
                }
                item = Py.str(seps.get(0));
                key = Py.str(seps.get(1));
            }
            return new PyJson(Py.truthy(ensureAscii), indentText, item, key, Py.truthy(sortKeys)).dumps(var);
        }

        private static Object arg(Object[] a, int i, Map<String, Object> kwargs, String name, Object dflt) {
            if (kwargs != null && kwargs.containsKey(name)) {
                return kwargs.get(name);
            }
            return i < a.length ? a[i] : dflt;
        }
    }

    /** Jinjava with {@link PyExpressions}' expression language. */
    private static final class PyJinjava extends Jinjava {
        private final jinjava.javax.el.ExpressionFactory factory = PyExpressions.factory();

        PyJinjava(JinjavaConfig config) {
            super(config);
        }

        @Override
        public jinjava.javax.el.ExpressionFactory getExpressionFactory() {
            return factory;
        }
    }

    /** Prints values as Python's {@code str()} does ({@code True}, {@code ['a', 1]}, {@code 2.5}); None prints as nothing. */
    private static final class PyInterpreterFactory implements InterpreterFactory {
        @Override
        public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
            return new PyInterpreter(orig);
        }

        @Override
        public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig renderConfig) {
            return new PyInterpreter(application, context, renderConfig);
        }
    }

    private static final class PyInterpreter extends JinjavaInterpreter {
        PyInterpreter(JinjavaInterpreter orig) {
            super(orig);
        }

        PyInterpreter(Jinjava application, Context context, JinjavaConfig config) {
            super(application, context, config);
        }

        @Override
        public String getAsString(Object object) {
            return object == null ? "" : Py.str(object);
        }
    }
}
