package io.hvprobe.manifest;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One expected backdoor call (docs/samples.md, "Hypercall entries"). Keys the manifest does not give are
 * not checked.
 *
 * @param command name from the sheet's catalogue, {@code HB-OUT}/{@code HB-IN}, {@code BALLOON_*},
 *                {@code UNKNOWN} or {@code NONE}
 * @param number  command number (ECX[15:0] / X2[15:0]; the balloon command)
 * @param sub     sub-command (ECX[31:16])
 * @param inputs  arg1..arg6 by index (low 32 bits; arg3 compares bits 31:16)
 * @param outputs out0..out5 by index (low 32 bits)
 * @param form    the trap form when it differs from the object's variant ({@code VMCALL}, {@code TDCALL})
 * @param port    raw port of an IN/OUT
 * @param dx      raw EDX (low 32 bits)
 * @param x7      raw X7 (64 bits)
 * @param magic   raw magic register (low 32 bits)
 */
public record HypercallExpectation(String command, OptionalLong number, OptionalLong sub, Map<Integer, Value> inputs,
                                   Map<Integer, Value> outputs, Optional<String> form, OptionalLong port,
                                   OptionalLong dx, OptionalLong x7, OptionalLong magic) {
    public HypercallExpectation {
        inputs = java.util.Collections.unmodifiableMap(new TreeMap<>(inputs));
        outputs = java.util.Collections.unmodifiableMap(new TreeMap<>(outputs));
    }

    /** Whether this is a high-bandwidth MESSAGE transfer. */
    public boolean highBandwidth() {
        return command.equals("HB-OUT") || command.equals("HB-IN");
    }

    /** A short label: {@code MESSAGE.OPEN}, {@code GETVERSION}, {@code HB-OUT}. */
    public String label() {
        if (sub.isPresent() && command.equals("MESSAGE")) {
            return command + "." + Subcommands.messageName(sub.getAsLong());
        }
        return command;
    }
}
