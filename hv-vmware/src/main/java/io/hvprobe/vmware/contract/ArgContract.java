package io.hvprobe.vmware.contract;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The register contract of one command (or sub-command, or variant) in terms of backdoor arguments
 * arg0..arg6, independent of the entry path. {@link ContractMapper} turns it into an
 * {@link io.hvprobe.spi.RegisterContract} for a concrete path.
 *
 * @param key         unique key, e.g. {@code GETVERSION} or {@code MESSAGE.OPEN}
 * @param bandwidth   {@code LB}, {@code HB} or {@code BALLOON} (which register set the path adds)
 * @param description one sentence
 * @param args        role of each argument that is an input or an output
 */
public record ArgContract(String key, Kind bandwidth, String description, Map<Integer, ArgRole> args) {

    /** Which family of call the contract describes. */
    public enum Kind {
        /** Low-bandwidth backdoor command. */
        LB,
        /** High-bandwidth backdoor transfer. */
        HB,
        /** Balloon port command. */
        BALLOON
    }

    /**
     * One argument's role.
     *
     * @param inputMask bits the hypervisor reads (0 = not an input)
     * @param written   whether the hypervisor writes it
     * @param width     write width (32 zero-extends, 64 full) when written
     * @param wideValue whether the input is (part of) a value that can be wider than {@code inputMask} — a PPN, a
     *                  half of a 64-bit time or address, a count with reserved bits above it — so that set bits
     *                  outside the mask are a value the hypervisor truncates, not garbage the ABI lets it ignore
     * @param meaning   short text
     */
    public record ArgRole(long inputMask, boolean written, int width, boolean wideValue, String meaning) {
    }

    /** arg2: the command word (ECX), arg3: the port / flags word (EDX). */
    private static final int ARG_COMMAND = 2;
    private static final int ARG_PORT = 3;
    /** Bits 63:32: a 32-bit input's upper half. */
    private static final long UPPER_HALF = 0xFFFF_FFFF_0000_0000L;
    /** Bits 31:16 of ECX (sub-command) and EDX (in3). */
    private static final long HIGH_WORD = 0xFFFF_0000L;

    public ArgContract {
        args = Collections.unmodifiableMap(new TreeMap<>(args));
    }

    /** Arg indices the hypervisor writes. */
    public java.util.Set<Integer> writtenArgs() {
        java.util.Set<Integer> w = new java.util.TreeSet<>();
        args.forEach((i, r) -> {
            if (r.written()) {
                w.add(i);
            }
        });
        return w;
    }

    /**
     * The bits of input {@code arg} outside its input mask that the ABI says the hypervisor ignores, so that a
     * guest may leave anything there (spec §2.3, §9.1, §9.19): bits 63:32 of every backdoor input (open-vm-tools
     * loads its register unions' stack garbage there), and ECX[31:16] / EDX[31:16] where the command has no
     * sub-command / no in3 (open-vm-tools' VmCheck sets ECX[31:16] = 0xFFFF; its wrappers set only DX[15:0]).
     * None for the balloon protocol (RBX carries 64-bit values there, spec §6) and none for a
     * {@linkplain ArgRole#wideValue() wide value}: set bits outside those masks are a truncation.
     */
    public long ignoredBits(int arg) {
        ArgRole r = args.get(arg);
        if (r == null || r.inputMask() == 0 || r.wideValue() || bandwidth == Kind.BALLOON) {
            return 0;
        }
        long ignored = UPPER_HALF;
        if (arg == ARG_COMMAND || arg == ARG_PORT) {
            ignored |= HIGH_WORD;
        }
        return ignored & ~r.inputMask();
    }

    /** A copy with {@code argIndices} no longer inputs (e.g. cookies on a channel without cookies). */
    public ArgContract withoutInputs(String newKey, int... argIndices) {
        Map<Integer, ArgRole> copy = new TreeMap<>(args);
        for (int i : argIndices) {
            ArgRole r = copy.get(i);
            if (r != null) {
                if (r.written()) {
                    copy.put(i, new ArgRole(0, true, r.width(), false, r.meaning()));
                } else {
                    copy.remove(i);
                }
            }
        }
        return new ArgContract(newKey, bandwidth, description, copy);
    }
}
