package dev.coach.download;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coach.engine.gguf.ModelInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The models {@code coach model download NAME} knows, read from the {@code models.json} resource shipped with coach. */
public final class ModelCatalog {
    public static final String RESOURCE = "/dev/coach/download/models.json";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final List<CatalogEntry> entries;

    public ModelCatalog(List<CatalogEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    record CatalogFile(String about, List<CatalogEntry> models) {
    }

    /** The catalogue shipped with coach. */
    public static ModelCatalog builtIn() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("coach's model catalogue " + RESOURCE + " is missing from the build");
            }
            return read(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read coach's model catalogue " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Reads and checks a catalogue; {@code where} names it in error messages. */
    public static ModelCatalog read(InputStream in, String where) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        CatalogFile file = mapper.readValue(in, CatalogFile.class);
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<CatalogEntry> models = file.models() == null ? List.of() : file.models();
        for (int i = 0; i < models.size(); i++) {
            CatalogEntry e = models.get(i);
            String at = "model " + (i + 1) + (e.name() == null ? "" : " '" + e.name() + "'");
            if (e.name() == null || !NAME.matcher(e.name()).matches()) {
                problems.add(at + ": name must be lower-case letters, digits, '.', '_' or '-'");
            } else if (!names.add(e.name())) {
                problems.add(at + ": the name is used twice");
            }
            if (e.sha256() == null || !SHA256.matcher(e.sha256()).matches()) {
                problems.add(at + ": sha256 must be 64 lower-case hex digits");
            }
            if (e.bytes() <= 0) {
                problems.add(at + ": bytes must be the file's size");
            }
            if (e.architecture() == null || !ModelInfo.ARCHITECTURES.contains(e.architecture())) {
                problems.add(at + ": architecture '" + e.architecture() + "' is not one the engine runs " + ModelInfo.ARCHITECTURES);
            }
            if (!httpsUrl(e.url())) {
                problems.add(at + ": url must be an https link to the file");
            }
            for (String[] field : new String[][]{{"title", e.title()}, {"quantization", e.quantization()}, {"licence", e.licence()},
                    {"description", e.description()}, {"source", e.source()}}) {
                if (field[1] == null || field[1].isBlank()) {
                    problems.add(at + ": " + field[0] + " is missing");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(where + " is not a valid model catalogue: " + String.join("; ", problems));
        }
        return new ModelCatalog(models);
    }

    private static boolean httpsUrl(String url) {
        try {
            URI u = url == null ? null : new URI(url);
            return u != null && "https".equals(u.getScheme()) && u.getHost() != null && u.getPath() != null && u.getPath().length() > 1;
        } catch (java.net.URISyntaxException ex) {
            return false;
        }
    }

    public List<CatalogEntry> entries() {
        return entries;
    }

    /** The entry with this name, ignoring case. */
    public Optional<CatalogEntry> find(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return entries.stream().filter(e -> e.name().equals(n)).findFirst();
    }

    /** Up to three names close to a mistyped one, closest first. */
    public List<String> similar(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return entries.stream().map(CatalogEntry::name)
                .map(c -> java.util.Map.entry(c, c.contains(n) || n.contains(c) ? 0 : distance(c, n)))
                .filter(e -> e.getValue() <= Math.max(2, n.length() / 3))
                .sorted(Comparator.comparingInt(java.util.Map.Entry<String, Integer>::getValue).thenComparing(java.util.Map.Entry::getKey))
                .limit(3).map(java.util.Map.Entry::getKey).toList();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
