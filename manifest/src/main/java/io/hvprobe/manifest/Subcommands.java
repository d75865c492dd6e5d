package io.hvprobe.manifest;

import java.util.List;
import java.util.OptionalLong;

/** GuestRPC MESSAGE sub-command names (sheet §4) and their numbers. */
final class Subcommands {
    private static final List<String> MESSAGE = List.of("OPEN", "SENDSIZE", "SENDPAYLOAD", "RECVSIZE", "RECVPAYLOAD",
            "RECVSTATUS", "CLOSE");

    private Subcommands() {
    }

    /** The number of a MESSAGE sub-command name. */
    static OptionalLong messageNumber(String name) {
        int i = MESSAGE.indexOf(name);
        return i < 0 ? OptionalLong.empty() : OptionalLong.of(i);
    }

    /** The name of MESSAGE sub-command {@code n}, or the number. */
    static String messageName(long n) {
        return n >= 0 && n < MESSAGE.size() ? MESSAGE.get((int) n) : Long.toString(n);
    }
}
