package io.hvprobe.cli;

import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.Hypervisors;
import io.hvprobe.trap.TrapEncoding;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The static rule by which {@code check} lists an object instead of running it: every trap site it holds is port
 * I/O that no hypervisor model can answer as a hypercall, so no run of it could make one. A site qualifies when
 * <ul>
 *   <li>its port is an immediate ({@code in al, 0x61}) that is not a model's hypercall port — the instruction
 *       itself names the port; or</li>
 *   <li>its port is in DX and the object's bytes (every section, code and data, as compiled) nowhere hold a value a
 *       model needs in a register to answer port I/O ({@link Hypervisor#hypercallMagics()}: the VMware backdoor's
 *       0x564D5868, the balloon's 0x456C6D6F) — without it the model answers nothing on any port.</li>
 * </ul>
 * A DX port found statically ({@code StaticPorts}) counts one way only: a hypercall port found there makes the site
 * a hypercall site (as {@code scan} lists it), any other port found there is not trusted (the search looks through
 * joins), so the magic decides. What the rule assumes: a magic is a constant of the object (an immediate or data), not
 * computed from parts or passed in by another object; an object checked with {@code --lib} is always run, and
 * {@code check --deep} runs every object whatever its sites.
 */
final class DeviceIoOnly {
    private final Set<Integer> hypercallPorts = new HashSet<>();
    private final List<byte[]> magics;

    /** The rule for the models found by ServiceLoader. */
    DeviceIoOnly() {
        this(Hypervisors.all());
    }

    DeviceIoOnly(List<Hypervisor> models) {
        Set<Long> values = new HashSet<>();
        for (Hypervisor h : models) {
            hypercallPorts.addAll(h.hypercallPorts());
            values.addAll(h.hypercallMagics());
        }
        magics = values.stream().sorted().map(DeviceIoOnly::littleEndian).toList();
    }

    /**
     * Whether {@code sites}, all the trap sites of the object whose file bytes are {@code object}, are device I/O
     * only (an object without sites is not: it has nothing to list).
     */
    boolean holds(List<StaticSites.Site> sites, byte[] object) {
        if (sites.isEmpty()) {
            return false;
        }
        boolean portInDx = false;
        for (StaticSites.Site s : sites) {
            if (!(s.site().encoding() instanceof TrapEncoding.PortIo io) || !s.deviceIo()) {
                return false; // not port I/O, or a port a model answers on (as an immediate or found statically)
            }
            if (io.immediatePort()) {
                if (hypercallPorts.contains(io.port())) {
                    return false;
                }
            } else {
                portInDx = true;
            }
        }
        return !portInDx || magics.stream().noneMatch(m -> contains(object, m));
    }

    private static byte[] littleEndian(long value) {
        return new byte[]{(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
