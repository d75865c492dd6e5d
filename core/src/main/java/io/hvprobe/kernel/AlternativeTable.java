package io.hvprobe.kernel;

import io.hvprobe.arch.Arch;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfRelocation;
import io.hvprobe.elf.ElfRelocationSection;
import io.hvprobe.elf.ElfSection;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.LoadedSection;
import io.hvprobe.loader.Segment;
import io.hvprobe.spi.TrapForm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Linux module's {@code .altinstructions} table, read from the relocated image and the object's relocations, and
 * the images the kernel would run on a CPU with one of its features.
 *
 * <p>The entry layout differs across kernel versions (12 bytes with a 16-bit feature, 13 with a pad length, 14 with
 * a 32-bit feature-and-flags word on x86; 12 on arm64). It is not assumed: every entry starts with two 32-bit
 * displacements, each with a relocation, so the distance between one entry's first relocation and the next entry's
 * is the entry size; it must divide the section, and every entry must point into loaded code with a replacement no
 * longer than the original. The lengths are the last two bytes of the entry (before the pad length of the 13-byte
 * layout) and the feature word fills the bytes between the displacements and the lengths.
 */
public final class AlternativeTable {
    /** The table's section. */
    public static final String SECTION = ".altinstructions";
    /** The section holding the replacement instructions. */
    public static final String REPLACEMENTS = ".altinstr_replacement";
    private static final int ALT_FLAG_NOT = 1; // x86, in the flags half of the 32-bit feature word
    private static final int ARM64_CB_BIT = 1 << 15;
    private static final byte X86_NOP = (byte) 0x90;
    private static final int R_X86_64_PC32 = 2;
    private static final int R_X86_64_PLT32 = 4;
    private static final int R_X86_64_64 = 1;
    private static final int R_X86_64_32 = 10;
    private static final int R_X86_64_32S = 11;
    private static final int R_AARCH64_ABS64 = 257;
    private static final int R_AARCH64_JUMP26 = 282;
    private static final int R_AARCH64_CALL26 = 283;

    private final Arch arch;
    private final List<Alternative> entries;
    private final List<Relocation> replacementRelocations;
    private final Optional<String> unreadable;

    /**
     * A relocation inside the replacement code: how to fix it when the code moves.
     *
     * @param address guest address of the relocated field
     * @param type    the ELF relocation type
     */
    private record Relocation(long address, int type) {
    }

    private AlternativeTable(Arch arch, List<Alternative> entries, List<Relocation> replacementRelocations,
                             Optional<String> unreadable) {
        this.arch = arch;
        this.entries = List.copyOf(entries);
        this.replacementRelocations = List.copyOf(replacementRelocations);
        this.unreadable = unreadable;
    }

    /**
     * The table of {@code image}, loaded from {@code elf}; empty when it has none, and empty with a reason
     * ({@link #unreadable()}) when the section does not fit any layout.
     *
     * @param elf   the module's ELF file, whose {@code .altinstructions} section is read
     * @param image the loaded image, which gives the sections' guest addresses
     * @return the table; a section no layout fits gives an empty table with a reason, not an exception
     */
    public static AlternativeTable of(ElfFile elf, GuestImage image) {
        Optional<ElfSection> section = elf.section(SECTION);
        Optional<LoadedSection> loaded = image.section(SECTION);
        if (section.isEmpty() || loaded.isEmpty() || loaded.get().size() <= 0) {
            return new AlternativeTable(image.arch(), List.of(), List.of(), Optional.empty());
        }
        try {
            return read(elf, image, section.get(), loaded.get());
        } catch (IllegalArgumentException bad) {
            return new AlternativeTable(image.arch(), List.of(), List.of(),
                    Optional.of(SECTION + ": " + bad.getMessage()));
        }
    }

