package io.hvprobe.vmware.rpc;

/** Answers one RPCI command (guest to host), e.g. {@code info-get}. */
@FunctionalInterface
public interface RpciHandler {
    /**
     * The full reply text, starting with {@code "1 "} (success) or {@code "0 "} (failure).
     *
     * @param command   the command word, e.g. {@code info-get} or {@code tools.capability.hgfs_server}
     * @param arguments everything after the first space (empty if none)
     */
    String handle(String command, String arguments);
}
