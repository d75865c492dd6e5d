package io.hvprobe.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper that writes small ELF64 LE files from scratch, so tests can build exactly the hostile structure
 * they need (huge counts, out-of-range indices, lying sizes) instead of patching a compiler's output.
 *
 * <pre>{@code
 * ElfBuilder b = ElfBuilder.relocatable(ElfConstants.EM_X86_64);
 * int text = b.section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, new byte[] {(byte) 0xc3});
 * byte[] file = b.build();
 * }</pre>
 *
 * Section index 0 is the null section; {@code .shstrtab} is added last by {@link #build()}; from 0xff00 sections
 * on, the counts move into section 0 (extended numbering). Every header field of a section can be overridden
 * after the fact through the public fields of {@link Section}.
 */
public final class ElfBuilder {
    /** One section: its header fields (all overridable) and its file bytes. */
    public static final class Section {
        final String name;
        public int type;
        public long flags;
        public long address;
        public int link;
        public int info;
        public long alignment = 1;
        public long entrySize;
        /** The bytes written to the file; ignored for {@code SHT_NOBITS}. */
        public byte[] data;
        /** {@code sh_size}; defaults to {@code data.length}. */
        public Long size;
        /** {@code sh_offset}; defaults to where {@link #build()} puts the data. */
        public Long offset;

        Section(String name, int type, long flags, byte[] data) {
            this.name = name;
            this.type = type;
            this.flags = flags;
            this.data = data;
        }
    }

    private final int type;
    private final int machine;
    private final List<Section> sections = new ArrayList<>();
    private final List<byte[]> programHeaders = new ArrayList<>();
    /** Raw e_shnum override (null: the real count). */
    public Integer shnum;

    private ElfBuilder(int type, int machine) {
        this.type = type;
        this.machine = machine;
    }

    /** An {@code ET_REL} file for {@code machine} ({@code EM_X86_64} or {@code EM_AARCH64}). */
    public static ElfBuilder relocatable(int machine) {
        return new ElfBuilder(ElfConstants.ET_REL, machine);
    }

    /** An {@code ET_EXEC} file for {@code machine}. */
    public static ElfBuilder executable(int machine) {
        return new ElfBuilder(ElfConstants.ET_EXEC, machine);
    }

    /** Adds a section and returns its index. */
    public int section(String name, int sectionType, long flags, byte[] data) {
        sections.add(new Section(name, sectionType, flags, data));
        return sections.size();
    }

    /** The section with index {@code index} (1-based, as in the file). */
    public Section get(int index) {
        return sections.get(index - 1);
    }

    /** Adds a {@code PT_LOAD} program header whose file bytes are those of section {@code sectionIndex}. */
    public void load(long vaddr, long memsz, int flags, int sectionIndex) {
        byte[] ph = new byte[56];
        ByteBuffer b = ByteBuffer.wrap(ph).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, ElfConstants.PT_LOAD);
        b.putInt(4, flags);
        b.putLong(16, vaddr);
        b.putLong(24, vaddr);
        b.putLong(40, memsz);
        b.putLong(48, 0x1000);
        b.putLong(8, sectionIndex); // patched to the section's file offset and size by build()
        programHeaders.add(ph);
    }

    /** Symbol table entry bytes. */
    public static byte[] symbol(int nameOffset, int info, int shndx, long value, long size) {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(nameOffset).put((byte) info).put((byte) 0).putShort((short) shndx).putLong(value).putLong(size);
        return b.array();
    }

    /** RELA entry bytes. */
    public static byte[] rela(long offset, int symbol, int relocationType, long addend) {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(offset).putLong((long) symbol << 32 | Integer.toUnsignedLong(relocationType)).putLong(addend);
        return b.array();
    }

    /** Concatenates byte arrays. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A string table holding {@code strings} after the leading NUL. */
    public static byte[] strings(String... strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        for (String s : strings) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The file. */
    public byte[] build() {
        ByteArrayOutputStream shstr = new ByteArrayOutputStream();
        shstr.write(0);
        List<Integer> nameOffsets = new ArrayList<>();
        List<Section> all = new ArrayList<>(sections);
        all.add(new Section(".shstrtab", ElfConstants.SHT_STRTAB, 0, null));
        for (Section s : all) {
            nameOffsets.add(shstr.size());
            shstr.writeBytes(s.name.getBytes(StandardCharsets.UTF_8));
            shstr.write(0);
        }
        all.getLast().data = shstr.toByteArray();

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[64]);
        long phoff = programHeaders.isEmpty() ? 0 : file.size();
        for (byte[] ph : programHeaders) {
            file.writeBytes(ph);
        }
        long[] offsets = new long[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Section s = all.get(i);
            while (file.size() % 8 != 0) {
                file.write(0);
            }
            offsets[i] = file.size();
            if (s.type != ElfConstants.SHT_NOBITS && s.data != null) {
                file.writeBytes(s.data);
            }
        }
        while (file.size() % 8 != 0) {
            file.write(0);
        }
        long shoff = file.size();
        int count = all.size() + 1;
        boolean extended = count >= 0xff00; // too many for e_shnum/e_shstrndx: section 0 carries them
        ByteBuffer nullHeader = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        if (extended) {
            nullHeader.putLong(32, count).putInt(40, all.size());
        }
        file.writeBytes(nullHeader.array());
        for (int i = 0; i < all.size(); i++) {
            Section s = all.get(i);
            ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            long size = s.size != null ? s.size : s.data == null ? 0 : s.data.length;
            h.putInt(nameOffsets.get(i)).putInt(s.type).putLong(s.flags).putLong(s.address)
                    .putLong(s.offset != null ? s.offset : offsets[i]).putLong(size).putInt(s.link).putInt(s.info)
                    .putLong(s.alignment).putLong(s.entrySize);
            file.writeBytes(h.array());
        }
        byte[] bytes = file.toByteArray();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 0x7f).put(1, (byte) 'E').put(2, (byte) 'L').put(3, (byte) 'F');
        b.put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1);
        b.putShort(16, (short) type).putShort(18, (short) machine).putInt(20, 1);
        b.putLong(32, phoff).putLong(40, shoff);
        b.putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) programHeaders.size());
        b.putShort(58, (short) 64);
        b.putShort(60, (short) (shnum != null ? shnum : extended ? 0 : count));
        b.putShort(62, (short) (extended ? ElfConstants.SHN_XINDEX : all.size()));
        for (int p = 0; p < programHeaders.size(); p++) {
            int at = (int) phoff + 56 * p;
            int sectionIndex = (int) b.getLong(at + 8);
            Section s = all.get(sectionIndex - 1);
            b.putLong(at + 8, offsets[sectionIndex - 1]);
            b.putLong(at + 32, s.type == ElfConstants.SHT_NOBITS ? 0 : s.data.length);
        }
        return bytes;
    }
}
