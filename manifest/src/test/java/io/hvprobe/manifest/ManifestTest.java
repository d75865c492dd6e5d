package io.hvprobe.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading the samples manifest schema and resolving entries into scenarios per matrix object. */
class ManifestTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("manifest.yaml");
        Files.writeString(f, "schema: hvprobe-samples/1\nfunctions:\n" + yaml);
        return f;
    }

    private static final String BUG = """
              - name: bug_x
                unit: bugs
                variants: [port]
                signature: unsigned int bug_x(unsigned int probe)
                args:
                  - {name: probe, kind: int, value: 0x1234}
                  - {name: out, kind: buffer, size: 64, align: 64, init: "hi"}
                bug: "a seeded bug"
                hypercalls:
                  - {command: MESSAGE, number: 30, sub: OPEN, arg4: cookie_hi, arg5: "lo32(out)"}
                  - {command: GETVERSION, number: 10, repeat: 2, out1: 0x564D5868}
                findings:
                  - {rule: hvprobe.clobber.written, or: [hvprobe.undefined-consumed], register: ebx}
                return: 0x564D586E
                return-if-not-manifest: 0x123A
                not-manifest:
                  - {cells: ["x86_64/*/O0"], reason: "reloaded"}
                cell-findings:
                  - {cells: ["x86_64/clang/*"], findings: [{rule: hvprobe.fault, register: none}], reason: "other"}
                qemu-vmport: {variants: [port], return: -1}
                vmware-port-only: {findings: []}
            """;

    private Path object(String rel) {
        return dir.resolve("matrix").resolve(rel);
    }

    @Test
    void anEntryBecomesOneScenarioPerProfileWithItsCall() throws Exception {
        Manifest m = Manifest.load(write(BUG));
        List<Scenario> s = m.scenarios(dir.resolve("matrix"), object("x86_64/gcc/O2/bugs-port.o"));
        assertThat(s).extracting(Scenario::profile).containsExactly("vmware", "qemu-vmport", "vmware-port-only");
        Scenario vmware = s.getFirst();
        assertThat(vmware.id()).isEqualTo("x86_64/gcc/O2/bugs-port.o:bug_x@vmware");
        assertThat(vmware.call().arguments()).hasSize(2);
        assertThat(vmware.call().arguments().get(1)).isInstanceOfSatisfying(io.hvprobe.guest.Argument.Buffer.class,
                b -> assertThat(b.alignment()).isEqualTo(64));
        assertThat(vmware.hypercalls().orElseThrow()).hasSize(3);
        assertThat(vmware.hypercalls().get().getFirst().sub()).hasValue(0);
        assertThat(vmware.expectedReturn()).isEqualTo(new ReturnExpectation.Exactly(0x564D586EL, 32));
        assertThat(vmware.intendedReturn()).isEqualTo(new ReturnExpectation.Exactly(0x123AL, 32));
        assertThat(vmware.findings()).singleElement().satisfies(f -> {
            assertThat(f.rules()).containsExactly("hvprobe.clobber.written", "hvprobe.undefined-consumed");
            assertThat(f.register()).hasValue("ebx");
        });
        assertThat(vmware.bugShows()).isTrue();
        assertThat(s.get(2).hypervisor().settings()).containsEntry("advertise-vmcall", "false")
                .containsEntry("advertise-vmmcall", "false");
        assertThat(s.get(2).findings()).isEmpty();
        assertThat(s.get(1).findings()).as("a block without findings inherits the entry's").hasSize(1);
    }

    private static final String SMCCC = """
              - name: psci_scaled
                unit: smccc
                variants: [hvc]
                hv: kvm
                signature: u64 psci_scaled(u64 scale)
                args:
                  - {name: scale, kind: int, value: 5}
                bug: "x4 kept across a 1.1-style call"
                profiles:
                  smccc-1.0:
                    return: any
                    findings: [{rule: hvprobe.undefined-consumed, register: x4}]
                    return-if-not-manifest: 0x1000f
                    not-manifest: [{cells: ["arm64/clang/O0"], reason: "spilled"}]
                  smccc-1.1: {return: 0x10010, findings: []}
            """;

    @Test
    void aKvmEntryRunsUnderTheKvmModelInEachOfItsProfilesOnly() throws Exception {
        Manifest m = Manifest.load(write(SMCCC));
        List<Scenario> s = m.scenarios(dir.resolve("matrix"), object("arm64/gcc/O2/smccc-hvc.o"));
        assertThat(s).extracting(Scenario::profile).containsExactly("smccc-1.0", "smccc-1.1");
        assertThat(s.getFirst().entry().hypervisor()).isEqualTo("kvm");
        assertThat(s.getFirst().hypervisor()).isEqualTo(io.hvprobe.spi.HypervisorOptions.profile("smccc-1.0"));
        assertThat(s.getFirst().id()).isEqualTo("arm64/gcc/O2/smccc-hvc.o:psci_scaled@smccc-1.0");
        assertThat(s.getFirst().findings()).singleElement()
                .satisfies(f -> assertThat(f.register()).hasValue("x4"));
        assertThat(s.get(1).findings()).isEmpty();
        assertThat(s.get(1).expectedReturn()).isEqualTo(new ReturnExpectation.Exactly(0x10010L, 64));

        Scenario spilled = m.scenarios(dir.resolve("matrix"), object("arm64/clang/O0/smccc-hvc.o")).getFirst();
        assertThat(spilled.findings()).isEmpty();
        assertThat(spilled.expectedReturn()).isEqualTo(new ReturnExpectation.Exactly(0x1000fL, 64));
        assertThat(spilled.bugShows()).isFalse();
    }

    @Test
    void aVmwareEntryKeepsItsProfilesAndNamesTheVmwareModel() throws Exception {
        Manifest m = Manifest.load(write(BUG));
        assertThat(m.functions().getFirst().hypervisor()).isEqualTo("vmware");
        assertThat(m.functions().getFirst().vmware()).isTrue();
    }

    @Test
    void modelAndProfileKeysThatDoNotFitAreRejected() throws Exception {
        String kvm = SMCCC.replace("    bug: \"x4 kept across a 1.1-style call\"\n", "");
        assertThatThrownBy(() -> Manifest.load(write(kvm.replace("hv: kvm", "hv: xen"))))
                .hasMessageContaining("(psci_scaled): unknown hv 'xen' (vmware, kvm)");
        assertThatThrownBy(() -> Manifest.load(write(kvm.replace("    profiles:\n", "    qemu-vmport: {return: 1}\n    profiles:\n"))))
                .hasMessageContaining("'qemu-vmport' is a vmware block; an hv: kvm entry lists 'profiles'");
        assertThatThrownBy(() -> Manifest.load(write(kvm.substring(0, kvm.indexOf("    profiles:")))))
                .hasMessageContaining("an hv: kvm entry needs 'profiles'");
        assertThatThrownBy(() -> Manifest.load(write(kvm.replace("smccc-1.1: {return: 0x10010, findings: []}",
                "smccc-1.1: {return: 0x10010, hypercall: []}"))))
                .hasMessageContaining("unknown key 'hypercall' in profiles.smccc-1.1");
        assertThatThrownBy(() -> Manifest.load(write(kvm.replace("    args:\n", "    setup: {balloon-target: 1}\n    args:\n"))))
                .hasMessageContaining("setup is vmware model state; an hv: kvm entry has none");
        assertThatThrownBy(() -> Manifest.load(write(kvm.replace("smccc-1.1: {return: 0x10010, findings: []}",
                "smccc-1.1: {return: 0x10010, hypercalls: []}"))))
                .hasMessageContaining("profiles.smccc-1.1.hypercalls lists VMware backdoor calls");
        assertThatThrownBy(() -> Manifest.load(write(BUG.replace("    qemu-vmport:", "    profiles: {kvm: {}}\n    qemu-vmport:"))))
                .hasMessageContaining("'profiles' is for hv: kvm entries");
    }

    @Test
    void setupGuestinfoBecomesTheHostsStore() throws Exception {
        Manifest m = Manifest.load(write("""
                  - name: get
                    unit: rpc
                    variants: [port]
                    signature: int get(void)
                    args: []
                    setup: {guestinfo: {guestinfo.x: hello, guestinfo.y: "a b"}}
                    return: 5
                """));
        Scenario s = m.scenarios(dir.resolve("matrix"), object("x86_64/gcc/O2/rpc-port.o")).getFirst();
        assertThat(s.hypervisor().settings()).containsEntry("guestinfo", "guestinfo.x=hello;guestinfo.y=a b");
        assertThatThrownBy(() -> Manifest.load(write("""
                  - name: get
                    unit: rpc
                    variants: [port]
                    signature: int get(void)
                    args: []
                    setup: {guestinfo: {x: hello}}
                    return: 5
                """))).hasMessageContaining("setup.guestinfo");
    }

    @Test
    void cellRulesReplaceFindingsAndReturn() throws Exception {
        Manifest m = Manifest.load(write(BUG));
        Scenario o0 = m.scenarios(dir.resolve("matrix"), object("x86_64/gcc/O0/bugs-port.o")).getFirst();
        assertThat(o0.findings()).isEmpty();
        assertThat(o0.bugShows()).isFalse();
        assertThat(o0.expectedReturn()).isEqualTo(new ReturnExpectation.Exactly(0x123AL, 32));
        assertThat(o0.hypercalls()).as("a bug's calls describe it where it shows").isEmpty();
        Scenario clang = m.scenarios(dir.resolve("matrix"), object("x86_64/clang/O2/bugs-port.o")).getFirst();
        assertThat(clang.findings()).singleElement().satisfies(f -> assertThat(f.rule()).isEqualTo("hvprobe.fault"));
        assertThat(clang.cellReason()).startsWith("cell-findings");
    }

    @Test
    void objectsOfOtherUnitsOrVariantsGetNoScenario() throws Exception {
        Manifest m = Manifest.load(write(BUG));
        assertThat(m.scenarios(dir.resolve("matrix"), object("x86_64/gcc/O2/bugs-vmcall.o"))).isEmpty();
        assertThat(m.scenarios(dir.resolve("matrix"), object("x86_64/gcc/O2/detect-port.o"))).isEmpty();
    }

    @Test
    void aPathOutsideTheMatrixLayoutIsOneClearError() throws Exception {
        Manifest m = Manifest.load(write(BUG));
        assertThatThrownBy(() -> m.scenarios(dir.resolve("matrix"), object("x86_64/gcc/bugs-port.o")))
                .isInstanceOf(ManifestException.class).hasMessageContaining("<arch>/<compiler>/<cell>/<unit>-<variant>.o");
        assertThatThrownBy(() -> m.scenarios(dir.resolve("matrix"), object("arm64/gcc/O2/bugs-port.o")))
                .isInstanceOf(ManifestException.class).hasMessageContaining("does not build for arm64");
    }

    @Test
    void badEntriesNameTheFileAndTheEntry() throws Exception {
        Path f = write(BUG + """
              - name: hv_bad
                unit: detect
                variants: [port]
                signature: int hv_bad(void)
                hypercalls:
                  - {command: GETVERSION, out9: 1}
            """);
        assertThatThrownBy(() -> Manifest.load(f)).isInstanceOf(ManifestException.class)
                .hasMessage(f + ": functions[1] (hv_bad): unknown key 'out9' in hypercalls[0]");
    }

    @Test
    void badValuesAndSchemasAreRejected() throws Exception {
        Path num = write("""
              - {name: f, unit: u, variants: [port], signature: int f(void), return: twelve}
            """);
        assertThatThrownBy(() -> Manifest.load(num)).hasMessageContaining("functions[0] (f): return: not a number: 'twelve'");
        Path variant = write("""
              - {name: f, unit: u, variants: [sparc], signature: int f(void)}
            """);
        assertThatThrownBy(() -> Manifest.load(variant)).hasMessageContaining("unknown variant 'sparc'");
        Path sub = write("""
              - {name: f, unit: u, variants: [port], signature: int f(void), hypercalls: [{command: MESSAGE, sub: OPEN_SESAME}]}
            """);
        assertThatThrownBy(() -> Manifest.load(sub)).hasMessageContaining("unknown MESSAGE sub-command 'OPEN_SESAME'");
        Path schema = dir.resolve("other.yaml");
        Files.writeString(schema, "schema: something/2\nfunctions: []\n");
        assertThatThrownBy(() -> Manifest.load(schema)).hasMessage(schema + ": schema is 'something/2', expected hvprobe-samples/1");
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "schema: [unclosed\n");
        assertThatThrownBy(() -> Manifest.load(broken)).isInstanceOf(ManifestException.class)
                .hasMessageStartingWith(broken + ": ");
    }

    @Test
    void cellGlobsMatchOnePathSegmentPerStar() {
        assertThat(Expectations.matchesAny(List.of("x86_64/*/O0"), "x86_64/gcc/O0")).isTrue();
        assertThat(Expectations.matchesAny(List.of("x86_64/*/O0"), "x86_64/gcc/O2")).isFalse();
        assertThat(Expectations.matchesAny(List.of("x86_64/clang/*"), "x86_64/clang/kernel-ssp")).isTrue();
        assertThat(Expectations.matchesAny(List.of("x86_64/*"), "x86_64/clang/O2")).isFalse();
    }

    @Test
    void returnWidthFollowsTheCType() {
        assertThat(ManifestParser.returnBits("int f(void)")).isEqualTo(32);
        assertThat(ManifestParser.returnBits("unsigned int f(void)")).isEqualTo(32);
        assertThat(ManifestParser.returnBits("long f(unsigned long x)")).isEqualTo(64);
        assertThat(ManifestParser.returnBits("unsigned long f(void)")).isEqualTo(64);
    }
}
