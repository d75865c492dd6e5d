package io.hvprobe.spi;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One hypercall's part in a protocol exchange that spans several hypercalls — a GuestRPC message is OPEN, SENDSIZE,
 * the payload (four bytes a call, or one high-bandwidth transfer), RECVSIZE, the reply, RECVSTATUS, CLOSE — told
 * by the model as data, so that a report can draw the exchange step by step without knowing the protocol.
 * A model returns it with its {@link TrapOutcome.Handled answer}; a call that is not part of an exchange has none.
 *
 * <pre>{@code
 * new ProtocolStep("GuestRPC channel 0 (RPCI)", "SENDSIZE", Map.of("channel", "0", "size", "20"),
 *         Map.of("status", "SUCCESS|HB"), Optional.empty());
 * }</pre>
 *
 * @param exchange which exchange the step belongs to, e.g. {@code GuestRPC channel 0 (RPCI)}; a report groups
 *                 consecutive steps of the same exchange
 * @param step     the step's name, e.g. {@code OPEN}, {@code SENDPAYLOAD}, {@code HB send}
 * @param request  what the guest asked (channel, cookies, size …), name → value in display order
 * @param reply    what the hypervisor answered (status, channel, size …), name → value in display order
 * @param message  the message this step completes, when it completes one
 */
public record ProtocolStep(String exchange, String step, Map<String, String> request, Map<String, String> reply,
                           Optional<Message> message) {
    /** Copies the maps in their order, so the step stays immutable. */
    public ProtocolStep {
        Objects.requireNonNull(exchange);
        Objects.requireNonNull(step);
        request = Collections.unmodifiableMap(new LinkedHashMap<>(request));
        reply = Collections.unmodifiableMap(new LinkedHashMap<>(reply));
        Objects.requireNonNull(message);
    }

    /** Which way a message went. */
    public enum Direction {
        /** Sent by the guest, e.g. an RPCI request {@code info-get guestinfo.x}. */
        TO_HYPERVISOR,
        /** Received by the guest, e.g. the reply {@code 1 hello}. */
        TO_GUEST
    }

    /**
     * A whole message of the exchange, as text.
     *
     * @param direction who sent it
     * @param size      its length in bytes
     * @param text      its bytes as UTF-8 text, at most {@link #MAX_TEXT} characters (a longer message is cut and
     *                  ends with {@code …}); may hold anything the guest or the host sent, so reports escape it
     */
    public record Message(Direction direction, long size, String text) {
        /** Most characters of a message kept. */
        public static final int MAX_TEXT = 512;

        /** Checks that the text is within {@link #MAX_TEXT} characters (plus the ellipsis a cut adds). */
        public Message {
            Objects.requireNonNull(direction);
            Objects.requireNonNull(text);
            if (text.length() > MAX_TEXT + 1) {
                throw new IllegalArgumentException("message text longer than " + MAX_TEXT + " characters");
            }
        }

        /**
         * The message of {@code bytes}, its text cut to {@link #MAX_TEXT} characters.
         *
         * @param direction who sent it
         * @param bytes     the whole message as the guest or host sent it
         * @return the message, with its full size and its text cut
         */
        public static Message of(Direction direction, byte[] bytes) {
            String text = new String(bytes, 0, Math.min(bytes.length, 4 * MAX_TEXT), StandardCharsets.UTF_8);
            return new Message(direction, bytes.length, text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…"
                    : text);
        }
    }
}
