package io.hvprobe.loader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Guest memory under construction: page-aligned segments whose total size is checked against the cap before
 * anything is allocated, and bounds-checked lookup of the bytes behind a guest address.
 */
final class ImageBuilder {
    static final long PAGE = 4096;

    private final String fileName;
    private final long cap;
    private final List<Draft> drafts = new ArrayList<>();
    /** The same drafts by start address, for logarithmic overlap checks and lookups. */
    private final TreeMap<Long, Draft> byAddress = new TreeMap<>();
    private final List<LoadedSection> sections = new ArrayList<>();
    private long total;

    /**
     * A segment being filled. Only the part up to the highest byte written so far is held: a zero-filled
     * {@code .bss} or {@code p_memsz} tail costs nothing, so memory follows what the file holds, not what it
     * declares.
     */
    static final class Draft {
        final String name;
        final long address;
        final long size;
        final Permissions permissions;
        /** The contents from {@code address}; zero past its end, up to {@code size}. */
        private byte[] bytes = new byte[0];
        final List<String> sectionNames = new ArrayList<>();

        private Draft(String name, long address, long size, Permissions permissions) {
            this.name = name;
            this.address = address;
            this.size = size;
            this.permissions = permissions;
        }

        boolean contains(long start, long length) {
            return start >= address && length >= 0 && length <= size && start - address <= size - length;
        }

        /** Copies {@code data} to guest address {@code at}, which the caller placed inside this segment. */
        void write(long at, byte[] data) {
            System.arraycopy(data, 0, covering(at, data.length), (int) (at - address), data.length);
        }

        /**
         * The contents array, grown to hold {@code [at, at + length)}, which the caller placed inside this segment;
         * for in-place patching (relocations) at offset {@code at - address}.
         */
        byte[] covering(long at, int length) {
            int end = (int) (at - address) + length;
            if (end > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(size, Math.max(end, 2L * bytes.length)));
            }
            return bytes;
        }

        Segment toSegment() {
            return new Segment(name, address, permissions, sectionNames, bytes, size);
        }
    }

    ImageBuilder(String fileName, long cap) {
        this.fileName = fileName;
        this.cap = cap;
    }

    LoadException error(String problem) {
        return new LoadException(fileName, problem);
    }

    /** Fails unless {@code more} further bytes keep the image within the cap. */
    void checkCap(long more, String what) throws LoadException {
        if (more < 0 || more > cap - total) {
            throw error(what + " would make the image larger than the cap of " + hex(cap) + " bytes (already "
                    + hex(total) + ", adding " + hex(more) + ")");
        }
    }

    /** Allocates a zero-filled segment; {@code address} and {@code size} must be page multiples. */
    Draft segment(String name, long address, long size, Permissions permissions) throws LoadException {
        checkCap(size, "segment " + name);
        if (address < 0 || size > Long.MAX_VALUE - address) {
            throw error("segment " + name + " at " + hex(address) + " + " + hex(size) + " overflows the address space");
        }
        // Drafts never overlap, so only the nearest neighbours below and above can collide.
        Map.Entry<Long, Draft> below = byAddress.floorEntry(address);
        Map.Entry<Long, Draft> above = byAddress.ceilingEntry(address);
        for (Map.Entry<Long, Draft> e : java.util.Arrays.asList(below, above)) {
            Draft d = e == null ? null : e.getValue();
            if (d != null && address < d.address + d.size && d.address < address + size) {
                throw error("segment " + name + " at " + hex(address) + " overlaps segment " + d.name + " at "
                        + hex(d.address));
            }
        }
        Draft d = new Draft(name, address, size, permissions);
        total += size;
        drafts.add(d);
        if (size > 0) { // an empty draft holds nothing and must not shadow a real one at the same address
            byAddress.put(address, d);
        }
        return d;
    }

    /**
     * A segment for a loader-made area (stubs, cells, GOT) holding one section of that name; null when
     * {@code size} is 0.
     */
    Draft synthetic(String segmentName, String sectionName, long base, long size, Permissions permissions,
                    long flags) throws LoadException {
        if (size == 0) {
            return null;
        }
        Draft d = segment(segmentName, base, alignUp(size, PAGE), permissions);
        d.sectionNames.add(sectionName);
        sections.add(new LoadedSection(sectionName, base, size, flags, permissions.execute()));
        return d;
    }

    /** Records a section at its final address. */
    void addSection(LoadedSection section) {
        sections.add(section);
    }

    List<LoadedSection> sections() {
        return List.copyOf(sections);
    }

    /** The segment holding {@code [address, address + length)}, or null. */
    Draft find(long address, long length) {
        Map.Entry<Long, Draft> e = byAddress.floorEntry(address);
        return e != null && e.getValue().contains(address, length) ? e.getValue() : null;
    }

    List<Segment> segments() {
        return drafts.stream().sorted(Comparator.comparingLong(d -> d.address))
                .map(Draft::toSegment).toList();
    }

    /** Rounds up to a power-of-two {@code alignment}, failing on overflow. */
    long alignUp(long value, long alignment) throws LoadException {
        long mask = alignment - 1;
        if (value < 0 || value > Long.MAX_VALUE - mask) {
            throw error("address " + hex(value) + " overflows when aligned to " + hex(alignment));
        }
        return (value + mask) & ~mask;
    }

    static long alignDown(long value, long alignment) {
        return value & -alignment;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
