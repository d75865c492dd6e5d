package io.hvprobe.vmware;

import io.hvprobe.arch.GuestRegister;
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
import io.hvprobe.vmware.entry.ArgRegisters;
import io.hvprobe.vmware.entry.BackdoorCall;
import io.hvprobe.vmware.entry.Bandwidth;
import io.hvprobe.vmware.entry.Direction;
import io.hvprobe.vmware.entry.EntryPath;
import io.hvprobe.vmware.finding.Findings;
import io.hvprobe.vmware.finding.Rules;
import io.hvprobe.vmware.profile.HbSemantics;
import io.hvprobe.vmware.profile.VmwareProfile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.hvprobe.vmware.finding.Findings.hex;

/**
 * Turns a {@link CommandReply} into a {@link TrapOutcome.Handled}: maps argument writes to the
 * path's registers, adds the path's own effects (TDX status registers, architectural HB), attaches
 * the register contract, checks that every write is one the contract declares, and adds
 * ignored-input-bits findings and profile severity overrides.
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
        /** The same key without hashing the argument contract: a loop repeats one command with one object. */
        boolean sameAs(ArgContract c, EntryPath p, Direction d, boolean a32) {
            return contract == c && path == p && direction == d && addr32 == a32;
        }
    }

    /** The last key looked up and its contract. */
    private ContractKey lastKey;
    private RegisterContract lastContract;

    OutcomeAssembler(VmwareProfile profile) {
        this.profile = profile;
    }

    /**
     * The last answer assembled from a reply without call-dependent parts, and what it was assembled from: a loop
     * repeating a pure command (GETVERSION) gets the same answer object back, which also lets the hypercall log
     * recognise it by identity.
     */
    private CommandReply lastReply;
    private ArgRegisters lastRegisters;
    private TrapOutcome.Handled lastAnswer;
    /** The ignorable inputs of the last reply's argument contract. */
    private IgnorableInputs lastInputs;

    TrapOutcome.Handled assemble(BackdoorCall call, CommandReply reply, List<Finding> entryFindings,
                                 List<MemoryWrite> extraMemory) {
        boolean addr32 = call.addressMask() == 0xFFFF_FFFFL;
        RegisterContract contract;
        if (lastKey != null && lastKey.sameAs(reply.contract(), call.path(), call.direction(), addr32)) {
            contract = lastContract;
        } else {
            lastKey = new ContractKey(reply.contract(), call.path(), call.direction(), addr32);
            contract = contracts.computeIfAbsent(lastKey,
                    k -> ContractMapper.map(k.contract(), k.path(), k.direction(), profile, k.addr32()));
            lastContract = contract;
            lastReply = null; // another contract: the kept answer was assembled under the previous one
        }
        boolean architecturalHb = call.bandwidth() == Bandwidth.HB && call.path() == EntryPath.IO_PORT
                && reply.contract().bandwidth() == ArgContract.Kind.HB
                && profile.entry().hbSemantics() == HbSemantics.ARCHITECTURAL;
        List<Finding> ignored = ignoredInputBits(reply, call);
        // The answer depends on the call only through its entry findings, extra memory writes, the pointer walk
        // of an architectural HB transfer and the ignored input bits; without them the same reply gives the same
        // answer.
        boolean reusable = !architecturalHb && entryFindings.isEmpty() && extraMemory.isEmpty() && ignored.isEmpty();
        if (reusable && reply == lastReply && call.argRegisters() == lastRegisters) {
            return lastAnswer;
        }
        List<RegisterWrite> writes = new ArrayList<>(reply.writes().size() + 2);
        for (ArgWrite w : reply.writes()) {
            Optional<GuestRegister> r = call.register(w.arg());
            if (r.isEmpty()) { // checked here, not by orElseThrow: its message lambda would be an object per write
                throw new IllegalStateException(
                        reply.command() + " writes arg" + w.arg() + ", which " + call.path() + " does not have");
            }
            writes.add(new RegisterWrite(r.get(), w.width(), w.value()));
        }
        if (call.path() == EntryPath.TDCALL) {
            writes.add(RegisterWrite.w64(X86Register.RAX, 0));
            writes.add(RegisterWrite.w64(X86Register.R10, 0));
        }
        if (architecturalHb) {
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
        if (!ignored.isEmpty()) {
            Set<String> named = new HashSet<>();
            findings.forEach(f -> named.add(f.evidence().getOrDefault("register", "")));
            for (Finding f : ignored) {
                // Already the subject of a finding (e.g. ECX[31:16] of an unknown sub-command): not noise.
                if (!named.contains(f.evidence().get("register"))) {
                    findings.add(f);
                }
            }
        }
        List<MemoryWrite> memory = reply.memoryWrites();
        if (!extraMemory.isEmpty()) {
            memory = new ArrayList<>(memory);
            memory.addAll(extraMemory);
        }
        TrapOutcome.Handled answer = new TrapOutcome.Handled(reply.command(), writes, memory,
                withSeverities(findings), Optional.of(contract), reply.summary(), reply.step());
        if (reusable) {
            lastReply = reply;
            lastRegisters = call.argRegisters();
            lastAnswer = answer;
        }
        return answer;
    }

    /**
     * Names the register a protocol finding is about, on this call's entry path, when the handler did not:
     * reports and the samples manifest match findings by rule and register.
     */
    static Finding withRegister(Finding f, BackdoorCall call) {
        if (f.evidence().containsKey("register")) {
            return f;
        }
        int arg = switch (Rules.byId(f.ruleId())) {
            case RPC_SEQUENCE, RPC_LENGTH_MISMATCH, COMMAND_UNKNOWN, BALLOON_PROTOCOL, SUBCOMMAND_UNKNOWN -> 2;
            case RPC_OVERSIZE -> 1;
            case RPC_BAD_CHANNEL -> 3;      // the channel id is EDX[31:16]
            // the cookie-high register: ESI for LB and HB-in, EBP for HB-out
            case RPC_BAD_COOKIE -> call.bandwidth() == Bandwidth.HB && call.direction() == Direction.OUT ? 6 : 4;
            case MAGIC_WRONG, PORT_WRONG, IO_SIZE, HB_FLAGS, HYPERCALL_NOT_ADVERTISED, COMMAND_UNMODELLED,
                 INPUT_UPPER_BITS, ARGUMENT_INVALID, ARM64_DESCRIPTOR, TDX_ARGS, HB_UNSUPPORTED -> -1;
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

    /**
     * Input bits the command does not read and the ABI lets the guest leave anything in ({@link
     * ArgContract#ignoredBits}): a note by default. A register whose lost bits include others (a truncated wide
     * value, a balloon input) gets no finding here: the verifier's {@code hvprobe.input-truncated} reports it.
     */
    private List<Finding> ignoredInputBits(CommandReply reply, BackdoorCall call) {
        if (lastInputs == null || lastInputs.contract() != reply.contract()) {
            lastInputs = IgnorableInputs.of(reply.contract());
        }
        return ignoredInputBits(reply.command(), lastInputs, call);
    }

    private static List<Finding> ignoredInputBits(String command, IgnorableInputs inputs, BackdoorCall call) {
        List<Finding> findings = List.of(); // no list per call where nothing is ignored (the usual case)
        List<GuestRegister> registers = call.argRegisters().all();
        for (int k = 0; k < inputs.args().length; k++) {
            int arg = inputs.args()[k];
            if (arg >= registers.size()) {
                continue;
            }
            GuestRegister reg = registers.get(arg);
            long value = call.registers().get(reg);
            long lost = value & ~inputs.inputMasks()[k];
            if (lost == 0 || (lost & ~inputs.ignorable()[k]) != 0) {
                continue;
            }
            String name = reg.displayName();
            if (findings.isEmpty()) {
                findings = new ArrayList<>();
            }
            findings.add(Findings.of(Rules.INPUT_UPPER_BITS, "bits " + ranges(lost) + " of " + name + " ("
                    + hex(lost) + ") are ignored: " + command + " reads only " + hex(inputs.inputMasks()[k]) + " of "
                    + name + ", and the ABI lets a guest leave anything in the rest", "register", name,
                    "ignored-bits", hex(lost), "value", hex(value)));
        }
        return findings;
    }

    /**
     * The inputs of {@code contract} with {@linkplain ArgContract#ignoredBits ignorable bits}, in argument order, as
     * arrays: checked on every call, built once per contract object.
     */
    private record IgnorableInputs(ArgContract contract, int[] args, long[] inputMasks, long[] ignorable) {
        static IgnorableInputs of(ArgContract contract) {
            List<Integer> args = new ArrayList<>();
            contract.args().forEach((arg, role) -> {
                if (contract.ignoredBits(arg) != 0) {
                    args.add(arg);
                }
            });
            int[] a = new int[args.size()];
            long[] masks = new long[a.length];
            long[] ignorable = new long[a.length];
            for (int k = 0; k < a.length; k++) {
                a[k] = args.get(k);
                masks[k] = contract.args().get(a[k]).inputMask();
                ignorable[k] = contract.ignoredBits(a[k]);
            }
            return new IgnorableInputs(contract, a, masks, ignorable);
        }
    }

    /** {@code 63:32}, {@code 31:16} or both: the ranges {@link ArgContract#ignoredBits} can hold. */
    private static String ranges(long lost) {
        boolean upper = (lost >>> 32) != 0;
        boolean highWord = (lost & 0xFFFF_FFFFL) != 0;
        return upper && highWord ? "63:32 and 31:16" : upper ? "63:32" : "31:16";
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
