package io.hvprobe.vmware.command;

/** Answers one backdoor command. Must not throw for anything a guest can pass. */
@FunctionalInterface
public interface CommandHandler {
    /** The answer to the call in {@code ctx}. */
    CommandReply handle(CommandContext ctx);
}
