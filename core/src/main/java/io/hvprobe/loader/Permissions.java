package io.hvprobe.loader;

/**
 * Memory permissions of a segment.
 *
 * @param read    readable
 * @param write   writable
 * @param execute executable
 */
public record Permissions(boolean read, boolean write, boolean execute) {
    /** {@code R-X}: code. */
    public static final Permissions READ_EXECUTE = new Permissions(true, false, true);
    /** {@code R--}: read-only data. */
    public static final Permissions READ_ONLY = new Permissions(true, false, false);
    /** {@code RW-}: writable data. */
    public static final Permissions READ_WRITE = new Permissions(true, true, false);
    /** {@code RWX}: everything, for raw blobs that mix code and data. */
    public static final Permissions ALL = new Permissions(true, true, true);

    /**
     * The union of both permission sets.
     *
     * @param other another permission set
     * @return the permissions either set grants
     */
    public Permissions union(Permissions other) {
        return new Permissions(read || other.read, write || other.write, execute || other.execute);
    }

    /** {@code "R-X"} style. */
    @Override
    public String toString() {
        return (read ? "R" : "-") + (write ? "W" : "-") + (execute ? "X" : "-");
    }
}
