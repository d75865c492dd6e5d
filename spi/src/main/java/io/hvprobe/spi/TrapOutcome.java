package io.hvprobe.spi;

import java.util.List;
import java.util.Optional;

/** A hypervisor model's answer to a {@link TrapEvent}. */
public sealed interface TrapOutcome {

    /** The model does not handle this trap; another plugin may. */
    record NotMine() implements TrapOutcome {
    }

    /** The singleton "not mine" answer. */
    NotMine NOT_MINE = new NotMine();

    /**
     * The model handled the trap. The guest resumes after the instruction with these effects applied
     * (memory writes first, then register writes in order).
     *
     * @param command        decoded name of what the guest asked, e.g. {@code GETVERSION} or {@code MESSAGE.OPEN}
     * @param registerWrites registers the hypervisor writes
     * @param memoryWrites   guest memory the hypervisor writes
     * @param findings       what the model found wrong with the call
     * @param contract       the register contract the model applied, when it has one (the verifier needs it)
     * @param summary        one line for logs and traces, e.g. {@code version=6 type=ESX}
     * @param step           the call's step in a protocol exchange spanning several calls (a GuestRPC message),
     *                       when it is one; reports draw the exchange from these
     */
    record Handled(String command, List<RegisterWrite> registerWrites, List<MemoryWrite> memoryWrites,
                   List<Finding> findings, Optional<RegisterContract> contract, String summary,
                   Optional<ProtocolStep> step)
            implements TrapOutcome {
        public Handled {
            registerWrites = List.copyOf(registerWrites);
            memoryWrites = List.copyOf(memoryWrites);
            findings = List.copyOf(findings);
            java.util.Objects.requireNonNull(step);
        }

        /** An answer that is no step of a protocol exchange. */
        public Handled(String command, List<RegisterWrite> registerWrites, List<MemoryWrite> memoryWrites,
                       List<Finding> findings, Optional<RegisterContract> contract, String summary) {
            this(command, registerWrites, memoryWrites, findings, contract, summary, Optional.empty());
        }
    }
}
