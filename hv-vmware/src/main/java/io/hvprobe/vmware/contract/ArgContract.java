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
     * @param meaning   short text
     */
    public record ArgRole(long inputMask, boolean written, int width, String meaning) {
    }

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

    /** A copy with {@code argIndices} no longer inputs (e.g. cookies on a channel without cookies). */
    public ArgContract withoutInputs(String newKey, int... argIndices) {
        Map<Integer, ArgRole> copy = new TreeMap<>(args);
        for (int i : argIndices) {
            ArgRole r = copy.get(i);
            if (r != null) {
                if (r.written()) {
                    copy.put(i, new ArgRole(0, true, r.width(), r.meaning()));
                } else {
                    copy.remove(i);
                }
            }
        }
        return new ArgContract(newKey, bandwidth, description, copy);
    }
}
