package io.hvprobe.spi;

import java.util.List;

/**
 * One entry of a hypervisor model's command catalogue, for {@code hvprobe commands} and the verifier.
 *
 * @param number      the command number (or -1 where the model has no numbering)
 * @param name        the command name, e.g. {@code GETVERSION}
 * @param description what it does, one sentence
 * @param contracts   the register contract per entry path and architecture
 */
public record CommandDescriptor(int number, String name, String description, List<RegisterContract> contracts) {
    /** Copies {@code contracts}, so the descriptor stays immutable. */
    public CommandDescriptor {
        contracts = List.copyOf(contracts);
    }
}
