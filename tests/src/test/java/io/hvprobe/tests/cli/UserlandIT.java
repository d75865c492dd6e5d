package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.api.RunResult;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.spi.HypervisorOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * open-vm-tools' libvmtools.so.0 (Debian bookworm, amd64 and arm64, from the real-object cache) loads with its TLS,
 * runs with the C-library environment, and talks GuestRPC to the VMware model; check of a directory with an
 * unloadable object reports it and goes on.
 */
class UserlandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** {@code RpcOut_SendOneRaw(request, length, &reply, &replyLength)}; the run continues the previous one. */
    private static RunResult send(Probe probe, String request) throws Exception {
        byte[] text = request.getBytes(StandardCharsets.US_ASCII);
        return probe.runContinuing(new GuestCall("RpcOut_SendOneRaw", List.of(
                new Argument.Buffer(text.length + 1, text), Argument.value(text.length),
                Argument.Buffer.zeroed(8), Argument.Buffer.zeroed(8))));
    }

    private static long word(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void infoSetThenInfoGetReturnsTheValueUnderVmware(String arch) throws Exception {
        try (Probe probe = Probe.open(RealObjects.libvmtools(arch), ProbeOptions.defaults()
                .withHypervisorOptions(HypervisorOptions.profile("vmware")))) {
            RunResult set = send(probe, "info-set guestinfo.x hello");
            assertThat(set.returned()).as("info-set: %s", set.call()).isTrue();
            assertThat(set.returnValue()).as("RpcOut_SendOneRaw succeeded").isEqualTo(1);

            RunResult get = send(probe, "info-get guestinfo.x");
            assertThat(get.returnValue()).isEqualTo(1);
            long reply = word(get.call().buffers().get(2));
            long length = word(get.call().buffers().get(3));
            assertThat(length).isEqualTo(5);
            assertThat(new String(probe.machine().read(reply, 5), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(get.findings()).noneMatch(f -> f.finding().severity().name().equals("ERROR"));
        }
    }

    /** QEMU's vmport answers no GuestRPC: the library gets no channel and reports failure cleanly. */
    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void underQemuVmportTheRpcFailsWithoutAFault(String arch) throws Exception {
        try (Probe probe = Probe.open(RealObjects.libvmtools(arch), ProbeOptions.defaults()
                .withHypervisorOptions(HypervisorOptions.profile("qemu-vmport")))) {
            RunResult get = send(probe, "info-get guestinfo.x");
            assertThat(get.returned()).as("%s", get.call()).isTrue();
            assertThat(get.returnValue()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void runPrintsTheProfilesGuestinfoLength(String arch) throws Exception {
        Path profile = Files.writeString(dir.resolve("gi.yaml"), "base: vmware\nguestinfo: \"guestinfo.x=hello\"\n");
        Hvprobe.Result r = CliRun.run("run", RealObjects.libvmtools(arch), "-f", "RpcOut_SendOneRaw",
                "--arg", "str:info-get guestinfo.x", "--arg", "20", "--arg", "buf:8", "--arg", "buf:8",
                "--profile", profile, "--format", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("return").asLong()).isEqualTo(1);
        assertThat(root.get("buffers").get(2).get("hex").asText()).as("reply length 5").isEqualTo("0500000000000000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void checkOfLibvmtoolsLoadsAndRunsItsBackdoorFunctions(String arch) throws Exception {
        Hvprobe.Result r = CliRun.run("check", RealObjects.libvmtools(arch), "--format", "json", "--fail-on",
                "never");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode root = JSON.readTree(r.out());
        List<String> functions = functions(root);
        List<String> errors = errors(root);
        System.out.printf("check libvmtools.so.0 (%s): %d functions, %d hypercalls, errors %s%n", arch,
                functions.size(), root.get("summary").get("hypercalls").asLong(), errors);
        assertThat(functions).contains(arch.equals("amd64") ? "Backdoor_Vmcall" : "Backdoor_InOut", "BackdoorHbIn");
        // No false errors: the wrappers that store whole registers into Backdoor_proto give notes (field width
        // unknown, docs/verifier.md), and nothing faults or fails to load.
        assertThat(errors).isEmpty();
        // Every backdoor site reached (amd64 55: the static helper of Hostinfo_GetCpuidStr is recovered from its
        // call, Hostinfo_TouchXen's CPUID at its Xen prefix; arm64 4: __builtin_trap's brk is no site).
        JsonNode coverage = root.get("objects").get(0);
        assertThat(coverage.get("hypercallSites").asInt()).isEqualTo(arch.equals("amd64") ? 55 : 4);
        assertThat(coverage.get("reachedHypercallSites").asInt()).as(coverage.toString())
                .isEqualTo(coverage.get("hypercallSites").asInt());
    }

    @Test
    void checkOfADirectoryWithATruncatedObjectChecksTheOthersAndReportsOneEntry() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.copy(Path.of("/bin/ls"), tree.resolve("ls"));
        Path lib = RealObjects.libvmtools("amd64");
        Files.copy(lib, tree.resolve("libvmtools.so.0"));
        Path cut = Files.write(tree.resolve("truncated.so"), Arrays.copyOf(Files.readAllBytes(lib), 5000));

        Hvprobe.Result json = CliRun.runSharingCheck("check", tree, "--format", "json", "-q");
        assertThat(json.exit()).as("the error entry fails the check: %s", json).isEqualTo(1);
        JsonNode root = JSON.readTree(json.out());
        List<String> failed = new ArrayList<>();
        root.get("results").forEach(n -> n.get("findings").forEach(f -> {
            if (f.get("rule").asText().equals("hvprobe.load-failed")) {
                failed.add(n.get("object").asText() + ": " + f.get("message").asText());
            }
        }));
        assertThat(failed).singleElement().asString().startsWith(cut + ": " + cut + ": ");

        Hvprobe.Result text = CliRun.runSharingCheck("check", tree, "-q");
        assertThat(text.out()).contains("  objects          2 (and 1 not loaded)\n");
    }

    /**
     * Debian's {@code vmware-rpctool} (stripped; its own copy of the backdoor code, only libc needed) runs from its
     * entry point: the C start-up calls main with the argv given, the program installs its SIGSEGV/SIGILL handlers
     * and sigsetjmp point, asks the host through GuestRPC, and prints the guestinfo value the profile holds.
     */
    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void vmwareRpctoolFromItsEntryPrintsTheGuestinfoValue(String arch) throws Exception {
        Hvprobe.Result r = CliRun.run("run", RealObjects.root(arch, "usr/bin/vmware-rpctool"), "--entry",
                "--argv", "vmware-rpctool", "--argv", "info-get guestinfo.x", "--guestinfo", "x=hello",
                "--format", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("exitStatus").asInt()).as(r.out()).isZero();
        assertThat(root.get("stdout").asText()).isEqualTo("hello\n");
        assertThat(root.get("stderr").asText()).isEmpty();
        assertThat(root.get("argv").toString()).isEqualTo("[\"vmware-rpctool\",\"info-get guestinfo.x\"]");
        List<String> commands = new ArrayList<>();
        root.get("hypercalls").forEach(h -> commands.add(h.get("command").asText()));
        assertThat(commands).contains("MESSAGE.OPEN", "MESSAGE.CLOSE");
    }

    /** Without the key the host answers failure: the program says so on stderr and exits 1. */
    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void vmwareRpctoolExitsOneWhenTheHostHasNoSuchKey(String arch) throws Exception {
        Hvprobe.Result r = CliRun.run("run", RealObjects.root(arch, "usr/bin/vmware-rpctool"), "--entry",
                "--argv", "vmware-rpctool", "--argv", "info-get guestinfo.missing");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("exit status: 1\n").contains("stdout: (empty)\n").contains("stderr:\n");
    }

    /** Without arguments it prints its usage to stderr and exits 1 (argv[0] alone: the default argv). */
    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void vmwareRpctoolWithoutArgumentsPrintsItsUsage(String arch) throws Exception {
        Hvprobe.Result r = CliRun.run("run", RealObjects.root(arch, "usr/bin/vmware-rpctool"), "--entry",
                "--format", "json");
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("exitStatus").asInt()).isEqualTo(1);
        assertThat(root.get("argv").toString()).isEqualTo("[\"vmware-rpctool\"]");
        assertThat(root.get("stderr").asText()).contains("rpctool syntax:");
    }

    @Test
    void entryAndFunctionTogetherAreAUsageError() {
        Hvprobe.Result r = CliRun.run("run", RealObjects.libvmtools("amd64"), "--entry", "-f", "RpcOut_SendOneRaw");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("either --function F or --entry");
    }

    /**
     * Debian's {@code vmware-checkvm} needs libvmtools (and GLib, which the C-library table stands for): with
     * {@code --lib} its VmCheck_* calls bind to the library's code, which probes the backdoor (CPUID, then
     * VMCALL on amd64; MRS on arm64) and the program prints the version the model answers.
     */
    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void vmwareCheckvmWithLibvmtoolsPrintsTheVersion(String arch) throws Exception {
        Hvprobe.Result r = CliRun.run("run", RealObjects.root(arch, "usr/bin/vmware-checkvm"), "--entry",
                "--lib", RealObjects.libvmtools(arch), "--format", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("exitStatus").asInt()).as(r.out()).isZero();
        assertThat(root.get("stdout").asText()).isEqualTo("VMware software version 6 (good)\n");
        List<String> stubs = new ArrayList<>();
        root.get("stubs").forEach(s -> stubs.add(s.get("name").asText()));
        assertThat(stubs).as("bound to libvmtools, not stubs").doesNotContain("VmCheck_IsVirtualWorld",
                "VmCheck_GetVersion").contains("__sigsetjmp", "g_print");
        assertThat(root.get("hypercallCount").asLong()).isPositive();
        assertThat(root.get("notes").toString()).contains("libglib-2.0.so.0, which no --lib gives");
    }

    /**
     * Without the library its functions are plain stubs: no hypercall, and the program takes its failure path (its
     * stack protector reads %fs:0x28, which a program without TLS of its own gets too).
     */
    @Test
    void vmwareCheckvmWithoutItsLibraryMakesNoHypercall() throws Exception {
        Hvprobe.Result r = CliRun.run("run", RealObjects.root("amd64", "usr/bin/vmware-checkvm"), "--entry",
                "--format", "json");
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("hypercallCount").asLong()).isZero();
        assertThat(root.get("exitStatus").asInt()).as(r.out()).isEqualTo(1);
        assertThat(root.get("stderr").asText()).contains("must be run inside a virtual machine");
        assertThat(root.get("notes").toString()).contains("libvmtools.so.0, which no --lib gives");
    }

    /** check of the program with --lib checks the backdoor functions it reaches through the library too. */
    @Test
    void checkOfCheckvmWithLibvmtoolsChecksTheLibrarysBackdoorFunctions() throws Exception {
        Hvprobe.Result r = CliRun.run("check", RealObjects.root("amd64", "usr/bin/vmware-checkvm"), "--lib",
                RealObjects.libvmtools("amd64"), "--format", "json", "--fail-on", "never", "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode root = JSON.readTree(r.out());
        List<String> functions = functions(root);
        List<String> errors = errors(root);
        assertThat(functions).contains("Backdoor_Vmcall");
        assertThat(errors).isEmpty();
    }

    /** The functions a {@code check --format json} report verified, in report order. */
    private static List<String> functions(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.get("results").forEach(n -> out.add(n.get("function").asText()));
        return out;
    }

    /** {@code RULE LOCATION} of every error finding in a {@code check --format json} report. */
    private static List<String> errors(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.get("results").forEach(n -> n.get("findings").forEach(f -> {
            if (f.get("severity").asText().equals("error")) {
                out.add(f.get("rule").asText() + " " + f.get("location").asText());
            }
        }));
        return out;
    }
}
