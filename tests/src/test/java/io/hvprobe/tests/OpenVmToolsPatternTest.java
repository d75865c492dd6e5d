package io.hvprobe.tests;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.Severity;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * open-vm-tools' backdoor pattern (register unions on the stack, only halves set, all 64 bits loaded; the VmCheck
 * probe's ECX[31:16] = 0xFFFF, a GuestRPC open and close with cookies), compiled at test time from
 * {@code guests/ovt_pattern.c}: the bits the ABI lets the hypervisor ignore are notes, never warnings or errors,
 * and a profile can raise them.
 */
class OpenVmToolsPatternTest {
    private static final String RULE = "vmware.input-upper-bits";
    /** GETVERSION: version 6 << 8 | product type 2 (ESX). */
    private static final long DETECTED = 6 << 8 | 2;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gcc -O2", "clang -O2", "gcc -O0", "clang -O0"})
    void ignoredInputBitsAreNotesByDefault(String compiler) throws Exception {
        Verification v = verify(Guests.compile(dir, "ovt_pattern.c", compiler), HypervisorOptions.defaults());

        assertThat(v.run().returnValue()).isEqualTo(DETECTED);
        assertThat(v.findings()).as("only notes").allSatisfy(f -> assertThat(f.finding().severity())
                .as(f.toString()).isEqualTo(Severity.NOTE));
        List<LocatedFinding> ignored = v.findings().stream().filter(f -> f.finding().ruleId().equals(RULE)).toList();
        // VmCheck's 0xFFFF in ECX[31:16] plus the stack pattern in bits 63:32, and the garbage in RAX[63:32].
        assertThat(ignored).anySatisfy(f -> assertThat(f.finding().evidence()).containsEntry("register", "rcx")
                .containsEntry("ignored-bits", "0xa5a5a5a5ffff0000"));
        assertThat(ignored).anySatisfy(f -> assertThat(f.finding().evidence()).containsEntry("register", "rax")
                .containsEntry("ignored-bits", "0xa5a5a5a500000000"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gcc -O2", "clang -O2", "gcc -O0", "clang -O0"})
    void aGuestRpcOpenAndCloseWithGarbageAboveEveryInputHasOnlyNotes(String compiler) throws Exception {
        Path object = Guests.compile(dir, "ovt_pattern.c", compiler);
        Verification v;
        try (Probe probe = Probe.open(object, ProbeOptions.defaults())) {
            v = new Verifier(VerifyOptions.defaults().withReturnBits(32)).verify(probe, GuestCall.of("ovt_rpc"));
        }

        assertThat(v.run().returnValue()).as("channel 0 + 1").isEqualTo(1);
        assertThat(v.findings()).as("only notes").allSatisfy(f -> assertThat(f.finding().severity())
                .as(f.toString()).isEqualTo(Severity.NOTE));
        assertThat(v.findings()).anySatisfy(f -> assertThat(f.finding().evidence()).containsEntry("register", "rbx")
                .containsEntry("ignored-bits", "0xa5a5a5a500000000"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gcc -O2", "clang -O2"})
    void aProfileRaisesThemToWarnings(String compiler) throws Exception {
        Verification v = verify(Guests.compile(dir, "ovt_pattern.c", compiler), new HypervisorOptions(
                Optional.empty(), Optional.empty(), Map.of("severity." + RULE, "warning")));

        assertThat(v.run().returnValue()).isEqualTo(DETECTED);
        assertThat(v.findings()).filteredOn(f -> f.finding().ruleId().equals(RULE)).isNotEmpty()
                .allSatisfy(f -> assertThat(f.finding().severity()).isEqualTo(Severity.WARNING));
    }

    private static Verification verify(Path object, HypervisorOptions hv) throws Exception {
        try (Probe probe = Probe.open(object, ProbeOptions.defaults().withHypervisorOptions(hv))) {
            return new Verifier(VerifyOptions.defaults().withReturnBits(32)).verify(probe, GuestCall.of("ovt_probe"));
        }
    }
}
