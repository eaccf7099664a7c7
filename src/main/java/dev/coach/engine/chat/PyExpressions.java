package dev.coach.engine.chat;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ExpressionFactory;

/**
 * Python semantics inside Jinjava's expression language, where Jinjava follows Java EL instead:
 * <ul>
 *   <li>truthiness: Jinjava treats the string "false" as false (a message saying "False" would vanish);</li>
 *   <li>{@code a and b} returns {@code a} or {@code b}, not a boolean;</li>
 *   <li>{@code ==} and {@code !=} between different types are simply false/true (EL tries to convert and fails),
 *       and {@code in} compares the same way (Jinjava converts the needle to the type of the first item);</li>
 *   <li>{@code ~} and other conversions to text print values as Python does ({@code True}, {@code 2.5},
 *       {@code ['a']}); booleans count as 1 and 0 in arithmetic.</li>
 * </ul>
 */
final class PyExpressions {
    private PyExpressions() {
    }

    /** An expression factory for Jinjava with the parser and conversions below. */
    static ExpressionFactory factory() {
        Builder builder = new PySyntaxBuilder(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS);
        return new ExpressionFactoryImpl(new TreeStore(builder, new Cache(1000)), new PyTypeConverter());
    }

    /** Python truthiness, for Jinjava's own values too. */
    static boolean truthy(Object value) {
        if (value instanceof HasObjectTruthValue h) {
            return h.getObjectTruthValue();
        }
        if (value instanceof SafeString s) {
            return !s.toString().isEmpty();
        }
        return Py.truthy(value);
    }

    /** Python's {@code ==}. */
    static boolean equal(Object a, Object b) {
        a = unwrap(a);
        b = unwrap(b);
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumber(a) && isNumber(b)) {
            if (isIntegral(a) && isIntegral(b)) {
                return toBigInteger(a).equals(toBigInteger(b));
            }
            return toDouble(a) == toDouble(b);
        }
        if (a instanceof CharSequence x && b instanceof CharSequence y) {
            return x.toString().equals(y.toString());
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!equal(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map.Entry<?, ?> x && b instanceof Map.Entry<?, ?> y) {
            return equal(x.getKey(), y.getKey()) && equal(x.getValue(), y.getValue());
        }
        return Objects.equals(a, b);
    }

    private static Object unwrap(Object o) {
        return o instanceof SafeString s ? s.toString() : o;
    }

    private static boolean isNumber(Object o) {
        return o instanceof Number || o instanceof Boolean;
    }

    private static boolean isIntegral(Object o) {
        return o instanceof Boolean || o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte
                || o instanceof BigInteger;
    }

    private static BigInteger toBigInteger(Object o) {
        if (o instanceof Boolean b) {
            return b ? BigInteger.ONE : BigInteger.ZERO;
        }
        return o instanceof BigInteger bi ? bi : BigInteger.valueOf(((Number) o).longValue());
    }

    private static double toDouble(Object o) {
        return o instanceof Boolean b ? (b ? 1 : 0) : ((Number) o).doubleValue();
    }

    private static final AstBinary.Operator AND = new AstBinary.Operator() {
        @Override
        public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object l = left.eval(bindings, context);
            return truthy(l) ? right.eval(bindings, context) : l;
        }

