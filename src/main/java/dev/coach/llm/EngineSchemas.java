package dev.coach.llm;

import dev.coach.engine.json.Schema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a LangChain4j JSON schema into the engine's {@link Schema} for constrained decoding. LangChain4j's integer
 * schema carries no bounds, so a description that lists the allowed integers ("0, 1 or 2") bounds it.
 */
final class EngineSchemas {
    private static final Pattern INTEGER_LIST = Pattern.compile("\\s*-?\\d+(\\s*(,|or)\\s*-?\\d+)*\\s*");
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");

    private EngineSchemas() {
    }

    static Schema convert(JsonSchemaElement e) {
        return switch (e) {
            case JsonObjectSchema o -> {
                List<String> required = o.required() == null ? List.of() : o.required();
                List<Schema.Property> props = new ArrayList<>();
                for (Map.Entry<String, JsonSchemaElement> p : o.properties().entrySet()) {
                    props.add(new Schema.Property(p.getKey(), convert(p.getValue()), required.contains(p.getKey())));
                }
                yield new Schema.ObjectSchema(props);
            }
            case JsonArraySchema a -> Schema.array(convert(a.items()));
            case JsonEnumSchema en -> Schema.oneOf(en.enumValues());
            case JsonStringSchema s -> Schema.string();
            case JsonIntegerSchema i -> bounded(i.description());
            case JsonNumberSchema n -> new Schema.NumberSchema();
            case JsonBooleanSchema b -> new Schema.BooleanSchema();
            case JsonNullSchema n -> new Schema.NullSchema();
            default -> throw new UnsupportedOperationException("the local engine cannot constrain output to a "
                    + e.getClass().getSimpleName() + "; use objects, arrays, strings, enums, integers, numbers and booleans");
        };
    }

    private static Schema bounded(String description) {
        if (description != null && INTEGER_LIST.matcher(description).matches()) {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            Matcher m = INTEGER.matcher(description);
            while (m.find()) {
                long v = Long.parseLong(m.group());
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            return new Schema.IntegerSchema(min, max);
        }
        return Schema.integer();
    }
}
