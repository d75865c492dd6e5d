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
     * The model handled the trap. An answer is immutable data: a session may return the same object again for the same
     * answer (a loop repeating a pure command), and callers may recognise a repeat by identity. The guest resumes after
     * the instruction with these effects applied (memory writes first, then register writes in order) — unless the call
     * does not return: then the effects are applied and the run ends there, as on a machine where the call hands the
     * CPU to the hypervisor for good (PSCI {@code CPU_OFF}, {@code SYSTEM_OFF}, {@code SYSTEM_RESET}); the code after
     * the call never runs, and a caller not coming back is the call's nature, not a defect of the guest.
     *
     * @param command        decoded name of what the guest asked, e.g. {@code GETVERSION} or {@code MESSAGE.OPEN}
     * @param registerWrites registers the hypervisor writes
     * @param memoryWrites   guest memory the hypervisor writes
     * @param findings       what the model found wrong with the call
     * @param contract       the register contract the model applied, when it has one (the verifier needs it)
     * @param summary        one line for logs and traces, e.g. {@code version=6 type=ESX}
     * @param step           the call's step in a protocol exchange spanning several calls (a GuestRPC message),
     *                       when it is one; reports draw the exchange from these
     * @param returns        whether the guest resumes after the call ({@code false}: the run ends at it)
     */
    record Handled(String command, List<RegisterWrite> registerWrites, List<MemoryWrite> memoryWrites,
                   List<Finding> findings, Optional<RegisterContract> contract, String summary,
                   Optional<ProtocolStep> step, boolean returns)
            implements TrapOutcome {
        /** Copies the lists, so the outcome stays immutable. */
        public Handled {
            registerWrites = List.copyOf(registerWrites);
            memoryWrites = List.copyOf(memoryWrites);
            findings = List.copyOf(findings);
            java.util.Objects.requireNonNull(step);
        }

        /**
         * An answer the guest resumes after that is no step of a protocol exchange.
         *
         * @param command        the command's name
         * @param registerWrites the registers the answer writes
         * @param memoryWrites   the guest memory the answer writes
         * @param findings       what the model found wrong with the call
         * @param contract       the register contract the model applied, when it has one
         * @param summary        one line for logs and traces
         */
        public Handled(String command, List<RegisterWrite> registerWrites, List<MemoryWrite> memoryWrites,
                       List<Finding> findings, Optional<RegisterContract> contract, String summary) {
            this(command, registerWrites, memoryWrites, findings, contract, summary, Optional.empty(), true);
        }

        /**
         * An answer the guest resumes after, with its step in a protocol exchange (if any).
         *
         * @param command        the command's name
         * @param registerWrites the registers the answer writes
         * @param memoryWrites   the guest memory the answer writes
         * @param findings       what the model found wrong with the call
         * @param contract       the register contract the model applied, when it has one
         * @param summary        one line for logs and traces
         * @param step           the call's step in a protocol exchange, when it is one
         */
        public Handled(String command, List<RegisterWrite> registerWrites, List<MemoryWrite> memoryWrites,
                       List<Finding> findings, Optional<RegisterContract> contract, String summary,
                       Optional<ProtocolStep> step) {
            this(command, registerWrites, memoryWrites, findings, contract, summary, step, true);
        }

        /** {@return the same answer for a call that does not return: the run ends at it} */
        public Handled withoutReturn() {
            return new Handled(command, registerWrites, memoryWrites, findings, contract, summary, step, false);
        }
    }
}
