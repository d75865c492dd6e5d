package io.hvprobe.tests;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.Fault;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.manifest.Manifest;
import io.hvprobe.manifest.Scenario;
import io.hvprobe.manifest.ScenarioResult;
import io.hvprobe.manifest.ScenarioRunner;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.Severity;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The KVM-model samples ({@code firmware-samples/src/kvm}: SMCCC 1.0/1.1-style wrappers and KVM hypercall wrappers,
 * with seeded bugs) in the build matrix, verified under the KVM model: code that keeps a value in X4 across a
 * 1.1-style call is wrong under {@code smccc-1.0} only, and a wrapper that does not tell the compiler RAX is written
 * makes its second hypercall with the first one's result. The manifest holds the same expectations for every cell
 * ({@code ManifestMatrixTest}); here one gcc -O2 object each, with the hypercalls, and the manifest's profiles.
 */
class KvmSeededBugsTest {
    private static final Path SMCCC = Samples.matrix().resolve("arm64/gcc/O2/smccc-hvc.o");
    private static final Path KVM = Samples.matrix().resolve("x86_64/gcc/O2/kvm_hc-vmcall.o");

    private static ProbeOptions kvm(String profile) {
        return ProbeOptions.defaults().withHypervisor("kvm").withHypervisorOptions(HypervisorOptions.profile(profile));
    }

    private static List<String> errors(Verification v) {
        return v.findings().stream().filter(f -> f.finding().severity() == Severity.ERROR)
                .map(LocatedFinding::finding).map(f -> f.ruleId()).toList();
    }

    private Verification verify(Path object, String profile, GuestCall call) throws Exception {
        try (Probe probe = Probe.open(object, kvm(profile))) {
            return new Verifier(VerifyOptions.defaults()).verify(probe, call);
        }
    }

    @Test
    void x4KeptAcrossAn11StyleCallIsAnErrorUnderSmccc10AndFineFrom11On() throws Exception {
        Path object = SMCCC;
        GuestCall call = GuestCall.of("psci_version_scaled", 5);

        assertThat(errors(verify(object, "smccc-1.0", call))).contains("hvprobe.undefined-consumed");
        for (String later : List.of("smccc-1.1", "smccc-1.2", "kvm")) {
            Verification v = verify(object, later, call);
            assertThat(errors(v)).as(later).isEmpty();
            assertThat(v.run().returnValue()).as(later + ": PSCI 1.1 + 15").isEqualTo(0x10001 + 15);
        }
        assertThat(errors(verify(object, "smccc-1.0", GuestCall.of("psci_version_scaled_v10", 5)))).isEmpty();
    }

    @Test
    void aKvmWrapperThatForgetsRaxIsWrittenMakesAnUnknownHypercall() throws Exception {
        Path object = KVM;

        Verification bad = verify(object, "kvm", GuestCall.of("kvm_yield_twice_bad", 1));
        assertThat(bad.run().hypercalls()).extracting(h -> h.command()).containsExactly("KVM_HC_SCHED_YIELD",
                "KVM_HC 0");
        assertThat(errors(bad)).contains("kvm.hypercall-unknown");
        Verification good = verify(object, "kvm", GuestCall.of("kvm_yield_to", 1));
        assertThat(errors(good)).isEmpty();
        assertThat(good.run().returnValue()).isZero();
    }

    @Test
    void psciCpuOffEndsTheRunAtTheCallSoTheParkLoopAfterItIsNeverRun() throws Exception {
        for (String profile : List.of("smccc-1.0", "kvm")) {
            Verification v = verify(SMCCC, profile, GuestCall.of("psci_cpu_off_and_park"));

            assertThat(v.run().hypercalls()).extracting(h -> h.command()).containsExactly("PSCI_CPU_OFF");
            assertThat(v.run().call()).isInstanceOfSatisfying(CallResult.Faulted.class, f -> {
                assertThat(f.fault().kind()).isEqualTo(Fault.Kind.NO_RETURN);
                assertThat(f.fault().describe()).startsWith("no return at ")
                        .endsWith("kvm answered PSCI_CPU_OFF, which does not return");
            });
            assertThat(v.findings()).as(profile + ": not returning is what CPU_OFF does").isEmpty();
        }
    }

    @Test
    void theManifestFindsEachSeededBugUnderItsProfileAndNothingUnderTheOthers() throws Exception {
        Manifest manifest = Samples.manifest();
        Map<String, Integer> bugsByProfile = new TreeMap<>();
        int scenarios = 0;
        try (ScenarioRunner runner = new ScenarioRunner(VerifyOptions.defaults())) {
            for (Path object : Samples.objects()) {
                String name = object.getFileName().toString();
                if (!name.equals("smccc-hvc.o") && !name.equals("kvm_hc-vmcall.o")) {
                    continue;
                }
                for (Scenario s : manifest.scenarios(Samples.matrix(), Samples.matrix().resolve(object))) {
                    ScenarioResult r = runner.run(s);
                    scenarios++;
                    assertThat(r.mismatches()).as(s.id()).isEmpty();
                    r.findings().forEach(f -> bugsByProfile.merge(s.profile() + " " + f.finding().ruleId(), 1,
                            Integer::sum));
                }
            }
        }
        // 9 x86_64 cells x 2 compilers x 2 functions (kvm); 5 arm64 cells x 2 compilers x 3 functions x 4 profiles.
        assertThat(scenarios).isEqualTo(36 + 120);
        // Every finding of every run, by profile: x4 in every arm64 cell but clang -O0 (which reloads x4 from the
        // stack) and only under smccc-1.0; RAX in the gcc cells but -O0 (clang rematerialises the constant).
        assertThat(bugsByProfile).containsExactly(entry("kvm kvm.hypercall-unknown", 8),
                entry("smccc-1.0 hvprobe.clobber.may-change", 9), entry("smccc-1.0 hvprobe.undefined-consumed", 9));
    }
}
