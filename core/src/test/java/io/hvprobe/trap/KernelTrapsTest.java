package io.hvprobe.trap;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.arch.Arch;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.Fault;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.KernelEvent;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.arch.X86Register;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernel's own traps are not hypercalls: WARN() logs and goes on, BUG() ends the run as the kernel would, and
 * port I/O no plugin claims is a plain device.
 */
class KernelTrapsTest {
    @TempDir
    Path dir;

    private GuestImage build(Arch arch, boolean verbose) throws Exception {
        Path src = dir.resolve("kernel-traps.c");
        if (!Files.exists(src)) {
            try (InputStream in = KernelTrapsTest.class.getResourceAsStream("kernel-traps.c")) {
                Files.copy(in, src);
            }
        }
        Path obj = dir.resolve("traps-" + arch + verbose + ".o");
        List<String> cmd = new ArrayList<>(List.of(arch == Arch.X86_64 ? "gcc" : "aarch64-linux-gnu-gcc",
                "-O2", "-c", "-fno-pic", "-ffreestanding", "-fno-stack-protector"));
        if (verbose) {
            cmd.add("-DVERBOSE");
        }
        cmd.addAll(List.of(src.toString(), "-o", obj.toString()));
        Toolchain.run(cmd);
        return ImageLoader.load(obj, LoadOptions.defaults());
    }

    private static CallResult call(GuestMachine m, String fn, long arg) throws Exception {
        return m.call(new GuestCall(fn, List.of(new Argument.Value(arg))));
    }

    @ParameterizedTest(name = "{0} verbose={1}")
    @CsvSource({"X86_64, true", "X86_64, false", "ARM64, true", "ARM64, false"})
    void warnLogsAndContinuesBugEndsTheRunAndNeitherIsATrapSite(Arch arch, boolean verbose) throws Exception {
        GuestImage image = build(arch, verbose);
        try (GuestMachine m = GuestMachine.create(image, MachineOptions.defaults())) {
            TrapInterceptor t = TrapInterceptor.attach(m, List.of(), CpuModel.defaults());
            assertThat(t.bugs().sites()).hasSize(2);
            // Only the device port I/O of the x86 object traps; brk #0x800 of BUG()/WARN() is not a trap site.
            assertThat(t.sites()).allMatch(s -> s.form() == io.hvprobe.spi.TrapForm.IN
                    || s.form() == io.hvprobe.spi.TrapForm.OUT || s.form() == io.hvprobe.spi.TrapForm.INS);
            String where = verbose ? " at drivers/misc/hvprobe.c:42" : "";

            CallResult warned = call(m, "warn_on_negative", -5);
            assertThat(warned).isInstanceOfSatisfying(CallResult.Returned.class,
                    r -> assertThat((int) r.value()).isEqualTo(-4));
            assertThat(m.events()).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(KernelEvent.Kind.WARN);
                assertThat(e.text()).isEqualTo("WARN" + where + " reached");
                assertThat(e.location()).startsWith("warn_on_negative+0x");
            });

            CallResult bug = call(m, "bug_on_negative", -5);
            assertThat(bug).isInstanceOfSatisfying(CallResult.Faulted.class, f -> {
                assertThat(f.fault().kind()).isEqualTo(Fault.Kind.BUG);
                assertThat(f.fault().location()).startsWith("bug_on_negative+0x");
                assertThat(f.fault().detail()).isEqualTo("BUG() reached" + (verbose ? " (BUG" + where + ")" : ""));
            });
            assertThat(call(m, "bug_on_negative", 5)).isInstanceOf(CallResult.Returned.class);
        }
    }

    @Test
    void portIoNoPluginClaimsIsAPlainDeviceReadingTheConfiguredValue() throws Exception {
        try (GuestMachine m = GuestMachine.create(build(Arch.X86_64, false), MachineOptions.defaults())) {
            TrapInterceptor t = TrapInterceptor.attach(m, List.of(), CpuModel.defaults());
            CallResult r = call(m, "speaker_status", 0);
            assertThat(((CallResult.Returned) r).value()).isEqualTo(0xFF);
            assertThat(m.events()).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(KernelEvent.Kind.DEVICE_IO);
                assertThat(e.text()).isEqualTo("IN port 0x61, 1 byte: read 0xff (no device model)");
            });
            assertThat(t.log().records()).isEmpty();

            t.setUnclaimedPortValue(0x1234_5678L);
            r = m.call(new GuestCall("indexed_read", List.of(new Argument.Value(0x3C4), new Argument.Value(7))));
            assertThat(((CallResult.Returned) r).value()).isEqualTo(0x1234_5678L);
            assertThat(m.events()).extracting(KernelEvent::text).containsExactly(
                    "OUT port 0x3c4, 4 bytes: wrote 0x7 (dropped)",
                    "IN port 0x3c5, 4 bytes: read 0x12345678 (no device model)");

            r = m.call(new GuestCall("read_block", List.of(new Argument.Value(0x1F0), Argument.Buffer.zeroed(8),
                    new Argument.Value(6))));
            assertThat(r.buffers().get(1)).containsExactly(0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0, 0);
            assertThat(m.events()).extracting(KernelEvent::text)
                    .containsExactly("IN port 0x1f0, 1 byte, 6 element(s) read as 0x78 (no device model)");
        }
    }

    @Test
    void portIoAPluginClaimsStaysAHypercall() throws Exception {
        try (GuestMachine m = GuestMachine.create(build(Arch.X86_64, false), MachineOptions.defaults())) {
            RecordingSession claimsPort61 = RecordingSession.answering((e, mem) ->
                    e.detail() instanceof TrapDetail.Io io && io.port() == 0x61
                            ? RecordingSession.handled(List.of(new RegisterWrite(X86Register.RAX, 8, 0x20)), List.of())
                            : TrapOutcome.NOT_MINE);
            TrapInterceptor t = TrapInterceptor.attach(m,
                    List.of(new TrapInterceptor.PluginSession("test", claimsPort61)), CpuModel.defaults());
            assertThat(((CallResult.Returned) call(m, "speaker_status", 0)).value()).isEqualTo(0x20);
            assertThat(t.log().records()).singleElement()
                    .satisfies(h -> assertThat(h.plugin()).isEqualTo(Optional.of("test")));
            assertThat(m.events()).isEmpty();
        }
    }
}
