package dev.coach.bank;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML through Jackson's streaming parser into {@link YamlNode}s with locations.
 * Duplicate keys are reported rather than silently overwritten.
 */
public final class YamlReader {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private final Path file;
    private final List<Problem> problems;

    private YamlReader(Path file, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /**
     * Parses {@code text}; returns null when the YAML itself is malformed, after adding a problem
     * that says where the parser stopped.
     */
    public static YamlNode read(Path file, String text, List<Problem> problems) {
        return new YamlReader(file, problems).parse(new StringReader(text));
    }

    private YamlNode parse(Reader reader) {
        try (JsonParser p = FACTORY.createParser(reader)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new YamlNode.Scalar(Location.of(file), "", true);
            }
            return node(p);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            Location where = l == null ? Location.of(file)
                    : new Location(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
            problems.add(new Problem(where, "malformed YAML: " + firstLine(e.getOriginalMessage()),
                    "check indentation (spaces, not tabs) and quote text containing ': ' or ' #'"));
            return null;
        } catch (IOException e) {
            problems.add(new Problem(Location.of(file), "cannot read: " + e.getMessage(), "check the file exists and is readable"));
            return null;
        }
    }

    private Location here(JsonParser p) {
        JsonLocation l = p.currentTokenLocation();
        return new Location(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }

    private YamlNode node(JsonParser p) throws IOException {
        Location at = here(p);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = here(p);
                    p.nextToken();
                    YamlNode value = node(p);
                    YamlNode.Entry previous = entries.get(key);
                    if (previous != null) {
                        problems.add(new Problem(keyAt, "duplicate key '" + key + "' (first written at line "
                                + previous.keyLocation().line() + ")", "remove one of the two, or merge them"));
                    } else {
                        entries.put(key, new YamlNode.Entry(key, keyAt, value));
                    }
                }
                return new YamlNode.Mapping(at, entries);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p));
                }
                return new YamlNode.Sequence(at, items);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(at, "", true);
            }
            default -> {
                return new YamlNode.Scalar(at, p.getText(), false);
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable YAML";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
