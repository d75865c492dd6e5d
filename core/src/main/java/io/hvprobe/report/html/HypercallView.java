package io.hvprobe.report.html;

import io.hvprobe.spi.Finding;
import io.hvprobe.spi.ProtocolStep;
import io.hvprobe.spi.RegisterContract;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One hypercall of a run as a page shows it (the caller decodes the run's log into these).
 *
 * @param sequence position in the run's hypercall log
 * @param location {@code symbol+0xNN} of the trap
 * @param form     the trap form, e.g. {@code IN}
 * @param command  the decoded command, e.g. {@code MESSAGE.OPEN}
 * @param plugin   the plugin that answered, {@code ""} when none did
 * @param summary  the plugin's one-line summary (channel, sizes, status …), {@code ""} when unhandled
 * @param inputs   register name → value (hex) the hypervisor read, in contract order
 * @param changed  register name → value (hex) after the answer, for those that changed
 * @param contract the register contract applied, when the plugin gave one
 * @param findings the plugin's findings for this call
 * @param step     the call's step in a protocol exchange (a GuestRPC message), when the plugin told one
 */
public record HypercallView(long sequence, String location, String form, String command, String plugin,
                            String summary, Map<String, String> inputs, Map<String, String> changed,
                            Optional<RegisterContract> contract, List<Finding> findings, Optional<ProtocolStep> step) {
    public HypercallView {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        changed = Collections.unmodifiableMap(new LinkedHashMap<>(changed));
        findings = List.copyOf(findings);
        java.util.Objects.requireNonNull(step);
    }

    /** {@code channel=0 size=20}, or {@code -}: a step's request or reply facts in one line. */
    static String facts(Map<String, String> facts) {
        return registers(facts);
    }

    /** {@code rax=0x564d5868 rbx=0x0}, or {@code -}. */
    static String registers(Map<String, String> regs) {
        StringBuilder b = new StringBuilder();
        regs.forEach((r, v) -> b.append(b.isEmpty() ? "" : " ").append(r).append('=').append(v));
        return b.isEmpty() ? "-" : b.toString();
    }
}
