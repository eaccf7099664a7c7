package dev.coach.bank;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads bank directories (a {@code categories.yaml} and one YAML file per category) and checks
 * everything the rest of coach relies on. All problems are collected; none stops the others from being found.
 */
public final class BankLoader {
    public static final String CATEGORIES_FILE = "categories.yaml";
    public static final int MIN_OUTLINE = 4;
    public static final int MIN_ESSENTIAL = 2;
    public static final int MIN_TRAPS = 1;
    public static final int MIN_FOLLOWUPS = 2;

    static final List<String> QUESTION_FIELDS = List.of("id", "question", "category", "level", "frequency", "kind",
            "roles", "sources", "outline", "numbers", "traps", "followups", "related");
    static final Set<String> REQUIRED_FIELDS = Set.of("id", "question", "category", "level", "frequency", "kind",
            "roles", "sources", "outline", "traps", "followups");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern TRAP_PROBE = Pattern.compile("trap:(\\d+)");

    /** What loading produced: the bank (possibly partial) and every problem found. */
    public record Result(Bank bank, List<Problem> problems, List<Path> files) {
        public boolean ok() {
            return problems.isEmpty();
        }

        /** The bank, or a {@link BankException} listing every problem. */
        public Bank orThrow() {
            if (!problems.isEmpty()) {
                throw new BankException(problems);
            }
            return bank;
        }
    }

    private final List<Problem> problems = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final Map<String, Category> categories = new LinkedHashMap<>();
    private final Map<String, Location> categoryLocations = new HashMap<>();
    private final List<Question> questions = new ArrayList<>();
    private final Map<String, Map<String, Location>> refLocations = new HashMap<>();

    private BankLoader() {
    }

    /** Loads and checks the given directories in order. */
    public static Result load(List<Path> directories) {
        BankLoader loader = new BankLoader();
        for (Path dir : directories) {
            loader.loadDirectory(dir);
        }
        loader.checkAcrossFiles();
        return new Result(new Bank(loader.categories.values(), uniqueById(loader.questions)),
                List.copyOf(loader.problems), List.copyOf(loader.files));
    }

    private static List<Question> uniqueById(List<Question> qs) {
        Map<String, Question> seen = new LinkedHashMap<>();
        qs.forEach(q -> seen.putIfAbsent(q.id(), q));
        return List.copyOf(seen.values());
    }

