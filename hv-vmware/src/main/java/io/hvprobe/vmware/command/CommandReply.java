package io.hvprobe.vmware.command;

import io.hvprobe.spi.Finding;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.ProtocolStep;
import io.hvprobe.vmware.abi.Backdoor;
import io.hvprobe.vmware.contract.ArgContract;
import io.hvprobe.vmware.contract.ContractTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A handler's answer in argument terms.
 *
 * @param command      decoded name, e.g. {@code GETVERSION} or {@code MESSAGE.OPEN}
 * @param contract     the argument contract the answer follows (its outputs bound the writes)
 * @param writes       argument writes
 * @param memoryWrites guest memory writes
 * @param findings     findings about the call
 * @param summary      one line for logs
 * @param step         the call's step in a protocol exchange (GuestRPC), when it is one
 */
public record CommandReply(String command, ArgContract contract, List<ArgWrite> writes, List<MemoryWrite> memoryWrites,
                           List<Finding> findings, String summary, Optional<ProtocolStep> step) {

    public CommandReply {
        writes = List.copyOf(writes);
        memoryWrites = List.copyOf(memoryWrites);
        findings = List.copyOf(findings);
        java.util.Objects.requireNonNull(step);
    }

    /** This reply as {@code step} of a protocol exchange. */
    public CommandReply withStep(ProtocolStep step) {
        return new CommandReply(command, contract, writes, memoryWrites, findings, summary, Optional.of(step));
    }

    /** The value last written to {@code arg}, if the reply writes it. */
    public java.util.OptionalLong written(int arg) {
        java.util.OptionalLong out = java.util.OptionalLong.empty();
        for (ArgWrite w : writes) {
            if (w.arg() == arg) {
                out = java.util.OptionalLong.of(w.value());
            }
        }
        return out;
    }

    /** A builder for command {@code command} following contract {@code contractKey}. */
    public static Builder of(String command, String contractKey) {
        return new Builder(command, ContractTable.get(contractKey));
    }

    /** A builder for command {@code command} following {@code contract}. */
    public static Builder of(String command, ArgContract contract) {
        return new Builder(command, contract);
    }

    /** The unknown-command answer: EAX = 0xFFFFFFFF, nothing else (spec §1.1). */
    public static Builder unknown(String command) {
        return of(command, "UNKNOWN").write(0, Backdoor.UNKNOWN_ANSWER).summary("unknown command answer");
    }

    /** Builds a {@link CommandReply}. */
    public static final class Builder {
        private final String command;
        private final ArgContract contract;
        private final List<ArgWrite> writes = new ArrayList<>();
        private final List<MemoryWrite> memoryWrites = new ArrayList<>();
        private final List<Finding> findings = new ArrayList<>();
        private String summary = "";

        private Builder(String command, ArgContract contract) {
            this.command = command;
            this.contract = contract;
        }

        /** A 32-bit (zero-extending) write of {@code arg}. */
        public Builder write(int arg, long value) {
            writes.add(new ArgWrite(arg, 32, value));
            return this;
        }

        /** A 64-bit write of {@code arg}. */
        public Builder write64(int arg, long value) {
            writes.add(new ArgWrite(arg, 64, value));
            return this;
        }

        /** Writes guest memory. */
        public Builder memory(MemoryWrite write) {
            memoryWrites.add(write);
            return this;
        }

        /** Adds a finding. */
        public Builder finding(Finding finding) {
            findings.add(finding);
            return this;
        }

        /** Adds findings. */
        public Builder findings(List<Finding> more) {
            findings.addAll(more);
            return this;
        }

        /** Sets the log line. */
        public Builder summary(String text) {
            summary = text;
            return this;
        }

        /** The reply. */
        public CommandReply build() {
            return new CommandReply(command, contract, writes, memoryWrites, findings, summary, Optional.empty());
        }
    }
}
