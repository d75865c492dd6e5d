package io.hvprobe.vmware.command;

import java.util.Objects;

/**
 * A handler whose reply is fixed when the command is registered (from the profile alone, e.g. GETVERSION): it reads
 * nothing of the call, the guest's memory or the session, and changes nothing, so its answer to a call is a function
 * of how the call was made alone — which lets the model answer a repeated call without decoding it again.
 *
 * @param reply the reply to every call
 */
public record ConstantReply(CommandReply reply) implements CommandHandler {

    public ConstantReply {
        Objects.requireNonNull(reply);
    }

    @Override
    public CommandReply handle(CommandContext ctx) {
        return reply;
    }
}
