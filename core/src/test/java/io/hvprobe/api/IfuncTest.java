package io.hvprobe.api;

import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.GuestCall;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ifunc slots (IRELATIVE, and GLOB_DAT/JUMP_SLOT to an STT_GNU_IFUNC symbol) get what their resolver answers,
 * run in the guest before the first call with the CPU the guest has.
 */
class IfuncTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"gcc", "aarch64-linux-gnu-gcc"})
    void bothIfuncSlotsCallTheImplementationTheResolverPicks(String compiler) throws Exception {
        Path src = dir.resolve("ifunc.c");
        try (InputStream in = IfuncTest.class.getResourceAsStream("ifunc.c")) {
            Files.copy(in, src);
        }
        Path so = dir.resolve("ifunc.so");
        Toolchain.run(List.of(compiler, "-O2", "-shared", "-fPIC", src.toString(), "-o", so.toString()));
        try (Probe probe = Probe.open(so, ProbeOptions.defaults().withHypervisor("test-hv"))) {
            assertThat(probe.image().got().ifuncs()).hasSize(2);
            assertThat(probe.startupNotes()).isEmpty();
            assertThat(probe.run(GuestCall.of("call_local")).returnValue()).isEqualTo(2);
            assertThat(probe.run(GuestCall.of("call_global")).returnValue()).isEqualTo(2);
        }
    }
}
