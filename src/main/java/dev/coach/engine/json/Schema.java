package dev.coach.engine.json;

import java.util.List;
import java.util.Objects;

/**
 * The subset of JSON Schema that constrained decoding enforces: objects with named properties (written in the declared
 * order, required ones always, no others), arrays, strings (free or from an enum), integers (optionally bounded),
 * numbers, booleans and null. Free strings and arrays get length caps so that every output can finish.
 */
public sealed interface Schema {

    record ObjectSchema(List<Property> properties) implements Schema {
        public ObjectSchema {
            properties = List.copyOf(properties);
        }
    }

    record Property(String name, Schema schema, boolean required) {
        public Property {
            Objects.requireNonNull(name);
            Objects.requireNonNull(schema);
        }
    }

    /** An array of {@code items}, with between {@code minItems} and {@code maxItems} elements. */
    record ArraySchema(Schema items, int minItems, int maxItems) implements Schema {
        public ArraySchema {
            if (minItems < 0 || maxItems < minItems) {
                throw new IllegalArgumentException("bad item bounds " + minItems + ".." + maxItems);
            }
        }
    }

    /** A string; with {@code options} non-empty, exactly one of them. {@code maxLength} counts characters of content. */
    record StringSchema(List<String> options, int maxLength) implements Schema {
        public StringSchema {
            options = List.copyOf(options);
        }
    }

    /** An integer between {@code min} and {@code max} inclusive. */
    record IntegerSchema(long min, long max) implements Schema {
    }

    record NumberSchema() implements Schema {
    }

    record BooleanSchema() implements Schema {
    }

    record NullSchema() implements Schema {
    }

    /** Caps used where the schema states none, so generation always ends. */
    int DEFAULT_MAX_LENGTH = 1000;
    int DEFAULT_MAX_ITEMS = 24;

    static StringSchema string() {
        return new StringSchema(List.of(), DEFAULT_MAX_LENGTH);
    }

    static StringSchema oneOf(List<String> options) {
        if (options.isEmpty()) {
            throw new IllegalArgumentException("an enum needs at least one value");
        }
        return new StringSchema(options, DEFAULT_MAX_LENGTH);
    }

    static IntegerSchema integer() {
        return new IntegerSchema(-999_999_999_999L, 999_999_999_999L);
    }

    static ArraySchema array(Schema items) {
        return new ArraySchema(items, 0, DEFAULT_MAX_ITEMS);
    }
}
