package io.hvprobe.loader;

import io.hvprobe.elf.Toolchain;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.fornwall.jelf.ElfRelocationAddendSection;

/**
 * Test helper: loads an object and lists, for one relocation type, where each relocation was applied and which
 * target it must reach. The relocation entries come from jelf, independent of hvprobe's reader; the symbol
 * addresses come from the image.
 */
record RelocationSites(GuestImage image, List<Site> sites) {

    /**
     * One applied relocation.
     *
     * @param place  P, the patched field's guest address
     * @param target S + A
     * @param symbol S
     * @param addend A
     * @param name   the symbol's name (the section name for section symbols)
     */
    record Site(long place, long target, long symbol, long addend, String name) {
    }

    static RelocationSites of(Toolchain tc, Path dir, String source, LoadOptions options, int type) throws Exception {
        Path obj = tc.compile(dir, source, tc.name() + ".o", "-c");
        GuestImage image = ImageLoader.load(obj, options);
        var oracle = net.fornwall.jelf.ElfFile.from(Files.readAllBytes(obj));
        List<Site> sites = new ArrayList<>();
        for (ElfRelocationAddendSection rs : oracle.sectionsOfType(ElfRelocationAddendSection.class)) {
            String target = oracle.getSection(rs.header.sh_info).header.getName();
            var symbols = oracle.getSection(rs.header.sh_link);
            for (var r : rs.relocations) {
                if (r.getType() != type) {
                    continue;
                }
                var sym = ((net.fornwall.jelf.ElfSymbolTableSection) symbols).symbols[r.getSymbolIndex()];
                String name = sym.getType() == 3
                        ? oracle.getSection(Short.toUnsignedInt(sym.st_shndx)).header.getName() : sym.getName();
                long s = sym.getType() == 3 ? image.section(name).orElseThrow().address()
                        : image.address(name).orElseThrow();
                long place = image.section(target).orElseThrow().address() + r.r_offset;
                sites.add(new Site(place, s + r.r_addend, s, r.r_addend, name));
            }
        }
        return new RelocationSites(image, sites);
    }

    int u32(long address) {
        return ByteBuffer.wrap(image.read(address, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    long u64(long address) {
        return ByteBuffer.wrap(image.read(address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static long signExtend(long value, int bits) {
        return value << (64 - bits) >> (64 - bits);
    }
}
