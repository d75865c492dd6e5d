package io.hvprobe.trap;

import io.hvprobe.spi.TrapForm;

import java.util.Arrays;

/**
 * Xen's forced-emulation prefix: {@code ud2} followed by the bytes {@code "xen"} before an instruction (here
 * {@code CPUID}). A Xen PV guest cannot have CPUID trapped, so Xen decodes the whole sequence on the #UD and
 * emulates the CPUID; every other hypervisor (and bare metal) raises #UD at the {@code ud2}, which Linux turns
 * into SIGILL. open-vm-tools' {@code Hostinfo_TouchXen} probes for Xen this way. The CPUID after the prefix is
 * therefore reached exactly when its prefix is, and the bytes {@code "xen"} are no instructions (a sweep decodes
 * them as {@code js}/{@code outsb}).
 */
public final class XenForcedEmulation {
    /** {@code ud2; .ascii "xen"}. */
    private static final byte[] PREFIX = {0x0F, 0x0B, 'x', 'e', 'n'};
    /** Bytes of the prefix. */
    public static final int LENGTH = PREFIX.length;

    private XenForcedEmulation() {
    }

    /**
     * Whether {@code site}, at {@code offset} in {@code code}, is a CPUID right after the prefix.
     *
     * @param site   a trap site
     * @param code   the bytes of the section holding it
     * @param offset the site's offset in {@code code}
     * @return true when the site is a CPUID preceded by {@code ud2; "xen"}
     */
    public static boolean prefixed(TrapSite site, byte[] code, int offset) {
        return site.form() == TrapForm.CPUID && offset >= LENGTH
                && Arrays.equals(code, offset - LENGTH, offset, PREFIX, 0, LENGTH);
    }
}