    private void loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            problems.add(new Problem(Location.of(dir), "bank directory not found",
                    "pass an existing directory to --bank, or remove the option"));
            return;
        }
        Path catFile = dir.resolve(CATEGORIES_FILE);
        if (Files.isRegularFile(catFile)) {
            readCategories(catFile);
        }
        List<Path> questionFiles;
        try (Stream<Path> s = Files.list(dir)) {
            questionFiles = s.filter(p -> {
                String n = p.getFileName().toString();
                return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.equals(CATEGORIES_FILE);
            }).sorted().toList();
        } catch (IOException e) {
            problems.add(new Problem(Location.of(dir), "cannot list bank directory: " + e.getMessage(), "check permissions"));
            return;
        }
        questionFiles.forEach(this::readQuestionFile);
    }

    private YamlNode parse(Path file) {
        files.add(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new Problem(Location.of(file), "cannot read file: " + e.getMessage(), "check the file is readable UTF-8"));
            return null;
        }
        if (text.indexOf('\t') >= 0) {
            int line = 1 + (int) text.substring(0, text.indexOf('\t')).chars().filter(c -> c == '\n').count();
            int col = text.indexOf('\t') - text.lastIndexOf('\n', text.indexOf('\t'));
            problems.add(new Problem(new Location(file, line, col), "tab character in YAML",
                    "indent with spaces; YAML does not allow tabs for indentation"));
            return null;
        }
        return YamlReader.read(file, text, problems);
    }

    // ---- categories -------------------------------------------------------------------------

    private void readCategories(Path file) {
        YamlNode root = parse(file);
        if (root == null) {
            return;
        }
        YamlNode.Mapping top = mapping(root, "the categories file");
        if (top == null) {
            return;
        }
        checkKeys(top, List.of("categories"), "the categories file");
        YamlNode.Sequence list = sequence(top, "categories", "the categories file", true);
        if (list == null) {
            return;
        }
        for (YamlNode item : list.items()) {
            YamlNode.Mapping m = mapping(item, "a category");
            if (m == null) {
                continue;
            }
            checkKeys(m, List.of("id", "title", "description"), "a category");
            String id = text(m, "id", "a category", true);
            String title = text(m, "title", "category '" + id + "'", true);
            String description = text(m, "description", "category '" + id + "'", true);
            if (id == null) {
                continue;
            }
            checkSlug(id, m.get("id").location(), "category id");
            if (categories.containsKey(id)) {
                problems.add(new Problem(m.location(), "category '" + id + "' is defined twice (first at "
                        + categoryLocations.get(id) + ")", "keep one definition; extra bank directories only add new categories"));
                continue;
            }
            categories.put(id, new Category(id, title, description));
            categoryLocations.put(id, m.location());
        }
    }

    // ---- questions --------------------------------------------------------------------------

    private void readQuestionFile(Path file) {
        YamlNode root = parse(file);
        if (root == null) {
            return;
        }
        YamlNode.Mapping top = mapping(root, "a bank file");
        if (top == null) {
            return;
        }
        checkKeys(top, List.of("questions"), "a bank file");
        YamlNode.Sequence list = sequence(top, "questions", "a bank file", true);
        if (list == null) {
            return;
        }
        String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        for (YamlNode item : list.items()) {
            YamlNode.Mapping m = mapping(item, "a question");
            if (m != null) {
                Question q = readQuestion(m, stem);
                if (q != null) {
                    questions.add(q);
                }
            }
        }
    }

    private Question readQuestion(YamlNode.Mapping m, String fileStem) {
        String id = text(m, "id", "a question", true);
        String what = id == null ? "a question" : "question '" + id + "'";
        checkKeys(m, QUESTION_FIELDS, what);
        for (String field : QUESTION_FIELDS) {
            if (REQUIRED_FIELDS.contains(field) && m.get(field) == null && !field.equals("id")) {
                problems.add(new Problem(m.location(), what + " has no '" + field + "'", "add '" + field + ":' " + fieldHint(field)));
            }
        }
        if (id != null) {
            checkSlug(id, m.get("id").location(), "question id");
        }
        String text = text(m, "question", what, false);
        String category = text(m, "category", what, false);
        if (category != null && categories.containsKey(fileStem) && !category.equals(fileStem)) {
            problems.add(new Problem(m.get("category").location(), what + " is in " + fileStem + ".yaml but has category '"
                    + category + "'", "move it to " + category + ".yaml, or set category: " + fileStem));
        }
        Level level = enumValue(m, "level", Level.class, what);
        Frequency frequency = enumValue(m, "frequency", Frequency.class, what);
        Kind kind = enumValue(m, "kind", Kind.class, what);
        List<Role> roles = new ArrayList<>();
        YamlNode.Sequence roleList = sequence(m, "roles", what, false);
        if (roleList != null) {
            for (YamlNode r : roleList.items()) {
                enumFromNode(r, Role.class, "role", what).ifPresent(roles::add);
            }
            if (roleList.items().isEmpty()) {
                problems.add(new Problem(roleList.location(), what + " names no roles", "list at least one of: " + BankEnum.choices(Role.class)));
            }
        }
        List<String> sources = textList(m, "sources", what);
        List<OutlinePoint> outline = readOutline(m, what);
        List<KeyNumber> numbers = readNumbers(m, what);
        List<Trap> traps = readTraps(m, what);
        List<FollowUp> followups = readFollowUps(m, what, id);
        List<String> related = textList(m, "related", what);
        if (id == null) {
            return null;
        }
        Map<String, Location> refs = refLocations.computeIfAbsent(id, k -> new LinkedHashMap<>());
        YamlNode.Sequence rel = sequence(m, "related", what, false);
        if (rel != null) {
            for (YamlNode r : rel.items()) {
                if (r instanceof YamlNode.Scalar s) {
                    refs.putIfAbsent("related:" + s.text(), s.location());
                }
            }
        }
        checkFill(m, what, outline, traps, followups);
        checkProbes(m, what, outline, traps, followups);
        return new Question(id, text, category, level, frequency, kind, roles, sources, outline, numbers, traps, followups,
                related, m.location());
    }

    private List<OutlinePoint> readOutline(YamlNode.Mapping m, String what) {
        List<OutlinePoint> out = new ArrayList<>();
        YamlNode.Sequence list = sequence(m, "outline", what, false);
        if (list == null) {
            return out;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (YamlNode item : list.items()) {
            YamlNode.Mapping p = mapping(item, "an outline point of " + what);
            if (p == null) {
                continue;
            }
            checkKeys(p, List.of("id", "point", "essential"), "an outline point of " + what);
            String pid = text(p, "id", "an outline point of " + what, true);
            String point = text(p, "point", "outline point '" + pid + "' of " + what, true);
            Boolean essential = bool(p, "essential", "outline point '" + pid + "' of " + what);
            if (pid != null) {
                checkSlug(pid, p.get("id").location(), "outline point id");
                if (!ids.add(pid)) {
                    problems.add(new Problem(p.get("id").location(), "outline point id '" + pid + "' is used twice in " + what,
                            "give each point of a question its own id"));
                }
            }
            out.add(new OutlinePoint(pid, point, Boolean.TRUE.equals(essential)));
        }
        return out;
    }

    private List<KeyNumber> readNumbers(YamlNode.Mapping m, String what) {
        return readPairs(m, "numbers", "a number of " + what, "figure", "measures", KeyNumber::new);
    }

    private List<Trap> readTraps(YamlNode.Mapping m, String what) {
        return readPairs(m, "traps", "a trap of " + what, "mistake", "why", Trap::new);
    }

    /** Reads a list of two-field mappings, such as {figure, measures} or {mistake, why}. */
    private <T> List<T> readPairs(YamlNode.Mapping m, String key, String itemWhat, String first, String second,
                                  java.util.function.BiFunction<String, String, T> make) {
        List<T> out = new ArrayList<>();
        YamlNode.Sequence list = sequence(m, key, itemWhat, false);
        if (list == null) {
            return out;
        }
        for (YamlNode item : list.items()) {
            YamlNode.Mapping t = mapping(item, itemWhat);
            if (t == null) {
                continue;
            }
            checkKeys(t, List.of(first, second), itemWhat);
            out.add(make.apply(text(t, first, itemWhat, true), text(t, second, itemWhat, true)));
        }
        return out;
    }

    private List<FollowUp> readFollowUps(YamlNode.Mapping m, String what, String id) {
        List<FollowUp> out = new ArrayList<>();
        YamlNode.Sequence list = sequence(m, "followups", what, false);
        if (list == null) {
            return out;
        }
        for (YamlNode item : list.items()) {
            YamlNode.Mapping f = mapping(item, "a follow-up of " + what);
            if (f == null) {
                continue;
            }
            checkKeys(f, List.of("question", "ref", "probes"), "a follow-up of " + what);
            String ref = text(f, "ref", "a follow-up of " + what, false);
            if (ref != null && id != null) {
                refLocations.computeIfAbsent(id, k -> new LinkedHashMap<>()).putIfAbsent("ref:" + ref, f.get("ref").location());
            }
            out.add(new FollowUp(text(f, "question", "a follow-up of " + what, true), ref, text(f, "probes", "a follow-up of " + what, false)));
        }
        return out;
    }

    private void checkFill(YamlNode.Mapping m, String what, List<OutlinePoint> outline, List<Trap> traps, List<FollowUp> followups) {
        if (m.get("outline") != null) {
            long essential = outline.stream().filter(OutlinePoint::essential).count();
            if (outline.size() < MIN_OUTLINE) {
                problems.add(new Problem(m.get("outline").location(), what + " has " + outline.size() + " outline point(s); at least "
                        + MIN_OUTLINE + " are needed", "add points until a grader can tell a strong answer from a partial one"));
            }
            if (essential < MIN_ESSENTIAL) {
                problems.add(new Problem(m.get("outline").location(), what + " has " + essential + " essential outline point(s); at least "
                        + MIN_ESSENTIAL + " are needed", "mark the points a strong answer cannot omit with 'essential: true'"));
            }
        }
        if (m.get("traps") != null && traps.size() < MIN_TRAPS) {
            problems.add(new Problem(m.get("traps").location(), what + " has no traps", "add at least one {mistake, why}"));
        }
        if (m.get("followups") != null && followups.size() < MIN_FOLLOWUPS) {
            problems.add(new Problem(m.get("followups").location(), what + " has " + followups.size() + " follow-up(s); at least "
                    + MIN_FOLLOWUPS + " are needed", "add follow-up questions, linking bank questions with 'ref'"));
        }
    }

    private void checkProbes(YamlNode.Mapping m, String what, List<OutlinePoint> outline, List<Trap> traps, List<FollowUp> followups) {
        YamlNode.Sequence list = sequence(m, "followups", what, false);
        if (list == null) {
            return;
        }
        Set<String> pointIds = new LinkedHashSet<>();
        outline.forEach(p -> pointIds.add(p.id()));
        for (int i = 0; i < followups.size() && i < list.items().size(); i++) {
            String probes = followups.get(i).probes();
            if (probes == null || !(list.items().get(i) instanceof YamlNode.Mapping f)) {
                continue;
            }
            Matcher t = TRAP_PROBE.matcher(probes);
            if (t.matches()) {
                int n = Integer.parseInt(t.group(1));
                if (n < 1 || n > traps.size()) {
                    problems.add(new Problem(f.get("probes").location(), "follow-up probes " + probes + " but " + what + " has "
                            + traps.size() + " trap(s)", "use trap:1 to trap:" + traps.size()));
                }
            } else if (!pointIds.contains(probes)) {
                problems.add(new Problem(f.get("probes").location(), "follow-up probes '" + probes + "', which is no outline point of " + what,
                        "use one of: " + String.join(", ", pointIds) + ", or trap:N"
                                + Spelling.closest(probes, pointIds).map(s -> " (did you mean '" + s + "'?)").orElse("")));
            }
        }
    }

    // ---- checks across files ----------------------------------------------------------------

    private void checkAcrossFiles() {
        Map<String, Question> byId = new LinkedHashMap<>();
        for (Question q : questions) {
            Question first = byId.putIfAbsent(q.id(), q);
            if (first != null) {
                problems.add(new Problem(q.location(), "question id '" + q.id() + "' is already used at " + first.location(),
                        "ids must be unique across all bank files; rename one"));
            }
            if (q.category() != null && !categories.containsKey(q.category())) {
                problems.add(new Problem(q.location(), "question '" + q.id() + "' has unknown category '" + q.category() + "'",
                        categories.isEmpty() ? "define it in " + CATEGORIES_FILE
                                : "use one of: " + String.join(", ", categories.keySet()) + ", or add it to " + CATEGORIES_FILE
                                + Spelling.closest(q.category(), categories.keySet()).map(s -> " (did you mean '" + s + "'?)").orElse("")));
            }
        }
        for (Question q : byId.values()) {
            Map<String, Location> refs = refLocations.getOrDefault(q.id(), Map.of());
            for (Map.Entry<String, Location> e : refs.entrySet()) {
                String kind = e.getKey().substring(0, e.getKey().indexOf(':'));
                String target = e.getKey().substring(kind.length() + 1);
                if (target.equals(q.id()) && kind.equals("related")) {
                    problems.add(new Problem(e.getValue(), "question '" + q.id() + "' lists itself as related", "remove it from 'related'"));
                } else if (!byId.containsKey(target)) {
                    problems.add(new Problem(e.getValue(), ("ref".equals(kind) ? "follow-up ref" : "related id") + " '" + target
                            + "' names no question in the bank", Spelling.closest(target, byId.keySet())
                            .map(s -> "did you mean '" + s + "'?").orElse("use the id of an existing question, or remove it")));
                }
            }
        }
    }

    // ---- node helpers -----------------------------------------------------------------------

    private YamlNode.Mapping mapping(YamlNode node, String what) {
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        problems.add(new Problem(node.location(), what + " should be a mapping of keys to values, found " + node.shape(),
                "write it as 'key: value' lines indented under its parent"));
        return null;
    }

    private YamlNode.Sequence sequence(YamlNode.Mapping m, String key, String what, boolean required) {
        YamlNode node = m.get(key);
        if (node == null) {
            if (required) {
                problems.add(new Problem(m.location(), what + " has no '" + key + "'", "add '" + key + ":' followed by a list of '- ' items"));
            }
            return null;
        }
        if (node instanceof YamlNode.Sequence s) {
            return s;
        }
        if (node instanceof YamlNode.Scalar s && s.isNull()) {
            return new YamlNode.Sequence(s.location(), List.of());
        }
        problems.add(new Problem(node.location(), "'" + key + "' of " + what + " should be a list, found " + node.shape(),
                "write each item on its own line starting with '- ', or use [a, b]"));
        return null;
    }

    private String text(YamlNode.Mapping m, String key, String what, boolean required) {
        YamlNode node = m.get(key);
        if (node == null) {
            if (required) {
                problems.add(new Problem(m.location(), what + " has no '" + key + "'", "add '" + key + ": ...'"));
            }
            return null;
        }
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            if (s.text().isBlank()) {
                problems.add(new Problem(s.location(), "'" + key + "' of " + what + " is empty", "write the " + key));
                return null;
            }
            return s.text().strip();
        }
        problems.add(new Problem(node.location(), "'" + key + "' of " + what + " should be text, found " + node.shape(),
                "write it on one line after '" + key + ": ', quoted if it contains ': '"));
        return null;
    }

    private Boolean bool(YamlNode.Mapping m, String key, String what) {
        YamlNode node = m.get(key);
        if (node == null) {
            problems.add(new Problem(m.location(), what + " has no '" + key + "'", "add '" + key + ": true' or '" + key + ": false'"));
            return null;
        }
        if (node instanceof YamlNode.Scalar s && (s.text().equals("true") || s.text().equals("false"))) {
            return Boolean.parseBoolean(s.text());
        }
        problems.add(new Problem(node.location(), "'" + key + "' of " + what + " should be true or false", "write " + key + ": true or " + key + ": false"));
        return null;
    }

    private List<String> textList(YamlNode.Mapping m, String key, String what) {
        List<String> out = new ArrayList<>();
        YamlNode.Sequence list = sequence(m, key, what, false);
        if (list == null) {
            return out;
        }
        for (YamlNode item : list.items()) {
            if (item instanceof YamlNode.Scalar s && !s.isNull() && !s.text().isBlank()) {
                out.add(s.text().strip());
            } else {
                problems.add(new Problem(item.location(), "each item of '" + key + "' in " + what + " should be text, found " + item.shape(),
                        "write one value per '- ' item (quote labels such as \"000#01\")"));
            }
        }
        return out;
    }

    private <E extends Enum<E> & BankEnum> E enumValue(YamlNode.Mapping m, String key, Class<E> type, String what) {
        YamlNode node = m.get(key);
        return node == null ? null : enumFromNode(node, type, key, what).orElse(null);
    }

    private <E extends Enum<E> & BankEnum> Optional<E> enumFromNode(YamlNode node, Class<E> type, String key, String what) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            Optional<E> v = BankEnum.parse(type, s.text().strip());
            if (v.isEmpty()) {
                List<String> labels = Arrays.stream(type.getEnumConstants()).map(BankEnum::label).toList();
                problems.add(new Problem(s.location(), key + " '" + s.text() + "' of " + what + " is not one of: " + String.join(", ", labels),
                        Spelling.closest(s.text(), labels).map(c -> "did you mean '" + c + "'?").orElse("use one of the values listed")));
            }
            return v;
        }
        problems.add(new Problem(node.location(), key + " of " + what + " should be a single value, found " + node.shape(),
                "use one of: " + BankEnum.choices(type)));
        return Optional.empty();
    }

    private void checkKeys(YamlNode.Mapping m, List<String> allowed, String what) {
        for (YamlNode.Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                problems.add(new Problem(e.keyLocation(), "unknown field '" + e.key() + "' in " + what,
                        Spelling.closest(e.key(), allowed).map(s -> "did you mean '" + s + "'? ").orElse("")
                                + "allowed fields: " + String.join(", ", allowed)));
            }
        }
    }

    private void checkSlug(String id, Location at, String what) {
        if (!SLUG.matcher(id).matches()) {
            problems.add(new Problem(at, what + " '" + id + "' is not a slug", "use lowercase letters, digits and single hyphens, e.g. 'kv-cache'"));
        }
    }

    private static String fieldHint(String field) {
        return switch (field) {
            case "question" -> "with the question as the candidate will read it";
            case "category" -> "with a category id from " + CATEGORIES_FILE;
            case "level" -> "with one of " + BankEnum.choices(Level.class);
            case "frequency" -> "with one of " + BankEnum.choices(Frequency.class);
            case "kind" -> "with one of " + BankEnum.choices(Kind.class);
            case "roles" -> "with a list drawn from " + BankEnum.choices(Role.class);
            case "sources" -> "with the reference labels this question covers ([] if none)";
            case "outline" -> "with at least " + MIN_OUTLINE + " points {id, point, essential}";
            case "traps" -> "with at least " + MIN_TRAPS + " {mistake, why}";
            case "followups" -> "with at least " + MIN_FOLLOWUPS + " {question, ref?, probes?}";
            default -> "";
        };
    }
}
