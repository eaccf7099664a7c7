package dev.coach.bank.importer;

/** Strips the Markdown decoration that does not change meaning: heading marks, emphasis, quote marks, LaTeX dashes. */
final class MarkdownText {
    private MarkdownText() {
    }

    static String clean(String line) {
        String s = line.replace("\\text{---}", "—").strip();
        s = s.replaceFirst("^>\\s*", "");
        s = s.replaceFirst("^#{1,6}\\s+", "");
        s = s.replaceAll("\\*\\*(.+?)\\*\\*", "$1").replaceAll("__(.+?)__", "$1");
        s = s.replaceAll("(?<![\\w*])\\*([^*\\s][^*]*?)\\*(?![\\w*])", "$1");
        s = s.replaceAll("`([^`]+)`", "$1");
        return s.strip();
    }
}
