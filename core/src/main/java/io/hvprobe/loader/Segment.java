package io.hvprobe.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A page-aligned run of guest memory with one set of permissions: map {@code size()} bytes at {@code address()}
 * and copy {@link #initialized()} to its start; the rest is zero ({@code .bss}, a {@code p_memsz} beyond
 * {@code p_filesz}).
 *
 * <p>Why the zero tail is not stored: a file of a few KiB may declare a segment of hundreds of MiB (within the
 * image cap); holding it as bytes in every copy of the image would make memory use a multiple of what the file
 * asks for rather than of what it holds. Immutable.
 */
public final class Segment {
    /** Zero bytes kept after the last non-zero one, so an instruction that starts in the contents ends in them. */
    private static final int INSTRUCTION_SLACK = 16;

    private final String name;
    private final long address;
    private final Permissions permissions;
    private final List<String> sectionNames;
    private final byte[] initialized;
    private final long size;

    /**
     * A segment holding exactly {@code bytes} (a page-size multiple).
     *
     * @param name         a short label ("text", "rodata", "data", "stubs", "cells", "got", "load0", "blob")
     * @param address      guest virtual address (page aligned)
     * @param permissions  memory permissions
     * @param sectionNames names of the sections inside, in address order
     * @param bytes        the initial contents, exactly {@code size()} bytes
     */
    public Segment(String name, long address, Permissions permissions, List<String> sectionNames, byte[] bytes) {
        this(name, address, permissions, sectionNames, bytes, bytes.length);
    }

    /**
     * A segment of {@code size} bytes whose contents start with {@code initialized} and are zero after it.
     *
     * @param name         a short label
     * @param address      guest virtual address (page aligned)
     * @param permissions  memory permissions
     * @param sectionNames names of the sections inside, in address order
     * @param initialized  the first bytes of the contents, at most {@code size}
     * @param size         bytes to map (a page-size multiple)
     */
    public Segment(String name, long address, Permissions permissions, List<String> sectionNames, byte[] initialized,
                   long size) {
        if (size < 0 || initialized.length > size) {
            throw new IllegalArgumentException("segment " + name + ": " + initialized.length
                    + " initial bytes do not fit its size " + size);
        }
        this.name = name;
        this.address = address;
        this.permissions = permissions;
        this.sectionNames = List.copyOf(sectionNames);
        int last = initialized.length - 1;
        while (last >= 0 && initialized[last] == 0) {
            last--;
        }
        this.initialized = Arrays.copyOf(initialized, (int) Math.min(size, last + 1 + INSTRUCTION_SLACK));
        this.size = size;
    }

    /** {@return a short label, e.g. {@code text}, {@code stubs} or {@code load0}} */
    public String name() {
        return name;
    }

    /** {@return the guest virtual address (page aligned)} */
    public long address() {
        return address;
    }

    /** {@return the memory permissions} */
    public Permissions permissions() {
        return permissions;
    }

    /** {@return the names of the sections inside, in address order} */
    public List<String> sectionNames() {
        return sectionNames;
    }

    /**
     * A copy of the whole initial contents, {@code size()} bytes; prefer {@link #initialized()} for large ones.
     *
     * @return a new array
     */
    public byte[] bytes() {
        return Arrays.copyOf(initialized, (int) size);
    }

    /**
     * A copy of the initial contents up to a little past the last non-zero byte: everything past it, up to
     * {@link #size()}, is zero. An instruction that starts at a non-zero byte ends inside it.
     *
     * @return a new array
     */
    public byte[] initialized() {
        return initialized.clone();
    }

    /** {@return a read-only little-endian view of {@link #initialized()}, without copying} */
    public ByteBuffer contents() {
        return ByteBuffer.wrap(initialized).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@return the size in bytes (a multiple of the page size)} */
    public long size() {
        return size;
    }

    /** {@return the first address past the segment} */
    public long end() {
        return address + size;
    }

    /**
     * Whether {@code [address, address + length)} lies inside this segment.
     *
     * @param start  the first address
     * @param length the number of bytes, 0 or more
     * @return whether the whole range is inside
     */
    public boolean contains(long start, long length) {
        return length >= 0 && start >= address && length <= size && start - address <= size - length;
    }

    /** Copies {@code out.length} initial bytes from {@code offset} into {@code out}; the caller checked the range. */
    void read(long offset, byte[] out) {
        if (offset < initialized.length) {
            int available = (int) Math.min(out.length, initialized.length - offset);
            System.arraycopy(initialized, (int) offset, out, 0, available);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segment s && s.name.equals(name) && s.address == address && s.size == size
                && s.permissions.equals(permissions) && s.sectionNames.equals(sectionNames)
                && Arrays.equals(s.initialized, initialized);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, address, size, permissions, sectionNames, Arrays.hashCode(initialized));
    }

    @Override
    public String toString() {
        return "Segment[" + name + " 0x" + Long.toHexString(address) + "+0x" + Long.toHexString(size) + " "
                + permissions + " " + sectionNames + "]";
    }
}
