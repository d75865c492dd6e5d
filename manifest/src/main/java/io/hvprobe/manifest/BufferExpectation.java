package io.hvprobe.manifest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Expected content of a buffer argument after the call. */
public sealed interface BufferExpectation {

    /** Whether {@code actual} holds the expected content. */
    boolean matches(byte[] actual);

    /** Text compared up to its length. */
    record Text(String text) implements BufferExpectation {
        @Override
        public boolean matches(byte[] actual) {
            byte[] want = text.getBytes(StandardCharsets.ISO_8859_1);
            if (actual.length < want.length) {
                return false;
            }
            for (int i = 0; i < want.length; i++) {
                if (actual[i] != want[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "\"" + text + "\"";
        }
    }

    /** Little-endian u32 words from the start of the buffer. */
    record Words(List<Long> words) implements BufferExpectation {
        public Words {
            words = List.copyOf(words);
        }

        @Override
        public boolean matches(byte[] actual) {
            if (actual.length < 4 * words.size()) {
                return false;
            }
            ByteBuffer b = ByteBuffer.wrap(actual).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < words.size(); i++) {
                if ((b.getInt(4 * i) & 0xFFFF_FFFFL) != (words.get(i) & 0xFFFF_FFFFL)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return words.stream().map(w -> "0x" + Long.toHexString(w)).toList().toString();
        }
    }

    /** How {@code actual} reads, in the style of {@code e}. */
    static String render(BufferExpectation e, byte[] actual) {
        return switch (e) {
            case Text t -> {
                int n = Math.min(actual.length, Math.max(t.text().length(), 1));
                StringBuilder s = new StringBuilder("\"");
                for (int i = 0; i < n; i++) {
                    int c = actual[i] & 0xFF;
                    s.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
                }
                yield s.append('"').toString();
            }
            case Words w -> {
                ByteBuffer b = ByteBuffer.wrap(actual).order(ByteOrder.LITTLE_ENDIAN);
                List<String> out = new java.util.ArrayList<>();
                for (int i = 0; i < w.words().size() && 4 * i + 4 <= actual.length; i++) {
                    out.add("0x" + Long.toHexString(b.getInt(4 * i) & 0xFFFF_FFFFL));
                }
                yield out.toString();
            }
        };
    }
}
