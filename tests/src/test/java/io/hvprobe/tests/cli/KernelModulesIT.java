package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's own vmwgfx.ko (from {@code scripts/fetch-real-objects}) inside the kernel environment: the GuestRPC code
 * gets past {@code kasprintf} and {@code kmalloc} to the whole exchange, its WARN()/BUG() traps and SVGA register
 * I/O are not hypercalls.
 */
class KernelModulesIT {
    private static Path module(String arch, String name) {
        Path m = Path.of("../target/real-objects", arch, "modules", name).toAbsolutePath().normalize();
        assertThat(m).as("real kernel modules (run scripts/fetch-real-objects first)").isRegularFile();
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void guestInfoRunsTheWholeGuestRpcExchangeThroughKasprintfAndKmalloc(String arch) {
        Hvprobe.Result r = CliRun.run("run", module(arch, "vmwgfx.ko"), "-f", "vmw_host_get_guestinfo",
                "--arg", "str:foo", "--arg", "buf:256", "--arg", "buf:8");
        assertThat(r.out()).as(r.toString())
                .containsPattern("kasprintf\\(.*\\) -> 0x64000000 from vmw_host_get_guestinfo\\+0x")
                .containsSubsequence("MESSAGE.OPEN", "MESSAGE.SENDSIZE", "MESSAGE.HB_OUT", "MESSAGE.RECVSIZE",
                        "MESSAGE.HB_IN", "MESSAGE.RECVSTATUS", "MESSAGE.CLOSE")
                .contains("return: 0x0 (0)")
                .doesNotContain("unhandled-trap");
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void guestInfoFromTheCommandLineComesBackInTheCallersBuffer(String arch) {
        // vmw_host_get_guestinfo(key, buffer, size_t *length): *length holds the buffer size on entry and the
        // reply's length on return; the host holds guestinfo.foo = "bar" as a .vmx file would.
        Hvprobe.Result r = CliRun.run("run", module(arch, "vmwgfx.ko"), "-f", "vmw_host_get_guestinfo",
                "--arg", "str:guestinfo.foo", "--arg", "buf:256", "--arg", "ptr:u64=256", "--guestinfo", "foo=bar");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString())
                .containsSubsequence("MESSAGE.OPEN", "MESSAGE.SENDSIZE", "MESSAGE.", "MESSAGE.RECVSIZE",
                        "MESSAGE.", "MESSAGE.RECVSTATUS", "MESSAGE.CLOSE")
                .contains("return: 0x0 (0)")
                .contains("buffer arg 1 after: \"bar\" + 253 zero bytes")
                .contains("buffer arg 2 after: 03 00 00 00 00 00 00 00");
    }

    @org.junit.jupiter.api.Test
    void checkVariantsRunsTheBackdoorCallAsPortIoVmcallAndVmmcallFromTheAlternatives() throws Exception {
        // vmware.h's ALTERNATIVE_2: the IN as compiled, VMCALL on X86_FEATURE_VMCALL, VMMCALL on VMW_VMMCALL.
        Path ptp = module("amd64", "ptp_vmw.ko");
        Hvprobe.Result r = CliRun.run("check", "--variants", ptp, "--format", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        var results = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("results");
        assertThat(results.findValuesAsText("variant")).containsExactly("port", "vmcall", "vmmcall");
        assertThat(results.findValuesAsText("function")).containsOnly("ptp_vmw_gettime");
        assertThat(results.findValues("hypercalls")).allSatisfy(h -> assertThat(h.asInt()).isEqualTo(1));
        Hvprobe.Result plain = CliRun.run("check", ptp, "--format", "json");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(plain.out()).get("results")
                .findValuesAsText("variant")).as("without --variants: the code as compiled, no label").containsExactly("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void scanCountsBugWarnSitesApartFromTrapSites(String arch) {
        Hvprobe.Result r = CliRun.run("scan", module(arch, "vmwgfx.ko"));
        assertThat(r.exit()).as(r.toString()).isZero();
        String header = r.out().lines().findFirst().orElseThrow();
        assertThat(header).matches(".*: \\d+ trap sites(; device I/O sites \\d+)?; BUG/WARN sites \\d+");
        assertThat(r.out()).doesNotContain("brk #0x800").doesNotContain(" ud2");
        if (arch.equals("amd64")) {
            assertThat(header).contains("; device I/O sites ");
            assertThat(r.out()).contains("vmw_send_msg+0xaa").contains("(port 0x5658 in dx, 4 bytes)");
        }
    }

    @org.junit.jupiter.api.Test
    void svgaRegisterIoIsAPlainDeviceInTheKernelLogNotAnUnhandledTrap() {
        // vmw_cursor_update_position(dev_priv, show, x, y) writes the SVGA index/value port pair.
        Hvprobe.Result r = CliRun.run("run", module("amd64", "vmwgfx.ko"), "-f", "vmw_cursor_update_position",
                "--arg", "buf:8192", "--arg", "1", "--arg", "10", "--arg", "20");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern(
                        "\\[device-io\\] vmw_cursor_update_position\\+0x[0-9a-f]+: OUT port 0x1, 4 bytes: wrote 0xa \\(dropped\\)")
                .contains("hypercalls (0):").contains("findings: none");
    }
}