    private static AlternativeTable read(ElfFile elf, GuestImage image, ElfSection section, LoadedSection loaded) {
        long size = loaded.size();
        TreeSet<Long> offsets = new TreeSet<>();
        relocationsOf(elf, section.index()).forEach(r -> offsets.add(r.offset()));
        int entrySize = entrySize(offsets, size);
        Layout layout = Layout.of(image.arch(), entrySize);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too large");
        }
        ByteBuffer b = ByteBuffer.wrap(image.read(loaded.address(), (int) size)).order(ByteOrder.LITTLE_ENDIAN);
        List<Alternative> out = new ArrayList<>();
        for (int off = 0; off + entrySize <= size; off += entrySize) {
            long at = loaded.address() + off;
            long site = at + b.getInt(off);
            long replacement = at + 4 + b.getInt(off + 4);
            int word = layout.featureBytes() == 4 ? b.getInt(off + 8) : b.getShort(off + 8) & 0xFFFF;
            int siteLength = b.get(off + layout.lengths()) & 0xFF;
            int replacementLength = b.get(off + layout.lengths() + 1) & 0xFF;
            boolean callback = image.arch() == Arch.ARM64 && (word & ARM64_CB_BIT) != 0;
            int feature = image.arch() == Arch.ARM64 ? word & ~ARM64_CB_BIT : word & 0xFFFF;
            boolean inverted = image.arch() == Arch.X86_64 && ((word >>> 16) & ALT_FLAG_NOT) != 0;
            if (!inCode(image, site, siteLength) || (!callback && !inCode(image, replacement, replacementLength))
                    || replacementLength > siteLength) {
                throw new IllegalArgumentException("entry at +0x" + Integer.toHexString(off) + " of a "
                        + entrySize + "-byte layout does not point at code");
            }
            out.add(new Alternative(site, siteLength, replacement, replacementLength, feature, inverted, callback));
        }
        return new AlternativeTable(image.arch(), out, replacementRelocations(elf, image), Optional.empty());
    }

    /**
     * Where the entry's fields are.
     *
     * @param featureBytes the feature word's size, after the two displacements
     * @param lengths      offset of the original length (the replacement length follows)
     */
    private record Layout(int featureBytes, int lengths) {
        static Layout of(Arch arch, int entrySize) {
            return switch (arch) {
                case X86_64 -> switch (entrySize) {
                    case 12, 13 -> new Layout(2, 10);
                    case 14 -> new Layout(4, 12);
                    default -> throw new IllegalArgumentException("no x86 layout has " + entrySize + "-byte entries");
                };
                case ARM64 -> {
                    if (entrySize != 12) {
                        throw new IllegalArgumentException("no arm64 layout has " + entrySize + "-byte entries");
                    }
                    yield new Layout(2, 10);
                }
            };
        }
    }

    /** The entry size: the stride of the relocated displacement pairs (0, 4, S, S + 4, ...). */
    private static int entrySize(TreeSet<Long> offsets, long sectionSize) {
        if (offsets.isEmpty()) {
            throw new IllegalArgumentException("no relocations, so no entry layout");
        }
        List<Long> o = List.copyOf(offsets);
        long stride = o.size() > 2 ? o.get(2) - o.get(0) : sectionSize;
        if (stride <= 8 || stride > 64 || sectionSize % stride != 0) {
            throw new IllegalArgumentException("relocations do not repeat at an entry size dividing the section");
        }
        for (long e = 0; e < sectionSize; e += stride) {
            if (!offsets.contains(e) || !offsets.contains(e + 4)) {
                throw new IllegalArgumentException("entry at +0x" + Long.toHexString(e)
                        + " lacks its two displacement relocations");
            }
        }
        return (int) stride;
    }

    private static List<ElfRelocation> relocationsOf(ElfFile elf, int sectionIndex) {
        List<ElfRelocation> out = new ArrayList<>();
        for (ElfRelocationSection rs : elf.relocationSections()) {
            if (rs.targetSection() == sectionIndex) {
                out.addAll(rs.relocations());
            }
        }
        return out;
    }

    private static List<Relocation> replacementRelocations(ElfFile elf, GuestImage image) {
        Optional<ElfSection> s = elf.section(REPLACEMENTS);
        Optional<LoadedSection> l = image.section(REPLACEMENTS);
        if (s.isEmpty() || l.isEmpty()) {
            return List.of();
        }
        return relocationsOf(elf, s.get().index()).stream()
                .map(r -> new Relocation(l.get().address() + r.offset(), r.type())).toList();
    }

    private static boolean inCode(GuestImage image, long address, int length) {
        return image.sections().stream().anyMatch(s -> s.executable() && s.contains(address)
                && address + length <= s.address() + s.size());
    }

    /** {@return the entries, in table order (immutable)} */
    public List<Alternative> entries() {
        return entries;
    }

    /**
     * The trap forms in a piece of code at an address: the trap scanner's answer, passed in because the kernel
     * environment sits below trap scanning in the data flow.
     */
    @FunctionalInterface
    public interface FormScanner {
        /**
         * The form of each trap instruction in {@code code}, placed at {@code address}.
         *
         * @param code    instruction bytes
         * @param address the guest address of {@code code[0]}
         * @return the trap forms found, in address order; empty when there are none
         */
        java.util.List<TrapForm> forms(byte[] code, long address);
    }

    /** {@return why a table that is present could not be read (no layout fits), or empty when it was read or absent} */
    public Optional<String> unreadable() {
        return unreadable;
    }

    /**
     * The features whose replacements hold trap instructions (e.g. VMware's {@code ALTERNATIVE_2} VMCALL and
     * VMMCALL), with the trap forms each puts in; in feature order.
     *
     * @param image   the loaded image the table belongs to
     * @param scanner finds the trap instructions in replacement code
     * @return per feature number, the trap forms its replacements put in; empty when no replacement holds a trap
     */
    public TreeMap<Integer, Set<TrapForm>> trapFeatures(GuestImage image, FormScanner scanner) {
        TreeMap<Integer, Set<TrapForm>> out = new TreeMap<>();
        for (Alternative a : entries) {
            if (!a.patchable() || a.replacementLength() == 0) {
                continue;
            }
            for (TrapForm form : scanner.forms(image.read(a.replacement(), a.replacementLength()), a.replacement())) {
                out.computeIfAbsent(a.feature(), f -> EnumSet.noneOf(TrapForm.class)).add(form);
            }
        }
        return out;
    }

    /**
     * The trap forms in the original code of the entries of {@code features} (what runs without them).
     *
     * @param image    the loaded image the table belongs to
     * @param scanner  finds the trap instructions in original code
     * @param features feature numbers
     * @return the forms, empty when the originals of those entries hold no trap
     */
    public Set<TrapForm> originalForms(GuestImage image, FormScanner scanner, Set<Integer> features) {
        Set<TrapForm> out = EnumSet.noneOf(TrapForm.class);
        for (Alternative a : entries) {
            if (features.contains(a.feature()) && a.siteLength() > 0) {
                out.addAll(scanner.forms(image.read(a.site(), a.siteLength()), a.site()));
            }
        }
        return out;
    }

    /**
     * {@code image} as the kernel patches it on a CPU with {@code feature} (and none of the table's other
     * features): each of the feature's replacements copied over its original, padded with no-ops, its PC-relative
     * relocations moved with it.
     *
     * @param image   the loaded image the table belongs to; not modified
     * @param feature the CPU feature number, as the table spells it
     * @return a new image with the replacements applied
     * @throws IllegalArgumentException when a replacement holds a relocation that cannot move with the code
     */
    public GuestImage withFeature(GuestImage image, int feature) {
        TreeMap<Long, byte[]> writes = new TreeMap<>();
        for (Alternative a : entries) {
            if (a.feature() != feature || !a.patchable()) {
                continue;
            }
            byte[] code = new byte[a.siteLength()];
            byte[] replacement = image.read(a.replacement(), a.replacementLength());
            System.arraycopy(replacement, 0, code, 0, replacement.length);
            // arm64 replacements are exactly as long as the original; x86 pads with no-ops as the kernel does.
            Arrays.fill(code, replacement.length, code.length, X86_NOP);
            for (Relocation r : replacementRelocations) {
                if (r.address() >= a.replacement() && r.address() < a.replacement() + a.replacementLength()) {
                    move(code, (int) (r.address() - a.replacement()), r.type(), a.replacement() - a.site());
                }
            }
            writes.put(a.site(), code);
        }
        return patched(image, writes);
    }

    /** Fixes the field at {@code at} of relocation {@code type} for code moved back by {@code delta} bytes. */
    private void move(byte[] code, int at, int type, long delta) {
        ByteBuffer b = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        switch (arch) {
            case X86_64 -> {
                switch (type) {
                    case R_X86_64_PC32, R_X86_64_PLT32 -> b.putInt(at, Math.toIntExact(b.getInt(at) + delta));
                    case R_X86_64_64, R_X86_64_32, R_X86_64_32S -> { } // absolute: the target did not move
                    default -> throw new IllegalArgumentException("replacement relocation type " + type
                            + " cannot move with the code");
                }
            }
            case ARM64 -> {
                switch (type) {
                    case R_AARCH64_JUMP26, R_AARCH64_CALL26 -> {
                        int insn = b.getInt(at);
                        long imm = ((long) (insn << 6) >> 6) + delta / 4;
                        if (imm < -(1 << 25) || imm >= (1 << 25)) {
                            throw new IllegalArgumentException("moved branch out of range");
                        }
                        b.putInt(at, (insn & 0xFC00_0000) | (int) (imm & 0x03FF_FFFF));
                    }
                    case R_AARCH64_ABS64 -> { }
                    default -> throw new IllegalArgumentException("replacement relocation type " + type
                            + " cannot move with the code");
                }
            }
        }
    }

    /** {@code image} with {@code writes} (address to bytes, each inside one segment) applied to copies of its segments. */
    private static GuestImage patched(GuestImage image, TreeMap<Long, byte[]> writes) {
        if (writes.isEmpty()) {
            return image;
        }
        List<Segment> segments = new ArrayList<>();
        for (Segment s : image.segments()) {
            byte[] bytes = null;
            for (var w : writes.entrySet()) {
                if (s.contains(w.getKey(), w.getValue().length)) {
                    int end = (int) (w.getKey() - s.address()) + w.getValue().length;
                    byte[] current = bytes != null ? bytes : s.initialized();
                    bytes = current.length >= end ? current : Arrays.copyOf(current, end);
                    System.arraycopy(w.getValue(), 0, bytes, (int) (w.getKey() - s.address()), w.getValue().length);
                }
            }
            segments.add(bytes == null ? s
                    : new Segment(s.name(), s.address(), s.permissions(), s.sectionNames(), bytes, s.size()));
        }
        return new GuestImage(image.arch(), image.name(), image.kind(), image.entryPoint(), segments,
                image.sections(), image.symbols(), image.stubs(), image.got(), image.debug());
    }
}
