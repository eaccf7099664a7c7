package dev.coach.bank;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each node starts, so that every
 * problem the linter finds can be reported at its file, line and column.
 */
public sealed interface YamlNode {

    Location location();

    /** A human name for the node's shape, used in "expected a list, found a text" messages. */
    String shape();

    record Scalar(Location location, String text, boolean isNull) implements YamlNode {
        @Override
        public String shape() {
            return isNull ? "nothing" : "a single value";
        }
    }

    record Sequence(Location location, List<YamlNode> items) implements YamlNode {
        @Override
        public String shape() {
            return "a list";
        }
    }

    record Mapping(Location location, Map<String, Entry> entries) implements YamlNode {
        public Mapping {
            entries = new LinkedHashMap<>(entries);
        }

        @Override
        public String shape() {
            return "a mapping of keys to values";
        }

        public YamlNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }
    }

    /** A key of a mapping, where the key was written, and its value. */
    record Entry(String key, Location keyLocation, YamlNode value) {
    }
}
