package dev.coach.bank;

import java.util.Collection;
import java.util.Optional;

/** Edit distances for "did you mean" hints and typo-tolerant search. */
public final class Spelling {
    private Spelling() {
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    public static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }

    /** The closest candidate within a distance that scales with length, if any. */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int dist = distance(word.toLowerCase(), c.toLowerCase());
            if (dist < bestD) {
                bestD = dist;
                best = c;
            }
        }
        int allowed = Math.max(1, word.length() / 3);
        return best != null && bestD <= allowed ? Optional.of(best) : Optional.empty();
    }
}
