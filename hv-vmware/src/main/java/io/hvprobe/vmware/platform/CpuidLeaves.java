package io.hvprobe.vmware.platform;

import io.hvprobe.vmware.profile.VmwareProfile;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The hypervisor CPUID leaves 0x40000000..0x400000FF as the profile advertises them (spec §1.2). */
public final class CpuidLeaves {
    /** First hypervisor leaf. */
    public static final long VENDOR_LEAF = 0x4000_0000L;
    /** VMware's frequency/features leaf (the highest leaf the model reports). */
    public static final long FEATURES_LEAF = 0x4000_0010L;

    private final VmwareProfile profile;

    /** Leaves for {@code profile}. */
    public CpuidLeaves(VmwareProfile profile) {
        this.profile = profile;
    }

    /** EAX, EBX, ECX, EDX for {@code leaf}, empty outside the hypervisor range. */
    public Optional<long[]> answer(long leaf) {
        if (leaf < VENDOR_LEAF || leaf > 0x4000_00FFL) {
            return Optional.empty();
        }
        if (leaf == VENDOR_LEAF) {
            ByteBuffer v = ByteBuffer.wrap(profile.entry().cpuidVendor().getBytes(StandardCharsets.US_ASCII))
                    .order(ByteOrder.LITTLE_ENDIAN);
            return Optional.of(new long[]{FEATURES_LEAF, v.getInt(0) & 0xFFFF_FFFFL, v.getInt(4) & 0xFFFF_FFFFL,
                    v.getInt(8) & 0xFFFF_FFFFL});
        }
        if (leaf == FEATURES_LEAF) {
            long ecx = (profile.entry().advertiseVmmcall() ? 1 : 0) | (profile.entry().advertiseVmcall() ? 2 : 0)
                    | (profile.entry().advertiseTdx() ? 8 : 0);
            return Optional.of(new long[]{profile.time().tscHz() / 1000, profile.time().busHz() / 1000, ecx, 0});
        }
        return Optional.of(new long[4]);
    }
}