        @Override
        public String toString() {
            return "and";
        }
    };

    private static AstBinary.Operator equality(boolean negate) {
        return new AstBinary.Operator() {
            @Override
            public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, ELContext context, AstNode left, AstNode right) {
                return equal(left.eval(bindings, context), right.eval(bindings, context)) != negate;
            }

            @Override
            public String toString() {
                return negate ? "!=" : "==";
            }
        };
    }

    private static final AstBinary.Operator EQ = equality(false);
    private static final AstBinary.Operator NE = equality(true);

    /** Python's {@code needle in container}: substring, mapping key, or an item equal by {@link #equal}. */
    static boolean contains(Object container, Object needle) {
        container = unwrap(container);
        needle = unwrap(needle);
        if (container == null) {
            return false;
        }
        if (container instanceof CharSequence cs) {
            return needle instanceof CharSequence n && cs.toString().contains(n.toString());
        }
        Iterable<?> items;
        if (container instanceof Map<?, ?> m) {
            items = m.keySet();
        } else if (container instanceof Iterable<?> it) {
            items = it;
        } else if (container.getClass().isArray()) {
            items = PyMethods.iterate(container);
        } else {
            return false;
        }
        for (Object item : items) {
            if (equal(item, needle)) {
                return true;
            }
        }
        return false;
    }

    private static Parser.ExtensionHandler membership(boolean negate) {
        AstBinary.Operator op = new AstBinary.Operator() {
            @Override
            public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, ELContext context, AstNode left, AstNode right) {
                return contains(right.eval(bindings, context), left.eval(bindings, context)) != negate;
            }

            @Override
            public String toString() {
                return negate ? "not in" : "in";
            }
        };
        return new Parser.ExtensionHandler(Parser.ExtensionPoint.CMP) {
            @Override
            public AstNode createAstNode(AstNode... children) {
                return new AstBinary(children[0], children[1], op);
            }
        };
    }

    /** Jinjava's parser with Python's {@code and}, {@code ==}, {@code !=}, {@code in} and {@code not in}. */
    static final class PyParser extends ExtendedParser {
        PyParser(Builder context, String input) {
            super(context, input);
            putExtensionHandler(com.hubspot.jinjava.el.ext.CollectionMembershipOperator.TOKEN, membership(false));
            putExtensionHandler(com.hubspot.jinjava.el.ext.CollectionNonMembershipOperator.TOKEN, membership(true));
        }

        @Override
        protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
            AstBinary.Operator op = operator == AstBinary.AND ? AND : operator == AstBinary.EQ ? EQ : operator == AstBinary.NE ? NE : operator;
            return super.createAstBinary(left, right, op);
        }
    }

    static final class PySyntaxBuilder extends ExtendedSyntaxBuilder {
        private static final long serialVersionUID = 1L;

        PySyntaxBuilder(Feature... features) {
            super(features);
        }

        @Override
        protected Parser createParser(String expression) {
            return new PyParser(this, expression);
        }
    }

    /** Python truthiness and text; booleans as numbers. */
    static final class PyTypeConverter extends TruthyTypeConverter {
        private static final long serialVersionUID = 1L;

        @Override
        protected Boolean coerceToBoolean(Object value) {
            return truthy(value);
        }

        @Override
        protected String coerceToString(Object value) {
            if (value instanceof Boolean || value instanceof Double || value instanceof Float || value instanceof Map<?, ?>
                    || value instanceof Collection<?> || value instanceof Map.Entry<?, ?>) {
                return Py.str(value);
            }
            return super.coerceToString(value);
        }

        @Override
        protected Long coerceToLong(Object value) {
            return value instanceof Boolean b ? (b ? 1L : 0L) : super.coerceToLong(value);
        }

        @Override
        protected Integer coerceToInteger(Object value) {
            return value instanceof Boolean b ? (b ? 1 : 0) : super.coerceToInteger(value);
        }

        @Override
        protected Double coerceToDouble(Object value) {
            return value instanceof Boolean b ? (b ? 1.0 : 0.0) : super.coerceToDouble(value);
        }

        @Override
        protected BigDecimal coerceToBigDecimal(Object value) {
            return value instanceof Boolean b ? (b ? BigDecimal.ONE : BigDecimal.ZERO) : super.coerceToBigDecimal(value);
        }

        @Override
        protected BigInteger coerceToBigInteger(Object value) {
            return value instanceof Boolean b ? (b ? BigInteger.ONE : BigInteger.ZERO) : super.coerceToBigInteger(value);
        }
    }
}
