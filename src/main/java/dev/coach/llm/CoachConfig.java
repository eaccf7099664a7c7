package dev.coach.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ~/.config/coach/config.yaml}: the backend, model, base URL, API key and Ollama host to use when the
 * command line does not say. Written atomically, with mode 0600 when it holds a key. {@link #toString()} never
 * shows the key.
 */
public record CoachConfig(String backend, String model, String baseUrl, String apiKey, String ollamaHost) {
    public static final List<String> KEYS = List.of("backend", "model", "base-url", "api-key", "ollama-host");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static final CoachConfig EMPTY = new CoachConfig(null, null, null, null, null);

    public static Path file(Path configDir) {
        return configDir.resolve("config.yaml");
    }

    /** Reads the file, or returns {@link #EMPTY} if there is none; a bad file is a ConfigException naming it. */
    public static CoachConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            return EMPTY;
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + "); fix or delete it");
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return EMPTY;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": expected 'key: value' lines with keys " + String.join(", ", KEYS));
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEYS.contains(e.getKey())) {
                throw new ConfigException(file + ": unknown key '" + e.getKey() + "'; known keys: " + String.join(", ", KEYS));
            }
            v.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        if (v.get("backend") != null && Backend.parse(v.get("backend")).isEmpty()) {
            throw new ConfigException(file + ": backend '" + v.get("backend") + "' is not one of openai, ollama, local, offline, auto");
        }
        return new CoachConfig(v.get("backend"), v.get("model"), v.get("base-url"), v.get("api-key"), v.get("ollama-host"));
    }

    public CoachConfig with(String key, String value) {
        return switch (key) {
            case "backend" -> new CoachConfig(value, model, baseUrl, apiKey, ollamaHost);
            case "model" -> new CoachConfig(backend, value, baseUrl, apiKey, ollamaHost);
            case "base-url" -> new CoachConfig(backend, model, value, apiKey, ollamaHost);
            case "api-key" -> new CoachConfig(backend, model, baseUrl, value, ollamaHost);
            case "ollama-host" -> new CoachConfig(backend, model, baseUrl, apiKey, value);
            default -> throw new ConfigException("unknown config key '" + key + "'; known keys: " + String.join(", ", KEYS));
        };
    }

    public Map<String, String> asMap(boolean maskKey) {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "backend", backend);
        put(m, "model", model);
        put(m, "base-url", baseUrl);
        put(m, "api-key", apiKey == null ? null : maskKey ? mask(apiKey) : apiKey);
        put(m, "ollama-host", ollamaHost);
        return m;
    }

    /** Writes atomically; when the file holds a key it is created with mode 0600 before any byte is written. */
    public void save(Path file) throws IOException {
        String text = asMap(false).isEmpty() ? "{}\n" : YAML.writeValueAsString(asMap(false)).replaceFirst("^---\\s*\\n", "");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, text);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (apiKey == null) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
    }

    static String mask(String key) {
        if (key == null || key.isEmpty()) {
            return key;
        }
        return key.length() <= 8 ? "****" : key.substring(0, 3) + "…" + key.substring(key.length() - 4);
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    @Override
    public String toString() {
        return "CoachConfig" + asMap(true);
    }

}
