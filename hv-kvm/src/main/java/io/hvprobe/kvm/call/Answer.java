package io.hvprobe.kvm.call;

import io.hvprobe.spi.Finding;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapOutcome;

import java.util.List;
import java.util.Optional;

/**
 * The model's answer to one call, before it becomes a {@link TrapOutcome.Handled}.
 *
 * @param command  the call's name, e.g. {@code KVM_HC_CLOCK_PAIRING} or {@code PSCI_CPU_ON}
 * @param writes   registers written
 * @param memory   guest memory written
 * @param findings what is wrong with the call
 * @param contract the register contract of the call
 * @param summary  one line for logs
 */
public record Answer(String command, List<RegisterWrite> writes, List<MemoryWrite> memory, List<Finding> findings,
                     RegisterContract contract, String summary) {

    public Answer {
        writes = List.copyOf(writes);
        memory = List.copyOf(memory);
        findings = List.copyOf(findings);
    }

    /** The SPI outcome. */
    public TrapOutcome.Handled outcome() {
        return new TrapOutcome.Handled(command, writes, memory, findings, Optional.of(contract), summary);
    }
}
