package io.hvprobe.vmware.finding;

import io.hvprobe.spi.Dependency;
import io.hvprobe.spi.Severity;

import java.util.Map;
import java.util.Set;

/** The stable finding rule ids of the VMware model (docs/RULES.md) and their default severities. */
public final class Rules {
    private Rules() {
    }

    public static final String MAGIC_WRONG = "vmware.magic-wrong";
    public static final String PORT_WRONG = "vmware.port-wrong";
    public static final String IO_SIZE = "vmware.io-size";
    public static final String HB_FLAGS = "vmware.hb-flags";
    public static final String HYPERCALL_NOT_ADVERTISED = "vmware.hypercall-not-advertised";
    public static final String COMMAND_UNKNOWN = "vmware.command-unknown";
    public static final String COMMAND_UNMODELLED = "vmware.command-unmodelled";
    public static final String SUBCOMMAND_UNKNOWN = "vmware.subcommand-unknown";
    public static final String INPUT_UPPER_BITS = "vmware.input-upper-bits";
    public static final String ARGUMENT_INVALID = "vmware.argument-invalid";
    public static final String ARM64_DESCRIPTOR = "vmware.arm64-descriptor";
    public static final String TDX_ARGS = "vmware.tdx-args";
    public static final String HB_UNSUPPORTED = "vmware.hb-unsupported";
    public static final String RPC_BAD_CHANNEL = "vmware.rpc-bad-channel";
    public static final String RPC_BAD_COOKIE = "vmware.rpc-bad-cookie";
    public static final String RPC_SEQUENCE = "vmware.rpc-sequence";
    public static final String RPC_OVERSIZE = "vmware.rpc-oversize";
    public static final String RPC_LENGTH_MISMATCH = "vmware.rpc-length-mismatch";
    public static final String BALLOON_PROTOCOL = "vmware.balloon-protocol";

    private static final Map<String, Severity> DEFAULTS = Map.ofEntries(
            Map.entry(MAGIC_WRONG, Severity.ERROR),
            Map.entry(PORT_WRONG, Severity.ERROR),
            Map.entry(IO_SIZE, Severity.WARNING),
            Map.entry(HB_FLAGS, Severity.ERROR),
            Map.entry(HYPERCALL_NOT_ADVERTISED, Severity.ERROR),
            Map.entry(COMMAND_UNKNOWN, Severity.ERROR),
            Map.entry(COMMAND_UNMODELLED, Severity.NOTE),
            Map.entry(SUBCOMMAND_UNKNOWN, Severity.ERROR),
            Map.entry(INPUT_UPPER_BITS, Severity.NOTE),
            Map.entry(ARGUMENT_INVALID, Severity.ERROR),
            Map.entry(ARM64_DESCRIPTOR, Severity.ERROR),
            Map.entry(TDX_ARGS, Severity.ERROR),
            Map.entry(HB_UNSUPPORTED, Severity.ERROR),
            Map.entry(RPC_BAD_CHANNEL, Severity.ERROR),
            Map.entry(RPC_BAD_COOKIE, Severity.ERROR),
            Map.entry(RPC_SEQUENCE, Severity.ERROR),
            Map.entry(RPC_OVERSIZE, Severity.ERROR),
            Map.entry(RPC_LENGTH_MISMATCH, Severity.ERROR),
            Map.entry(BALLOON_PROTOCOL, Severity.ERROR));

