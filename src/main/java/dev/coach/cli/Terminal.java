package dev.coach.cli;

/** What little the plain commands need to know about the screen. */
public final class Terminal {
    private Terminal() {
    }

    /** Columns to fit output into: $COLUMNS if set, else 100. */
    public static int width() {
        String cols = System.getenv("COLUMNS");
        if (cols != null) {
            try {
                int w = Integer.parseInt(cols.trim());
                if (w >= 40) {
                    return w;
                }
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        return 100;
    }

    public static String truncate(String s, int width) {
        if (s == null) {
            return "";
        }
        if (s.length() <= width) {
            return s;
        }
        return width <= 1 ? s.substring(0, width) : s.substring(0, width - 1) + "…";
    }

    /** Wraps text to the width with a hanging indent. */
    public static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder();
        int col = 0;
        int room = Math.max(20, width - indent.length());
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (col > 0 && col + 1 + word.length() > room) {
                out.append('\n').append(indent);
                col = 0;
            } else if (col > 0) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
        }
        return out.toString();
    }
}
