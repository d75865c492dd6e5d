package io.hvprobe.vmware;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.command.ArgWrite;
import io.hvprobe.vmware.command.CommandReply;
import io.hvprobe.vmware.contract.ArgContract;
import io.hvprobe.vmware.contract.ContractMapper;
import io.hvprobe.vmware.entry.BackdoorCall;
import io.hvprobe.vmware.entry.Bandwidth;
import io.hvprobe.vmware.entry.Direction;
import io.hvprobe.vmware.entry.EntryPath;
import io.hvprobe.vmware.finding.Findings;
import io.hvprobe.vmware.finding.Rules;
import io.hvprobe.vmware.profile.HbSemantics;
import io.hvprobe.vmware.profile.VmwareProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.hvprobe.vmware.finding.Findings.hex;

/**
 * Turns a {@link CommandReply} into a {@link TrapOutcome.Handled}: maps argument writes to the
 * path's registers, adds the path's own effects (TDX status registers, architectural HB), attaches
 * the register contract, checks that every write is one the contract declares, and adds
 * input-upper-bits findings and profile severity overrides.
 */
final class OutcomeAssembler {
    /** RFLAGS.DF. */
    private static final long DIRECTION_FLAG = 1L << 10;

    private final VmwareProfile profile;
    /**
     * Mapped contracts, shared by every call with the same key: each hypercall record keeps its contract, and a
     * loop of 100000 traps should not hold 100000 equal copies.
     */
    private final Map<ContractKey, RegisterContract> contracts = new java.util.HashMap<>();

    private record ContractKey(ArgContract contract, EntryPath path, Direction direction, boolean addr32) {
    }

    OutcomeAssembler(VmwareProfile profile) {
        this.profile = profile;
    }

    TrapOutcome.Handled assemble(BackdoorCall call, CommandReply reply, List<Finding> entryFindings,
                                 List<MemoryWrite> extraMemory) {
        boolean addr32 = call.addressMask() == 0xFFFF_FFFFL;
        RegisterContract contract = contracts.computeIfAbsent(
                new ContractKey(reply.contract(), call.path(), call.direction(), addr32),
                k -> ContractMapper.map(k.contract(), k.path(), k.direction(), profile, k.addr32()));
        List<RegisterWrite> writes = new ArrayList<>();
        for (ArgWrite w : reply.writes()) {
            GuestRegister r = call.register(w.arg()).orElseThrow(() -> new IllegalStateException(
                    reply.command() + " writes arg" + w.arg() + ", which " + call.path() + " does not have"));
            writes.add(new RegisterWrite(r, w.width(), w.value()));
        }
        if (call.path() == EntryPath.TDCALL) {
            writes.add(RegisterWrite.w64(X86Register.RAX, 0));
            writes.add(RegisterWrite.w64(X86Register.R10, 0));
        }
        if (call.bandwidth() == Bandwidth.HB && call.path() == EntryPath.IO_PORT
                && reply.contract().bandwidth() == ArgContract.Kind.HB
                && profile.entry().hbSemantics() == HbSemantics.ARCHITECTURAL) {
            int width = addr32 ? 32 : 64;
            GuestRegister pointer = call.direction() == Direction.OUT ? X86Register.RSI : X86Register.RDI;
            // Like the string instruction itself: the pointer walks down when the guest left DF set.
            boolean descending = (call.registers().get(X86Register.RFLAGS) & DIRECTION_FLAG) != 0;
            long moved = descending ? -call.hbCount() : call.hbCount();
            writes.add(new RegisterWrite(X86Register.RCX, width, 0));
            writes.add(new RegisterWrite(pointer, width, call.registers().get(pointer) + moved));
        }
        checkAgainstContract(reply.command(), writes, contract);

        List<Finding> findings = new ArrayList<>(entryFindings);
        for (Finding f : reply.findings()) {
            findings.add(withRegister(f, call));
        }
        findings.addAll(upperBits(contract, call.registers()));
        List<MemoryWrite> memory = new ArrayList<>(reply.memoryWrites());
        memory.addAll(extraMemory);
        return new TrapOutcome.Handled(reply.command(), writes, memory, withSeverities(findings), Optional.of(contract),
                reply.summary());
    }

    /**
     * Names the register a protocol finding is about, on this call's entry path, when the handler did not:
     * reports and the samples manifest match findings by rule and register.
     */
    static Finding withRegister(Finding f, BackdoorCall call) {
        if (f.evidence().containsKey("register")) {
            return f;
        }
        int arg = switch (f.ruleId()) {
            case Rules.RPC_SEQUENCE, Rules.RPC_LENGTH_MISMATCH, Rules.COMMAND_UNKNOWN, Rules.BALLOON_PROTOCOL,
                 Rules.SUBCOMMAND_UNKNOWN -> 2;
            case Rules.RPC_OVERSIZE -> 1;
            case Rules.RPC_BAD_CHANNEL -> 3;      // the channel id is EDX[31:16]
            // the cookie-high register: ESI for LB and HB-in, EBP for HB-out
            case Rules.RPC_BAD_COOKIE -> call.bandwidth() == Bandwidth.HB && call.direction() == Direction.OUT ? 6 : 4;
            default -> -1;
        };
        Optional<GuestRegister> r = arg < 0 ? Optional.empty() : call.register(arg);
        if (r.isEmpty()) {
            return f;
        }
        java.util.Map<String, String> ev = new java.util.TreeMap<>(f.evidence());
        ev.put("register", r.get().displayName());
        return f.withEvidence(ev);
    }

    /** A model bug, not a guest problem: the handler wrote a register its contract does not declare. */
    static void checkAgainstContract(String command, List<RegisterWrite> writes, RegisterContract contract) {
        for (RegisterWrite w : writes) {
            if (contract.role(w.register()).effect() != RegisterContract.Effect.WRITTEN) {
                throw new IllegalStateException("model bug: " + command + " writes " + w.register().displayName()
                        + " but contract " + contract.command() + " does not declare it written");
            }
        }
    }

    private static List<Finding> upperBits(RegisterContract contract, RegisterSnapshot regs) {
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<GuestRegister, RegisterContract.Role> e : contract.roles().entrySet()) {
            long mask = e.getValue().inputMask();
            long value = regs.get(e.getKey());
            if (mask != 0 && (mask >>> 32) == 0 && (value >>> 32) != 0) {
                String name = e.getKey().displayName();
                findings.add(Findings.of(Rules.INPUT_UPPER_BITS, "bits 63:32 of " + name + " (" + hex(value >>> 32)
                        + ") are ignored: only the low 32 bits are an input", "register", name,
                        "ignored-bits", hex(value >>> 32), "value", hex(value)));
            }
        }
        return findings;
    }

    List<Finding> withSeverities(List<Finding> findings) {
        if (profile.severities().isEmpty()) {
            return findings;
        }
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            out.add(f.withSeverity(profile.severityOf(f.ruleId(), f.severity())));
        }
        return out;
    }
}
