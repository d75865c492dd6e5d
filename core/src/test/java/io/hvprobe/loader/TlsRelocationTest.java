package io.hvprobe.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.RelocationTypes;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.MachineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Thread-local variables of a shared object work as under the dynamic loader: its TLS block initialised from the
 * template, imported variables in zeroed slots, every TLS relocation kind each architecture's compilers emit, and the
 * thread pointer set (x86_64 FS base below which the block lies, arm64 TPIDR_EL0 above which it lies).
 */
class TlsRelocationTest {
    @TempDir
    Path dir;

    static Stream<Arguments> builds() {
        return Stream.of(
                Arguments.of(Toolchain.GCC_X86_64, new String[0],
                        Set.of("R_X86_64_DTPMOD64", "R_X86_64_DTPOFF64", "R_X86_64_TPOFF64")),
                Arguments.of(Toolchain.GCC_X86_64, new String[] {"-mtls-dialect=gnu2"},
                        Set.of("R_X86_64_TLSDESC", "R_X86_64_TPOFF64")),
                Arguments.of(Toolchain.GCC_ARM64, new String[0],
                        Set.of("R_AARCH64_TLSDESC", "R_AARCH64_TLS_TPREL64")),
                Arguments.of(Toolchain.GCC_ARM64, new String[] {"-mtls-dialect=trad"},
                        Set.of("R_AARCH64_TLS_DTPMOD64", "R_AARCH64_TLS_DTPREL64", "R_AARCH64_TLS_TPREL64")));
    }

    @ParameterizedTest
    @MethodSource("builds")
    void threadLocalVariablesKeepTheirValuesAcrossCalls(Toolchain tc, String[] dialect, Set<String> kinds)
            throws Exception {
        String[] flags = Stream.concat(Stream.of("-shared", "-fPIC", "-nostdlib", "-O2"), Stream.of(dialect))
                .toArray(String[]::new);
        Path so = tc.compile(dir, "tls.c", "tls.so", flags);
        ElfFile elf = ElfFile.parse("tls.so", Files.readAllBytes(so));
        Set<String> used = new TreeSet<>();
        elf.relocationSections().forEach(rs -> rs.relocations()
                .forEach(r -> used.add(RelocationTypes.name(tc.arch(), r.type()))));
        assertThat(used).as("the build uses the relocations under test").containsAll(kinds);

        GuestImage image = ImageLoader.load(so, LoadOptions.defaults());
        assertThat(image.threadPointer()).isPresent();
        try (GuestMachine m = GuestMachine.create(image, MachineOptions.defaults())) {
            assertThat(value(m, "bump")).as(".tdata initial value, incremented").isEqualTo(41);
            assertThat(value(m, "bump")).isEqualTo(42);
            assertThat(value(m, "bump_hidden")).as("local variable").isEqualTo(10);
            assertThat(value(m, "add_imported", 5)).as("imported variable starts at zero").isEqualTo(5);
            assertThat(value(m, "add_imported", 2)).isEqualTo(7);
            assertThat(value(m, "read_fixed")).as("initial-exec").isEqualTo(1000);
            assertThat(value(m, "store_scratch", 3, 9)).as(".tbss starts at zero").isEqualTo(9);
        }
    }

    private static long value(GuestMachine m, String function, long... args) throws Exception {
        CallResult r = m.call(GuestCall.of(function, args));
        assertThat(r).as(function).isInstanceOf(CallResult.Returned.class);
        return ((CallResult.Returned) r).value();
    }
}
