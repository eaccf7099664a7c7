package dev.coach.llm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt file from {@code prompts/}: a system part and a user part with {@code {{placeholders}}}. Its version
 * is the name plus the first 12 hex digits of the SHA-256 of the text, recorded in every grade.
 */
public record PromptTemplate(String name, String system, String user, String version, Path source) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    /** Loads {@code name}.md, preferring the user's copy in {@code configDir/prompts}. */
    public static PromptTemplate load(String name, Path home, Path configDir) {
        Path user = configDir == null ? null : configDir.resolve("prompts").resolve(name + ".md");
        Path shipped = home == null ? null : home.resolve("prompts").resolve(name + ".md");
        Path file = user != null && Files.isRegularFile(user) ? user : shipped;
        if (file == null || !Files.isRegularFile(file)) {
            throw new ConfigException("prompt template '" + name + ".md' not found in " + (shipped == null ? "coach's prompts/" : shipped.getParent())
                    + "; reinstall coach or set COACH_HOME");
        }
        try {
            return parse(name, Files.readString(file, StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    public static PromptTemplate parse(String name, String text, Path source) {
        int s = text.indexOf("=== system ===");
        int u = text.indexOf("=== user ===");
        if (s < 0 || u < 0 || u < s) {
            throw new ConfigException(source + ": a prompt template needs a '=== system ===' line followed later by a '=== user ===' line");
        }
        String system = text.substring(s + "=== system ===".length(), u).strip();
        String user = text.substring(u + "=== user ===".length()).strip();
        return new PromptTemplate(name, system, user, name + "@" + sha(text), source);
    }

    public Set<String> placeholders() {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(system + "\n" + user);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Fills both parts; a placeholder with no value is an error that names the template file. */
    public String[] render(Map<String, String> values) {
        return new String[] {fill(system, values), fill(user, values)};
    }

    private String fill(String part, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(part);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new ConfigException(source + ": unknown placeholder {{" + m.group(1) + "}}; this template can use "
                        + String.join(", ", values.keySet().stream().map(k -> "{{" + k + "}}").toList()));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String sha(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
