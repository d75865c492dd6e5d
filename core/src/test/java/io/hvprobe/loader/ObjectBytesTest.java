package io.hvprobe.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hvprobe.elf.Toolchain;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Compressed objects ({@code .ko.xz}) read as the bytes they hold; corrupt ones refused with one line. */
class ObjectBytesTest {
    @TempDir
    Path dir;

    private Path object() throws Exception {
        Files.writeString(dir.resolve("m.c"), "int f(int x) { return x + 1; }\n");
        return Toolchain.GCC_X86_64.compile(dir, "m.c", "m.o", "-c", "-O2");
    }

    private static byte[] xz(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options())) {
            xz.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void anXzObjectLoadsLikeItsDecompressedBytes() throws Exception {
        Path plain = object();
        Path packed = Files.write(dir.resolve("m.ko.xz"), xz(Files.readAllBytes(plain)));

        assertThat(ObjectBytes.compressed(packed)).isTrue();
        assertThat(ObjectBytes.compressed(plain)).isFalse();
        assertThat(ObjectBytes.read(packed, "m.ko.xz")).isEqualTo(Files.readAllBytes(plain));
        assertThat(ObjectBytes.head(packed, 4)).containsExactly(0x7f, 'E', 'L', 'F');
        assertThat(ImageLoader.load(packed).symbol("f")).isPresent();
    }

    @Test
    void aTruncatedXzStreamIsALoadErrorNamingTheFile() throws Exception {
        byte[] packed = xz(Files.readAllBytes(object()));
        Path cut = Files.write(dir.resolve("cut.ko.xz"), Arrays.copyOf(packed, packed.length / 2));

        assertThatThrownBy(() -> ImageLoader.load(cut)).isInstanceOf(LoadException.class)
                .hasMessageStartingWith("cut.ko.xz: ").hasMessageContaining("truncated xz stream");
    }

    @Test
    void garbageAfterTheXzMagicIsALoadError() throws Exception {
        Path bad = Files.write(dir.resolve("bad.ko.xz"), new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0, 1, 2, 3, 4,
                5, 6, 7, 8, 9, 10});

        assertThatThrownBy(() -> ImageLoader.load(bad)).isInstanceOf(LoadException.class)
                .hasMessageStartingWith("bad.ko.xz: ");
    }
}
