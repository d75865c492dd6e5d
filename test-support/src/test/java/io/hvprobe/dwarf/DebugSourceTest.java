package io.hvprobe.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stripped object finds its debug information by build-id under a debug root, as Debian's {@code -dbgsym}
 * packages lay it out, and gives the same source lines as the unstripped object; without the file it says why.
 */
class DebugSourceTest {
    private static final String ID = "5ca1ab1e00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;
    Path full;
    Path stripped;
    Path root;

    @BeforeEach
    void buildStrippedObjectAndDebugFile() throws Exception {
        for (String f : List.of("inlines.c", "inlines.h")) {
            try (InputStream in = getClass().getResourceAsStream(f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        Path plain = dir.resolve("plain.o");
        Addr2Line.run(List.of("gcc", "-c", "-O2", "-g", "-ffreestanding", "-fno-pic", dir.resolve("inlines.c")
                .toString(), "-o", plain.toString()));
        Path note = dir.resolve("note.bin");
        ByteBuffer b = ByteBuffer.allocate(16 + 20).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4).putInt(20).putInt(3).put(new byte[] {'G', 'N', 'U', 0});
        b.put(java.util.HexFormat.of().parseHex(ID));
        Files.write(note, b.array());
        full = dir.resolve("full.o");
        Addr2Line.run(List.of("objcopy", "--add-section", ".note.gnu.build-id=" + note, "--set-section-flags",
                ".note.gnu.build-id=alloc,readonly", plain.toString(), full.toString()));
        root = dir.resolve("debug");
        Path debugFile = root.resolve(".build-id/5c/" + ID.substring(2) + ".debug");
        Files.createDirectories(debugFile.getParent());
        Addr2Line.run(List.of("objcopy", "--only-keep-debug", full.toString(), debugFile.toString()));
        stripped = dir.resolve("stripped.o");
        Addr2Line.run(List.of("objcopy", "--strip-debug", full.toString(), stripped.toString()));
    }

    @Test
    void strippedObjectReadsItsDebugFileByBuildId() throws Exception {
        GuestImage withDebug = ImageLoader.load(full, LoadOptions.defaults());
        GuestImage image = ImageLoader.load(stripped, LoadOptions.defaults().withDebugRoots(List.of(root)));
        assertThat(BuildId.of(io.hvprobe.elf.ElfFile.parse("s", Files.readAllBytes(stripped))))
                .contains(new BuildId(ID));
        assertThat(image.debug().info().isPresent()).as(image.debug().info().summary()).isTrue();
        int compared = 0;
        for (GuestSymbol f : withDebug.functions()) {
            long strippedAddress = image.symbol(f.name()).orElseThrow().address();
            for (long o = 0; o < f.size(); o++) {
                assertThat(image.source(strippedAddress + o)).as(f.name() + "+" + o)
                        .isEqualTo(withDebug.source(f.address() + o));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(100);
        assertThat(image.source(image.symbol("entry").orElseThrow().address())).hasValueSatisfying(
                s -> assertThat(s.file()).endsWith("inlines.c"));
    }

    @Test
    void withoutTheDebugFileTheReasonNamesTheBuildIdAndWhereItLooked() throws Exception {
        GuestImage image = ImageLoader.load(stripped, LoadOptions.defaults().withDebugRoots(List.of(dir)));
        assertThat(image.debug().info().isPresent()).isFalse();
        assertThat(image.debug().info().summary()).contains("build-id " + ID + " not found")
                .contains(dir.resolve(".build-id/5c").toString()).doesNotContain("\n");
        assertThat(image.source(image.symbol("entry").orElseThrow().address())).isEmpty();
    }
}
