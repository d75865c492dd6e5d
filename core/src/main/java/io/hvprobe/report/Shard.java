package io.hvprobe.report;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One part of a check split over several machines: shard {@code index} of {@code count}. The objects are sorted by
 * their label (the path as reported) and cut into {@code count} contiguous runs of equal size (±1); shard
 * {@code index} takes run {@code index}. Contiguous runs of the sorted labels are what let {@link ShardMerge} join
 * shard reports by concatenation: every report lists its entries sorted by object first, and no object spans two
 * shards.
 *
 * @param index 1-based, at most {@code count}
 * @param count how many shards, at least 1
 */
public record Shard(int index, int count) {
    /** Most shards a check may be split into. */
    public static final int MAX_COUNT = 100_000;
    private static final Pattern WORD = Pattern.compile("([0-9]{1,6})/([0-9]{1,6})");

    /**
     * Checks the range.
     *
     * @param index 1-based, at most {@code count}
     * @param count how many shards, 1 to {@link #MAX_COUNT}
     * @throws IllegalArgumentException when either is out of range
     */
    public Shard {
        if (count < 1 || count > MAX_COUNT || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": need 1 <= I <= N <= " + MAX_COUNT);
        }
    }

    /**
     * {@code I/N} as written on the command line and in shard reports; empty when it is not of that form.
     *
     * @param word the text, surrounding white space ignored
     * @return the shard, or empty when {@code word} is not {@code I/N} with 1 &lt;= I &lt;= N &lt;= {@link #MAX_COUNT}
     */
    public static Optional<Shard> parse(String word) {
        Matcher m = WORD.matcher(word.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        int i = Integer.parseInt(m.group(1));
        int n = Integer.parseInt(m.group(2));
        return n >= 1 && n <= MAX_COUNT && i >= 1 && i <= n ? Optional.of(new Shard(i, n)) : Optional.empty();
    }

    /**
     * This shard's part of {@code sorted} (already sorted by label): a contiguous sub-list, possibly empty.
     *
     * @param <T>    the element type
     * @param sorted every object's entry, sorted by label
     * @return a view of the sub-list (not a copy)
     */
    public <T> List<T> of(List<T> sorted) {
        int size = sorted.size();
        int from = (int) ((long) size * (index - 1) / count);
        int to = (int) ((long) size * index / count);
        return sorted.subList(from, to);
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
