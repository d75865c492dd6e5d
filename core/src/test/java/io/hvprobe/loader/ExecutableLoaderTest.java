package io.hvprobe.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hvprobe.elf.Toolchain;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Linked files: PT_LOAD segments, ET_DYN moved to the base, dynamic relocations against symbols and stubs. */
class ExecutableLoaderTest {
    @TempDir
    Path dir;

    private static long u64(GuestImage image, long address) {
        return ByteBuffer.wrap(image.read(address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @ParameterizedTest
    @EnumSource(value = Toolchain.class, names = {"GCC_X86_64", "GCC_ARM64"})
    void sharedObjectIsMovedToTheBaseAndRelocated(Toolchain tc) throws Exception {
        Path so = tc.compile(dir, "shared.c", "lib.so", "-shared", "-fPIC", "-nostdlib", "-O2");
        long base = 0x2000_0000L;
        GuestImage image = ImageLoader.load(so, LoadOptions.defaults().withBaseAddress(base));
        assertThat(image.kind()).isEqualTo(ImageKind.SHARED_OBJECT);
        assertThat(image.segments().getFirst().address()).isEqualTo(base);

        long local = image.symbol("local").orElseThrow().address();
        long ptr = image.symbol("ptr").orElseThrow().address();
        long callExt = image.symbol("call_ext").orElseThrow().address();
        assertThat(local).isBetween(base, base + 0x100000);
        assertThat(u64(image, ptr)).as("RELATIVE").isEqualTo(local);
        assertThat(u64(image, image.symbol("fp").orElseThrow().address())).as("64-bit absolute").isEqualTo(callExt);

        Stub ext = image.stub("ext").orElseThrow();
        Stub extVar = image.stub("ext_var").orElseThrow();
        assertThat(ext.kind()).isEqualTo(StubKind.FUNCTION);
        assertThat(extVar.kind()).isEqualTo(StubKind.DATA);
        GotEntry extSlot = image.got().entry("ext").orElseThrow();
        assertThat(extSlot.value()).as("JUMP_SLOT").isEqualTo(ext.address());
        assertThat(u64(image, extSlot.address())).isEqualTo(ext.address());
        assertThat(u64(image, image.got().entry("ext_var").orElseThrow().address())).as("GLOB_DAT")
                .isEqualTo(extVar.address());
        assertThat(image.got().entry("ptr").orElseThrow().value()).isEqualTo(ptr);
        assertThat(image.functions()).extracting(GuestSymbol::name).contains("call_ext");
        assertThat(image.section(".text").orElseThrow().executable()).isTrue();
    }

    @Test
    void staticExecutableLoadsAtItsLinkAddresses() throws Exception {
        Path exe = Toolchain.GCC_X86_64.compile(dir, "start.c", "start", "-static", "-nostdlib", "-O2", "-fno-pie",
                "-no-pie");
        GuestImage image = ImageLoader.load(exe, LoadOptions.defaults().withBaseAddress(0x7000_0000L));
        assertThat(image.kind()).isEqualTo(ImageKind.EXECUTABLE);
        long start = image.symbol("_start").orElseThrow().address();
        assertThat(image.entryPoint()).hasValue(start);
        assertThat(start).isLessThan(0x7000_0000L);
        assertThat(image.segmentAt(start).orElseThrow().permissions().execute()).isTrue();
        long value = image.symbol("value").orElseThrow().address();
        assertThat(image.segmentAt(value).orElseThrow().permissions()).isEqualTo(Permissions.READ_WRITE);
        assertThat(u64(image, image.symbol("pv").orElseThrow().address())).isEqualTo(value);
        assertThat(image.stubs()).isEmpty();
    }

    @Test
    void overlappingProgramHeadersAreRejected() throws Exception {
        Path exe = Toolchain.GCC_X86_64.compile(dir, "start.c", "start", "-static", "-nostdlib", "-O2", "-fno-pie",
                "-no-pie");
        byte[] bytes = Files.readAllBytes(exe);
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = le.getLong(32);
        // make the second PT_LOAD start where the first one does
        long firstVaddr = le.getLong((int) phoff + 16);
        le.putLong((int) (phoff + 56 + 16), firstVaddr);
        assertThatThrownBy(() -> ImageLoader.load("start", bytes, LoadOptions.defaults()))
                .isInstanceOf(LoadException.class).hasMessageStartingWith("start: program headers")
                .hasMessageContaining("overlap");
    }
}
