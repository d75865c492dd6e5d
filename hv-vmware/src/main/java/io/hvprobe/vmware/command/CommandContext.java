package io.hvprobe.vmware.command;

import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.vmware.entry.BackdoorCall;
import io.hvprobe.vmware.profile.VmwareProfile;

/**
 * What a command handler gets.
 *
 * @param call       the normalised call
 * @param command    the decoded command number (ECX masked by the profile)
 * @param subcommand ECX[31:16]
 * @param profile    the active profile
 * @param memory     bounded guest memory access
 */
public record CommandContext(BackdoorCall call, int command, int subcommand, VmwareProfile profile,
                             GuestMemoryView memory) {

    /** Low 32 bits of EBX (arg1). */
    public long ebx() {
        return call.arg32(1);
    }
}
