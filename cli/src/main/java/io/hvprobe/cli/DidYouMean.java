package io.hvprobe.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** The closest known word to a misspelled one (commands, options, rule ids), by edit distance. */
final class DidYouMean {
    private DidYouMean() {
    }

    /**
     * The candidate nearest to {@code word}, if it is near enough to be the likely intent: at most a third of the
     * word's length in edits (adjacent swaps count once), or {@code word} is a prefix of it.
     */
    static Optional<String> closest(String word, Collection<String> candidates) {
        return candidates.stream()
                .filter(c -> c.startsWith(word) && word.length() >= 3 || distance(word, c) <= Math.max(1, word.length() / 3))
                .min(Comparator.comparingInt((String c) -> distance(word, c)).thenComparing(c -> c));
    }

    /** {@code " (did you mean 'x'?)"} or {@code ""}. */
    static String hint(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
