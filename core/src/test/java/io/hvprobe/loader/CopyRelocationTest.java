package io.hvprobe.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.MachineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A non-PIE executable's COPY relocation: the variable lives in the executable, and its code reads it there. */
class CopyRelocationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Toolchain.class, names = {"GCC_X86_64", "GCC_ARM64"})
    void theExecutablesCopyIsTheVariable(Toolchain tc) throws Exception {
        tc.requireAvailable();
        Files.writeString(dir.resolve("lib.c"), "int shared_var = 5;\n");
        Files.writeString(dir.resolve("exe.c"), """
                extern int shared_var;
                int read_var(void) { return shared_var; }
                void bump_var(void) { shared_var += 4; }
                void _start(void) { }
                """);
        String cc = tc == Toolchain.GCC_X86_64 ? "gcc" : "aarch64-linux-gnu-gcc";
        Path lib = dir.resolve("libv.so");
        Path exe = dir.resolve("exe");
        Toolchain.run(List.of(cc, "-O2", "-shared", "-fPIC", "-nostdlib", dir.resolve("lib.c").toString(), "-o",
                lib.toString()));
        Toolchain.run(new ArrayList<>(List.of(cc, "-O2", "-fno-pic", "-no-pie", "-nostdlib",
                dir.resolve("exe.c").toString(), lib.toString(), "-o", exe.toString())));
        assertThat(Toolchain.run(List.of("readelf", "-rW", exe.toString()))).contains("_COPY");

        GuestImage image = ImageLoader.load(exe, LoadOptions.defaults());
        long copy = image.symbol("shared_var").orElseThrow().address();
        assertThat(image.segmentAt(copy).orElseThrow().permissions()).isEqualTo(Permissions.READ_WRITE);
        assertThat(image.stub("shared_var")).as("no data cell besides the copy").isEmpty();
        try (GuestMachine m = GuestMachine.create(image, MachineOptions.defaults())) {
            m.call(GuestCall.of("bump_var"));
            CallResult r = m.call(GuestCall.of("read_var"));
            assertThat(((CallResult.Returned) r).value()).isEqualTo(4);
        }
    }
}
