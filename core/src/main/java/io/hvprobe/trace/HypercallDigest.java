package io.hvprobe.trace;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.spi.TrapOutcome;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One hypercall decoded for people: what was asked (the registers the command's contract reads, with their
 * values), who answered, and what changed (registers whose value differs after the answer, hypervisor memory
 * writes).
 *
 * @param sequence     position in the run's hypercall log
 * @param pc           the trap instruction's address
 * @param location     {@code symbol+0xNN} of the trap
 * @param form         the trap form
 * @param disassembly  the trap instruction's text
 * @param plugin       the plugin that answered, {@code ""} when none did
 * @param command      the decoded command (the form's name when unhandled)
 * @param summary      the plugin's one-line summary, {@code ""} when unhandled
 * @param contract     the register contract applied, when the plugin gave one
 * @param inputs       the contract's input registers with their full values before the trap, in contract order;
 *                     without a contract the conventional hypercall registers (RAX..RDI, X0..X7)
 * @param changed      registers whose value differs after the trap (program counter excluded), in register order
 * @param memoryWrites guest memory the hypervisor wrote
 * @param findings     the plugin's findings for this call
 */
public record HypercallDigest(long sequence, long pc, String location, TrapForm form, String disassembly,
                              String plugin, String command, String summary, Optional<RegisterContract> contract,
                              Map<GuestRegister, Long> inputs, Map<GuestRegister, Long> changed,
                              List<MemoryWrite> memoryWrites, List<Finding> findings) {

    public HypercallDigest {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        changed = Collections.unmodifiableMap(new LinkedHashMap<>(changed));
        memoryWrites = List.copyOf(memoryWrites);
        findings = List.copyOf(findings);
    }

    /** Decodes {@code record}. */
    public static HypercallDigest of(HypercallRecord record) {
        RegisterSnapshot before = record.event().registers();
        Optional<RegisterContract> contract = record.outcome().flatMap(TrapOutcome.Handled::contract);
        Map<GuestRegister, Long> inputs = new LinkedHashMap<>();
        for (GuestRegister r : contract.map(k -> List.copyOf(k.inputs()))
                .orElseGet(() -> conventional(before.arch()))) {
            inputs.put(r, before.get(r));
        }
        Map<GuestRegister, Long> changed = before.changesTo(record.after());
        changed.remove(before.arch().programCounter());
        return new HypercallDigest(record.event().sequence(), record.event().pc(), record.event().location(),
                record.event().form(), record.event().disassembly(), record.plugin().orElse(""), record.command(),
                record.outcome().map(TrapOutcome.Handled::summary).orElse(""), contract, inputs, changed,
                record.outcome().map(TrapOutcome.Handled::memoryWrites).orElse(List.of()), record.findings());
    }

    /** Whether a plugin answered. */
    public boolean handled() {
        return !plugin.isEmpty();
    }

    /**
     * The inputs as the hypervisor sees them: each value masked by the contract's input mask (unmasked without
     * a contract). Two calls with equal masked inputs ask the hypervisor the same thing.
     */
    public Map<GuestRegister, Long> maskedInputs() {
        Map<GuestRegister, Long> masked = new LinkedHashMap<>();
        inputs.forEach((r, v) -> masked.put(r, contract.map(k -> v & k.role(r).inputMask()).orElse(v)));
        return masked;
    }

    private static List<GuestRegister> conventional(Arch arch) {
        return arch == Arch.X86_64
                ? List.of(X86Register.RAX, X86Register.RBX, X86Register.RCX, X86Register.RDX, X86Register.RSI,
                X86Register.RDI)
                : List.copyOf(arch.registers().subList(0, 8));
    }
}
