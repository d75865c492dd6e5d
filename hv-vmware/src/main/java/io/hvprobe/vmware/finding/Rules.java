package io.hvprobe.vmware.finding;

import io.hvprobe.spi.Severity;

import java.util.Map;

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
            Map.entry(INPUT_UPPER_BITS, Severity.WARNING),
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

    /** Every rule id with its default severity. */
    public static Map<String, Severity> defaults() {
        return DEFAULTS;
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
