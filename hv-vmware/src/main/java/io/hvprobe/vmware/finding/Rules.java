package io.hvprobe.vmware.finding;

import io.hvprobe.spi.CatalogueRule;
import io.hvprobe.spi.Dependency;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The finding rules of the VMware model (docs/RULES.md, "VMware model"): the one place for each rule's stable id,
 * default severity, what its findings rest on and its one-sentence description.
 *
 * <p>"Rests on" is what a rule's findings rest on besides the code (docs/verifier.md, "Invented inputs"): a value
 * the guest passed at the trap, named by the evidence key {@code register}. Rules about the instruction form hold
 * whatever the inputs. Findings about protocol state add {@link Dependency#PROTOCOL_STATE} where the model knows
 * the state came from before the session (no START, a channel this session never opened).
 */
public enum Rules implements CatalogueRule {
    MAGIC_WRONG("vmware.magic-wrong", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "EAX/X0/R12 does not hold the backdoor magic 0x564D5868"),
    PORT_WRONG("vmware.port-wrong", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "wrong port for the instruction form (LB instruction on the HB port or vice versa, "
                    + "unknown port with the magic)"),
    IO_SIZE("vmware.io-size", Severity.WARNING, Set.of(Dependency.INPUT_VALUES),
            "an 8/16-bit access on a backdoor port (not a backdoor call)"),
    HB_FLAGS("vmware.hb-flags", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "VMCALL/VMMCALL DX low-word flags inconsistent with the operation, or reserved bits "
                    + "set"),
    HYPERCALL_NOT_ADVERTISED("vmware.hypercall-not-advertised", Severity.ERROR, Set.of(),
            "VMCALL/VMMCALL/TDCALL used while the profile's CPUID does not "
                    + "advertise it"),
    COMMAND_UNKNOWN("vmware.command-unknown", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "command number not in the catalogue (answered as VMware does)"),
    COMMAND_UNMODELLED("vmware.command-unmodelled", Severity.NOTE, Set.of(Dependency.INPUT_VALUES),
            "a command VMware defines but the active profile does not model (uncertain "
                    + "semantics, retired, or not implemented by the profile, e.g. MESSAGE under qemu-vmport); "
                    + "answered as an unknown command"),
    SUBCOMMAND_UNKNOWN("vmware.subcommand-unknown", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "sub-command (ECX[31:16]) not defined for the command"),
    INPUT_UPPER_BITS("vmware.input-upper-bits", Severity.NOTE, Set.of(Dependency.INPUT_VALUES),
            "an input holds bits the ABI lets the guest leave anything in and the "
                    + "hypervisor ignores: bits 63:32 of a 32-bit backdoor input, ECX[31:16] of a command without "
                    + "sub-command, EDX[31:16] of a command without in3 (open-vm-tools leaves stack garbage there; its "
                    + "VmCheck sets ECX[31:16] = 0xFFFF); raise it with severity.vmware.input-upper-bits"),
    ARGUMENT_INVALID("vmware.argument-invalid", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "a command argument is out of range or unusable (misaligned/unmapped "
                    + "STEALCLOCK area, vmmouse DATA count, unknown GuestRPC protocol, unreadable HB buffer, "
                    + "oversized balloon batch, DF set for HB)"),
    ARM64_DESCRIPTOR("vmware.arm64-descriptor", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "the X7/W7 I/O descriptor is invalid or does not match the trap form"),
    TDX_ARGS("vmware.tdx-args", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "TDCALL register set-up wrong (R10 leaf, R11 function, RDX[15:0] != 0, command outside "
                    + "the TDX mask)"),
    HB_UNSUPPORTED("vmware.hb-unsupported", Severity.ERROR, Set.of(),
            "high-bandwidth transfer where the profile or entry path has none (e.g. TDX, "
                    + "qemu-vmport)"),
    RPC_BAD_CHANNEL("vmware.rpc-bad-channel", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "GuestRPC call on a channel id that is not open"),
    RPC_BAD_COOKIE("vmware.rpc-bad-cookie", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "GuestRPC cookies do not match the channel's"),
    RPC_SEQUENCE("vmware.rpc-sequence", Severity.ERROR, Set.of(),
            "GuestRPC step out of order (payload before size, receive without a pending "
                    + "reply, ...)"),
    RPC_OVERSIZE("vmware.rpc-oversize", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "a guest-declared size above the configured limit (refused, never allocated)"),
    RPC_LENGTH_MISMATCH("vmware.rpc-length-mismatch", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "HB transfer length differs from the announced size"),
    BALLOON_PROTOCOL("vmware.balloon-protocol", Severity.ERROR, Set.of(),
            "balloon command without the capability it needs, or out of order");

    private final RuleDescriptor descriptor;

    Rules(String id, Severity defaultSeverity, Set<Dependency> restsOn, String description) {
        this.descriptor = new RuleDescriptor(id, defaultSeverity, description, restsOn);
    }

    @Override
    public RuleDescriptor descriptor() {
        return descriptor;
    }

    /** Every rule as report metadata, sorted by id. */
    public static List<RuleDescriptor> descriptors() {
        return Arrays.stream(values()).sorted(Comparator.comparing(Rules::id)).map(Rules::descriptor).toList();
    }

    /**
     * The rule with {@code id}.
     *
     * @throws IllegalArgumentException if no VMware rule has that id
     */
    public static Rules byId(String id) {
        return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a VMware rule id: " + id));
    }
}
