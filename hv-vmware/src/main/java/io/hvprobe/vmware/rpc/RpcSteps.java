package io.hvprobe.vmware.rpc;

import io.hvprobe.spi.ProtocolStep;
import io.hvprobe.vmware.command.CommandReply;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A GuestRPC call told as a {@link ProtocolStep}: the exchange is the channel, the request what the guest passed
 * (channel, cookies, size, payload bytes), the reply the status and what the host handed back, and the message
 * the step completed (the guest's request once all its bytes arrived, the host's reply once all were received).
 */
final class RpcSteps {
    private RpcSteps() {
    }

    /** What one call carried, filled in by {@link GuestRpc} as it answers. */
    static final class Facts {
        final Map<String, String> request = new LinkedHashMap<>();
        final Map<String, String> reply = new LinkedHashMap<>();
        Optional<ProtocolStep.Message> message = Optional.empty();
        String exchange = "GuestRPC";

        Facts channel(RpcChannel ch, int id) {
            exchange = "GuestRPC channel " + id + (ch == null ? "" : ch.tclo ? " (TCLO)" : " (RPCI)");
            request.put("channel", String.valueOf(id));
            return this;
        }

        Facts cookies(RpcChannel ch, long high, long low) {
            if (ch != null && ch.cookies) {
                request.put("cookies", cookiePair(high, low));
            }
            return this;
        }

        Facts sent(byte[] message) {
            this.message = Optional.of(ProtocolStep.Message.of(ProtocolStep.Direction.TO_HYPERVISOR, message));
            return this;
        }

        Facts received(byte[] message) {
            this.message = Optional.of(ProtocolStep.Message.of(ProtocolStep.Direction.TO_GUEST, message));
            return this;
        }
    }

    /**
     * The step {@code name} of {@code reply}, its status read from the reply's {@code statusArg} (ECX for
     * low-bandwidth calls, EBX for high-bandwidth ones).
     */
    static CommandReply step(CommandReply reply, String name, int statusArg, Facts facts) {
        Map<String, String> answered = new LinkedHashMap<>();
        reply.written(statusArg).ifPresent(w -> answered.put("status",
                MessageStatus.describe((int) ((w >>> 16) & 0xFFFF))));
        answered.putAll(facts.reply);
        return reply.withStep(new ProtocolStep(facts.exchange, name, facts.request, answered, facts.message));
    }

    /** {@code 0x1a2b3c4d/0x5e6f7081}: a channel's cookie pair, high word first. */
    static String cookiePair(long high, long low) {
        return String.format(Locale.ROOT, "0x%08x/0x%08x", high & 0xFFFF_FFFFL, low & 0xFFFF_FFFFL);
    }

    /** The four payload bytes of one low-bandwidth call (little-endian in the register) as quoted text. */
    static String chunk(long word, int count) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < count; i++) {
            int c = (int) ((word >>> (8 * i)) & 0xFF);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                b.append((char) c);
            } else {
                b.append(String.format(Locale.ROOT, "\\x%02x", c));
            }
        }
        return b.append('"').toString();
    }
}
