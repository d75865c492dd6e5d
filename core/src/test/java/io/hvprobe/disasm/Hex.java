package io.hvprobe.disasm;

import java.util.HexFormat;

/** Test helper: bytes from hex text with optional spaces. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** Little-endian bytes of arm64 instruction words. */
    static byte[] words(int... words) {
        byte[] out = new byte[words.length * 4];
        for (int i = 0; i < words.length; i++) {
            for (int b = 0; b < 4; b++) {
                out[i * 4 + b] = (byte) (words[i] >>> (8 * b));
            }
        }
        return out;
    }
}
