package io.hvprobe.vmware.entry;

import io.hvprobe.arch.Arch;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RegisterWrite;

import java.util.List;
import java.util.Optional;

/** What the entry decoder made of a trap. */
public sealed interface Entry {

    /** Not a VMware backdoor trap: another plugin may claim it. */
    record NotMine() implements Entry {
    }

    /**
     * A backdoor call to dispatch.
     *
     * @param call     the normalised call
     * @param findings what was wrong with how the call was made
     */
    record Call(BackdoorCall call, List<Finding> findings) implements Entry {
        public Call {
            findings = findings.isEmpty() ? List.of() : List.copyOf(findings); // the usual call has none
        }
    }

    /**
     * A trap on a backdoor entry that is not a valid backdoor call (narrow access, wrong port, no HB
     * device): answered the way an unclaimed port answers.
     *
     * @param command  a name for the log, e.g. {@code I/O 0x5658 (8-bit)}
     * @param arch     the architecture
     * @param answer   the all-ones read result, if the access reads
     * @param findings why the call was refused
     * @param summary  one line
     */
    record Refused(String command, Arch arch, Optional<RegisterWrite> answer, List<Finding> findings, String summary)
            implements Entry {
        public Refused {
            findings = List.copyOf(findings);
        }
    }
}