    /**
     * What a rule's findings rest on besides the code (docs/verifier.md, "Invented inputs"): a value the guest
     * passed at the trap, named by the evidence key {@code register}. Rules about the instruction form hold
     * whatever the inputs. Findings about protocol state add {@link Dependency#PROTOCOL_STATE} where the model
     * knows the state came from before the session (no START, a channel this session never opened).
     */
    private static final Map<String, Set<Dependency>> DEPENDENCIES = Map.ofEntries(
            Map.entry(MAGIC_WRONG, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(PORT_WRONG, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(IO_SIZE, Set.of()),
            Map.entry(HB_FLAGS, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(HYPERCALL_NOT_ADVERTISED, Set.of()),
            Map.entry(COMMAND_UNKNOWN, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(COMMAND_UNMODELLED, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(SUBCOMMAND_UNKNOWN, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(INPUT_UPPER_BITS, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(ARGUMENT_INVALID, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(ARM64_DESCRIPTOR, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(TDX_ARGS, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(HB_UNSUPPORTED, Set.of()),
            Map.entry(RPC_BAD_CHANNEL, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(RPC_BAD_COOKIE, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(RPC_SEQUENCE, Set.of()),
            Map.entry(RPC_OVERSIZE, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(RPC_LENGTH_MISMATCH, Set.of(Dependency.INPUT_VALUES)),
            Map.entry(BALLOON_PROTOCOL, Set.of()));

    /** One sentence per rule, as in docs/RULES.md. */
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(MAGIC_WRONG, "EAX/X0/R12 does not hold the backdoor magic 0x564D5868"),
            Map.entry(PORT_WRONG, "wrong port for the instruction form (LB instruction on the HB port or vice versa, "
                    + "unknown port with the magic)"),
            Map.entry(IO_SIZE, "an 8/16-bit access on a backdoor port (not a backdoor call)"),
            Map.entry(HB_FLAGS, "VMCALL/VMMCALL DX low-word flags inconsistent with the operation, or reserved bits "
                    + "set"),
            Map.entry(HYPERCALL_NOT_ADVERTISED, "VMCALL/VMMCALL/TDCALL used while the profile's CPUID does not "
                    + "advertise it"),
            Map.entry(COMMAND_UNKNOWN, "command number not in the catalogue (answered as VMware does)"),
            Map.entry(COMMAND_UNMODELLED, "a command VMware defines but the active profile does not model (uncertain "
                    + "semantics, retired, or not implemented by the profile, e.g. MESSAGE under qemu-vmport); "
                    + "answered as an unknown command"),
            Map.entry(SUBCOMMAND_UNKNOWN, "sub-command (ECX[31:16]) not defined for the command"),
            Map.entry(INPUT_UPPER_BITS, "an input holds bits the ABI lets the guest leave anything in and the "
                    + "hypervisor ignores: bits 63:32 of a 32-bit backdoor input, ECX[31:16] of a command without "
                    + "sub-command, EDX[31:16] of a command without in3 (open-vm-tools leaves stack garbage there; its "
                    + "VmCheck sets ECX[31:16] = 0xFFFF); raise it with severity.vmware.input-upper-bits"),
            Map.entry(ARGUMENT_INVALID, "a command argument is out of range or unusable (misaligned/unmapped "
                    + "STEALCLOCK area, vmmouse DATA count, unknown GuestRPC protocol, unreadable HB buffer, "
                    + "oversized balloon batch, DF set for HB)"),
            Map.entry(ARM64_DESCRIPTOR, "the X7/W7 I/O descriptor is invalid or does not match the trap form"),
            Map.entry(TDX_ARGS, "TDCALL register set-up wrong (R10 leaf, R11 function, RDX[15:0] != 0, command outside "
                    + "the TDX mask)"),
            Map.entry(HB_UNSUPPORTED, "high-bandwidth transfer where the profile or entry path has none (e.g. TDX, "
                    + "qemu-vmport)"),
            Map.entry(RPC_BAD_CHANNEL, "GuestRPC call on a channel id that is not open"),
            Map.entry(RPC_BAD_COOKIE, "GuestRPC cookies do not match the channel's"),
            Map.entry(RPC_SEQUENCE, "GuestRPC step out of order (payload before size, receive without a pending "
                    + "reply, ...)"),
            Map.entry(RPC_OVERSIZE, "a guest-declared size above the configured limit (refused, never allocated)"),
            Map.entry(RPC_LENGTH_MISMATCH, "HB transfer length differs from the announced size"),
            Map.entry(BALLOON_PROTOCOL, "balloon command without the capability it needs, or out of order"));

    /** Every rule with its default severity and description (SARIF rule metadata). */
    public static java.util.List<io.hvprobe.spi.RuleDescriptor> descriptors() {
        return new java.util.TreeMap<>(DEFAULTS).entrySet().stream()
                .map(e -> new io.hvprobe.spi.RuleDescriptor(e.getKey(), e.getValue(), DESCRIPTIONS.get(e.getKey())))
                .toList();
    }

    /** Every rule id with its default severity. */
    public static Map<String, Severity> defaults() {
        return DEFAULTS;
    }

    /** What findings of {@code ruleId} rest on besides the code, before the model adds what it knows. */
    public static Set<Dependency> dependencies(String ruleId) {
        defaultSeverity(ruleId);
        return DEPENDENCIES.get(ruleId);
    }

    /** The default severity of {@code ruleId}. */
    public static Severity defaultSeverity(String ruleId) {
        Severity s = DEFAULTS.get(ruleId);
        if (s == null) {
            throw new IllegalArgumentException("not a VMware rule id: " + ruleId);
        }
        return s;
    }
}
