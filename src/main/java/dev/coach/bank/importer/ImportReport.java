package dev.coach.bank.importer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What an import recognised in one document, what it skipped, and what it warns about. */
public final class ImportReport {
    /** The parts of a question the importer looks for. */
    public enum Part { OUTLINE, FOLLOWUPS, TRAPS, NUMBERS, LEVEL, ROLES, TIPS }

    final Path file;
    final Layout layout;
    int questions;
    int skippedLines;
    final Map<Part, Integer> withPart = new EnumMap<>(Part.class);
    final List<String> warnings = new ArrayList<>();

    ImportReport(Path file, Layout layout) {
        this.file = file;
        this.layout = layout;
        for (Part p : Part.values()) {
            withPart.put(p, 0);
        }
    }

    void count(Part part, boolean present) {
        if (present) {
            withPart.merge(part, 1, Integer::sum);
        }
    }

    public Path file() {
        return file;
    }

    public Layout layout() {
        return layout;
    }

    public int questions() {
        return questions;
    }

    public int skippedLines() {
        return skippedLines;
    }

    /** How many imported questions had this part in the source. */
    public int with(Part part) {
        return withPart.get(part);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public String summary() {
        return file + ": " + layout.description() + "\n"
                + "  recognised " + questions + " question(s); with an outline/answer " + with(Part.OUTLINE)
                + ", follow-ups " + with(Part.FOLLOWUPS) + ", traps " + with(Part.TRAPS) + ", numbers " + with(Part.NUMBERS)
                + ", difficulty/level " + with(Part.LEVEL) + ", roles " + with(Part.ROLES) + ", tips " + with(Part.TIPS) + "\n"
                + "  skipped " + skippedLines + " line(s) outside questions (introductions, diagrams, study plans)";
    }
}
