package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.LoadedSection;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The kernel's BUG()/WARN() sites, read from the image's {@code __bug_table} section (relocated). Each entry starts
 * with a 32-bit displacement from itself to the trapping instruction ({@code GENERIC_BUG_RELATIVE_POINTERS}, used by
 * x86_64 and arm64). The entry size depends on the kernel's configuration, so it is not assumed: it is the smallest
 * multiple of 4 that divides the section and makes every entry point at a BUG instruction. With verbose entries (12
 * bytes and more: displacement, file displacement, line, flags) the flags word is at offset 10, otherwise (8 bytes)
 * at offset 4; flag bit 0 ({@code BUGFLAG_WARNING}) makes the entry a WARN.
 */
public final class BugTable {
    /** The section the kernel's BUG()/WARN() entries are in. */
    public static final String SECTION = "__bug_table";
    private static final int BUGFLAG_WARNING = 1;
    private static final int MAX_ENTRY = 64;
    private static final int X86_UD2 = 0x0B0F;
    private static final int ARM64_BRK_BUG = 0xD421_0000; // brk #0x800

    private final Map<Long, BugSite> sites;

    private BugTable(Map<Long, BugSite> sites) {
        this.sites = Collections.unmodifiableMap(sites);
    }

    /**
     * No BUG/WARN sites.
     *
     * @return a table with no sites
     */
    public static BugTable empty() {
        return new BugTable(new TreeMap<>());
    }

    /**
     * The BUG/WARN sites of {@code image}; empty when it has no (usable) {@value #SECTION} section.
     *
     * @param image a loaded kernel module or kernel image
     * @return the table; empty when the section is absent or no entry layout fits it
     */
    public static BugTable of(GuestImage image) {
        Optional<LoadedSection> section = image.section(SECTION);
        if (section.isEmpty() || section.get().size() <= 0 || section.get().size() > Integer.MAX_VALUE) {
            return empty();
        }
        LoadedSection s = section.get();
        byte[] table;
        try {
            table = image.read(s.address(), (int) s.size());
        } catch (IllegalArgumentException notLoaded) {
            return empty();
        }
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        for (int size = 4; size <= MAX_ENTRY; size += 4) {
            if (table.length % size == 0) {
                Optional<Map<Long, BugSite>> parsed = parse(image, s.address(), b, size);
                if (parsed.isPresent()) {
                    return new BugTable(parsed.get());
                }
            }
        }
        return empty();
    }

    private static Optional<Map<Long, BugSite>> parse(GuestImage image, long base, ByteBuffer b, int size) {
        Map<Long, BugSite> out = new TreeMap<>();
        int length = image.arch() == Arch.X86_64 ? 2 : 4;
        for (int off = 0; off + size <= b.capacity(); off += size) {
            long target = base + off + b.getInt(off);
            if (!isBugInstruction(image, target)) {
                return Optional.empty();
            }
            int flags = size >= 12 ? b.getShort(off + 10) & 0xFFFF : size >= 8 ? b.getShort(off + 4) & 0xFFFF : 0;
            Optional<String> file = Optional.empty();
            int line = 0;
            if (size >= 12) {
                file = cString(image, base + off + 4 + b.getInt(off + 4));
                line = b.getShort(off + 8) & 0xFFFF;
            }
            out.put(target, new BugSite(target, length, (flags & BUGFLAG_WARNING) != 0, file, line));
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    private static boolean isBugInstruction(GuestImage image, long address) {
        try {
            if (image.arch() == Arch.X86_64) {
                byte[] i = image.read(address, 2);
                return ((i[0] & 0xFF) | (i[1] & 0xFF) << 8) == X86_UD2;
            }
            return ByteBuffer.wrap(image.read(address, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt() == ARM64_BRK_BUG;
        } catch (IllegalArgumentException outside) {
            return false;
        }
    }

    private static Optional<String> cString(GuestImage image, long address) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            byte c;
            try {
                c = image.read(address + i, 1)[0];
            } catch (IllegalArgumentException outside) {
                return Optional.empty();
            }
            if (c == 0) {
                return sb.isEmpty() ? Optional.empty() : Optional.of(sb.toString());
            }
            sb.append((char) (c & 0xFF));
        }
        return Optional.empty();
    }

    /**
     * The site at {@code address}, if one.
     *
     * @param address the guest address of a {@code ud2} (x86_64) or {@code brk} (arm64) instruction
     * @return the site, or empty when the table has none at {@code address}
     */
    public Optional<BugSite> at(long address) {
        return Optional.ofNullable(sites.get(address));
    }

    /** {@return every site, in address order (immutable)} */
    public List<BugSite> sites() {
        return new ArrayList<>(sites.values());
    }
}
