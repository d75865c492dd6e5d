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
 * @param returns  whether the guest resumes after the call
 */
public record Answer(String command, List<RegisterWrite> writes, List<MemoryWrite> memory, List<Finding> findings,
                     RegisterContract contract, String summary, boolean returns) {

    public Answer {
        writes = List.copyOf(writes);
        memory = List.copyOf(memory);
        findings = List.copyOf(findings);
    }

    /** The answer to a call the guest resumes after. */
    public Answer(String command, List<RegisterWrite> writes, List<MemoryWrite> memory, List<Finding> findings,
                  RegisterContract contract, String summary) {
        this(command, writes, memory, findings, contract, summary, true);
    }

    /** The same answer for a call that does not return ({@link TrapOutcome.Handled#returns()}). */
    public Answer withoutReturn() {
        return new Answer(command, writes, memory, findings, contract, summary, false);
    }

    /** The SPI outcome. */
    public TrapOutcome.Handled outcome() {
        TrapOutcome.Handled h = new TrapOutcome.Handled(command, writes, memory, findings, Optional.of(contract),
                summary);
        return returns ? h : h.withoutReturn();
    }
}
