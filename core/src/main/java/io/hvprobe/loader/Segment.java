package io.hvprobe.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A page-aligned run of guest memory with one set of permissions: map {@code size()} bytes at
 * {@code address()} and copy {@code bytes()} into it. Zero-filled parts ({@code .bss}) are included as zeroes.
 *
 * @param name         a short label ("text", "rodata", "data", "stubs", "cells", "got", "load0", "blob")
 * @param address      guest virtual address (page aligned)
 * @param permissions  memory permissions
 * @param sectionNames names of the sections inside, in address order
 * @param bytes        the initial contents, exactly {@code size()} bytes (page-size multiple)
 */
public record Segment(String name, long address, Permissions permissions, List<String> sectionNames,
                      byte[] bytes) {
    public Segment {
        sectionNames = List.copyOf(sectionNames);
        bytes = bytes.clone();
    }

    /** A copy of the initial contents. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** A read-only little-endian view of the contents, without copying. */
    public ByteBuffer contents() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Size in bytes (a multiple of the page size). */
    public long size() {
        return bytes.length;
    }

    /** The first address past the segment. */
    public long end() {
        return address + bytes.length;
    }

    /** Whether {@code [address, address + length)} lies inside this segment. */
    public boolean contains(long start, long length) {
        return length >= 0 && start >= address && length <= bytes.length && start - address <= bytes.length - length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segment s && s.name.equals(name) && s.address == address
                && s.permissions.equals(permissions) && s.sectionNames.equals(sectionNames)
                && java.util.Arrays.equals(s.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, address, permissions, sectionNames, java.util.Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "Segment[" + name + " 0x" + Long.toHexString(address) + "+0x" + Long.toHexString(bytes.length)
                + " " + permissions + " " + sectionNames + "]";
    }
}
