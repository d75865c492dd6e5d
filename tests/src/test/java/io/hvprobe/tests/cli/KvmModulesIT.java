package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's own KVM guest modules under the KVM model ({@code --hv kvm}): amd64 ptp_kvm.ko makes KVM_HC_CLOCK_PAIRING
 * through the vmcall/vmmcall alternatives, arm64 arm_smccc_trng.ko asks the SMCCC TRNG for random bits over hvc or
 * smc. Each is checked whole with every hypercall site reached and no error, and a run returns the model's values.
 */
class KvmModulesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path module(String arch, String name) {
        Path m = Path.of("../target/real-objects", arch, "modules", name).toAbsolutePath().normalize();
        assertThat(m).as("real kernel modules (run scripts/fetch-real-objects first)").isRegularFile();
        return m;
    }

    private static JsonNode check(Object... args) throws IOException {
        Hvprobe.Result r = CliRun.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void ptpKvmIsCheckedWholeInBothAlternativesWithEverySiteReachedAndNoError() throws IOException {
        JsonNode report = check("check", "--hv", "kvm", "--variants", module("amd64", "ptp_kvm.ko"), "--format", "json");

        assertThat(report.get("results").findValuesAsText("variant")).contains("vmcall", "vmmcall");
        assertThat(report.get("objects")).allSatisfy(o -> {
            assertThat(o.get("hypercallSites").asInt()).isPositive();
            assertThat(o.get("reachedHypercallSites").asInt()).isEqualTo(o.get("hypercallSites").asInt());
        });
        assertThat(report.get("results").findValues("severity")).allSatisfy(s -> assertThat(s.asText())
                .isNotEqualTo("error"));
        assertThat(report.get("summary").get("byRule").fieldNames()).toIterable()
                .allMatch(rule -> !rule.startsWith("hvprobe.unhandled-trap"));
    }

    @Test
    void ptpKvmClockPairingReturnsTheModelsWallClockAndTsc() {
        // kvm_hypercall2(KVM_HC_CLOCK_PAIRING, gpa, KVM_CLOCK_PAIRING_WALLCLOCK) with the buffer as the pairing area:
        // sec 1767225600 (0x6955b900, 2026-01-01), nsec 1000, tsc 2500 (2.5 GHz after 1 µs).
        Hvprobe.Result r = CliRun.run("run", "--hv", "kvm", module("amd64", "ptp_kvm.ko"), "-f",
                "kvm_hypercall2.constprop.0", "--arg", "buf:64");
        assertThat(r.out()).as(r.toString())
                .contains("KVM_HC_CLOCK_PAIRING via VMCALL at kvm_hypercall2.constprop.0+0x24 [kvm]")
                .contains("return: 0x0 (0)")
                .contains("buffer arg 0 after: 00 b9 55 69 00 00 00 00 e8 03 00 00 00 00 00 00 c4 09 00 00")
                .contains("findings: none");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kvm", "smccc-1.0", "smccc-1.1", "smccc-1.2"})
    void armSmcccTrngIsCheckedWholeWithBothConduitsReachedAndNoError(String profile) throws IOException {
        JsonNode report = check("check", "--hv", "kvm", "--profile", profile, module("arm64", "arm_smccc_trng.ko"),
                "--format", "json");

        JsonNode object = report.get("objects").get(0);
        assertThat(object.get("hypercallSites").asInt()).isEqualTo(2);
        assertThat(object.get("reachedHypercallSites").asInt()).isEqualTo(2);
        assertThat(report.get("summary").get("findings").asInt()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void armSmcccTrngReadReturnsBytesFromTheSeededGeneratorOverSmcAndHvc(int conduit, @TempDir Path dir)
            throws IOException {
        // arm_smccc_1_1_get_conduit(): 1 = SMC, 2 = HVC; the kernel environment's plain stub says 0 (none).
        Path table = dir.resolve("conduit.yaml");
        Files.writeString(table, "arm_smccc_1_1_get_conduit: {kind: return, value: " + conduit + "}\n");

        Hvprobe.Result r = CliRun.run("run", "--hv", "kvm", module("arm64", "arm_smccc_trng.ko"), "-f",
                "smccc_trng_read", "--arg", "buf:64", "--arg", "buf:32", "--arg", "32", "--arg", "1",
                "--kernel-table", table);

        assertThat(r.out()).as(r.toString())
                .contains("TRNG_RND64 via " + (conduit == 1 ? "SMC" : "HVC"))
                .contains("192 random bits")
                .contains("return: 0x20 (32)")
                .contains("buffer arg 1 after: dd c4 9d 28 bc 95 4d c6 54 d5 b6 2a bc 6e 70 01 34 45 79 c1 90 49 d6 "
                        + "5b aa ee e8 77 4b 7c 91 42");
    }

    @Test
    void aVmwareBackdoorCallInAKvmRunStaysWithTheVmwareModelAndTheReportSaysWhichAnswered() {
        Hvprobe.Result arm = CliRun.run("run", "--hv", "kvm",
                Path.of("../firmware-samples/target/matrix/arm64/gcc/O2/detect-hvc.o"), "-f", "hv_detect");
        assertThat(arm.out()).as(arm.toString()).contains("GETVERSION via HVC at hv_detect+0x1c [vmware]")
                .contains("return: 0x6 (6)");

        // The x86 sample asks CPUID 0x40000000 first: the KVM profile's signature says KVM, so it finds no VMware.
        Hvprobe.Result x86 = CliRun.run("run", "--hv", "kvm",
                Path.of("../firmware-samples/target/matrix/x86_64/gcc/O2/detect-vmcall.o"), "-f", "hv_detect");
        assertThat(x86.out()).as(x86.toString()).contains("CPUID 0x40000000 via CPUID at hv_detect+0xc [kvm]")
                .contains("rbx=0x4b4d564b rcx=0x564b4d56 rdx=0x4d").doesNotContain("GETVERSION");
        Hvprobe.Result vmware = CliRun.run("run",
                Path.of("../firmware-samples/target/matrix/x86_64/gcc/O2/detect-vmcall.o"), "-f", "hv_detect");
        assertThat(vmware.out()).as(vmware.toString()).contains("GETVERSION via VMCALL").contains("[vmware]");
    }

    @Test
    void hvProfileGivesACompanionModelItsProfileAndIsRefusedForTheHvModel() {
        Path clock = Path.of("../firmware-samples/target/matrix/x86_64/gcc/O2/clock-port.o");
        Hvprobe.Result qemu = CliRun.run("run", "--hv", "kvm", "--hv-profile", "vmware=qemu-vmport", clock, "-f",
                "hv_steal_clock_enable", "--arg", "buf:64");
        assertThat(qemu.out()).as(qemu.toString()).contains("STEALCLOCK via IN at hv_steal_clock_enable+0x21 [vmware]")
                .contains("profile qemu-vmport does not implement it").contains("return: 0xffffffff");

        Hvprobe.Result primary = CliRun.run("check", "--hv", "kvm", "--hv-profile", "kvm=smccc-1.0", clock);
        assertThat(primary.exit()).isEqualTo(2);
        assertThat(primary.err()).contains("--hv-profile kvm=smccc-1.0 names the --hv model; give its profile with"
                + " --profile");
    }

    @Test
    void commandsListsTheKvmCallsWithTheContractOfTheSmcccVersion() {
        Hvprobe.Result v10 = CliRun.run("commands", "--hv", "kvm", "--profile", "smccc-1.0");
        assertThat(v10.out()).as(v10.toString()).contains("9 KVM_HC_CLOCK_PAIRING")
                .contains("TRNG_RND64 0xc4000053").contains("x4(may change)").contains("x17(may change)");
        Hvprobe.Result v11 = CliRun.run("commands", "--hv", "kvm", "--profile", "smccc-1.1");
        assertThat(v11.out()).contains("PSCI_CPU_ON 0x84000003").doesNotContain("x4(may change)");
    }
}
