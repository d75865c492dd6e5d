package io.hvprobe.dwarf;

import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfSection;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A GNU build-id ({@code NT_GNU_BUILD_ID} note) and where distributions keep the matching debug file:
 * {@code <root>/.build-id/xx/yyyy.debug}, as Debian's {@code -dbgsym} and {@code linux-image-*-dbg} packages
 * install them.
 *
 * @param hex the id in lower-case hex
 */
public record BuildId(String hex) {
    private static final int SHT_NOTE = 7;
    private static final int NT_GNU_BUILD_ID = 3;

    /**
     * The build-id of {@code elf}, from the first note section that carries one.
     *
     * @param elf the parsed ELF file; its sections are not modified
     * @return the build-id, or empty when no note section carries an {@code NT_GNU_BUILD_ID} note
     */
    public static Optional<BuildId> of(ElfFile elf) {
        for (ElfSection s : elf.sections()) {
            if (s.type() != SHT_NOTE || s.isNoBits()) {
                continue;
            }
            Optional<BuildId> id = fromNotes(elf.contents(s));
            if (id.isPresent()) {
                return id;
            }
        }
        return Optional.empty();
    }

    private static Optional<BuildId> fromNotes(byte[] notes) {
        try {
            Cursor c = new Cursor("note", notes);
            while (c.end() - c.position() >= 12) {
                long nameSize = c.u32();
                long descSize = c.u32();
                long type = c.u32();
                int nameStart = c.position();
                c.skip(align4(nameSize));
                int descStart = c.position();
                c.skip(align4(descSize));
                boolean gnu = nameSize == 4 && notes[nameStart] == 'G' && notes[nameStart + 1] == 'N'
                        && notes[nameStart + 2] == 'U' && notes[nameStart + 3] == 0;
                if (gnu && type == NT_GNU_BUILD_ID && descSize >= 2 && descSize <= 64) {
                    byte[] id = java.util.Arrays.copyOfRange(notes, descStart, descStart + (int) descSize);
                    return Optional.of(new BuildId(HexFormat.of().formatHex(id)));
                }
            }
        } catch (DwarfFormatException e) {
            return Optional.empty(); // a truncated note: no build-id
        }
        return Optional.empty();
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }

    /**
     * {@code root/.build-id/xx/yyyy.debug}.
     *
     * @param root a debug root such as {@code /usr/lib/debug}; it need not exist
     * @return the path where a separate debug file for this build-id would be (not checked for existence)
     */
    public Path debugFile(Path root) {
        return root.resolve(".build-id").resolve(hex.substring(0, 2)).resolve(hex.substring(2) + ".debug");
    }
}
