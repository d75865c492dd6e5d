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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrappers in the SMCCC 1.0 and 1.1 styles and a KVM hypercall wrapper, with seeded bugs, verified under the KVM
 * model: code that keeps a value in X4 across a 1.1-style call is wrong under {@code smccc-1.0} only, and a wrapper
 * that does not tell the compiler RAX is written makes its second hypercall with the first one's result.
 */
class KvmSeededBugsTest {
    private static final String SMCCC = """
            typedef unsigned long u64;

            /* SMCCC 1.1 style (as arm_smccc_1_1_invoke): only x0..x3 are declared as changed. */
            static inline u64 smccc11_call1(u64 fid, u64 a1)
            {
            	register u64 x0 asm("x0") = fid;
            	register u64 x1 asm("x1") = a1;
            	asm volatile("hvc #0" : "+r"(x0), "+r"(x1) : : "x2", "x3", "memory");
            	return x0;
            }

            /* SMCCC 1.0 style: x4..x17 are unpredictable after a call, so they are declared clobbered. */
            static inline u64 smccc10_call1(u64 fid, u64 a1)
            {
            	register u64 x0 asm("x0") = fid;
            	register u64 x1 asm("x1") = a1;
            	asm volatile("hvc #0" : "+r"(x0), "+r"(x1) : : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
            		     "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
            	return x0;
            }

            /* Seeded bug: a value kept in x4 across a 1.1-style call, which 1.0 firmware may change. */
            u64 psci_version_scaled(u64 scale)
            {
            	register u64 x4 asm("x4") = scale * 3;
            	asm volatile("" : "+r"(x4));
            	u64 v = smccc11_call1(0x84000000, 0);
            	asm volatile("" : "+r"(x4));
            	return v + x4;
            }

            /* The same through the 1.0-style wrapper: right under every version. */
            u64 psci_version_scaled_v10(u64 scale)
            {
            	u64 keep = scale * 3;
            	asm volatile("" : "+r"(keep));
            	return smccc10_call1(0x84000000, 0) + keep;
            }
            """;

    private static final String KVM = """
            /* KVM hypercall ABI: RAX = number, RBX.. = arguments, RAX = result. */
            static inline long kvm_hypercall1(unsigned long nr, unsigned long p1)
            {
            	long ret;
            	asm volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(p1) : "memory");
            	return ret;
            }

            long kvm_yield_to(unsigned long apic)
            {
            	return kvm_hypercall1(11, apic);
            }

            /* Seeded bug: RAX is not declared written, so the compiler reuses RAX = 11 for the second call. */
            long kvm_yield_twice_bad(unsigned long apic)
            {
            	unsigned long nr = 11;
            	asm volatile("vmcall" : : "a"(nr), "b"(apic) : "memory");
            	asm volatile("vmcall" : : "a"(nr), "b"(apic) : "memory");
            	return 0;
            }
            """;

    @TempDir
    Path dir;

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
        Path object = GuestBuild.ARM64_MRS.compile(dir, "smccc", SMCCC);
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
        Path object = GuestBuild.X86_64_PORT.compile(dir, "kvm", KVM);

        Verification bad = verify(object, "kvm", GuestCall.of("kvm_yield_twice_bad", 1));
        assertThat(bad.run().hypercalls()).extracting(h -> h.command()).containsExactly("KVM_HC_SCHED_YIELD",
                "KVM_HC 0");
        assertThat(errors(bad)).contains("kvm.hypercall-unknown");
        Verification good = verify(object, "kvm", GuestCall.of("kvm_yield_to", 1));
        assertThat(errors(good)).isEmpty();
        assertThat(good.run().returnValue()).isZero();
    }
}
