package io.hvprobe.run;

import io.hvprobe.arch.Arch;

/**
 * Where a finding was made: which object, function and instruction, under which variant and profile.
 *
 * @param object   the object's path as the user named it
 * @param function the function symbol ({@code ""} if none)
 * @param offset   byte offset of the instruction inside {@code function} (or the absolute address if no function)
 * @param arch     the guest architecture
 * @param variant  a label for the build variant or matrix cell (e.g. {@code gcc/O2}), {@code ""} if none
 * @param profile  the hypervisor profile the run used, {@code ""} if none
 */
public record FindingSite(String object, String function, long offset, Arch arch, String variant, String profile) {

    /** {@code function+0x1c}, or the hex address when there is no function. */
    public String location() {
        return function.isEmpty() ? "0x" + Long.toHexString(offset) : function + "+0x" + Long.toHexString(offset);
    }
}
