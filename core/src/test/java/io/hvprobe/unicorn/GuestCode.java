package io.hvprobe.unicorn;

import io.hvprobe.arch.Arch;
import java.io.ByteArrayOutputStream;

/** Test helper: an engine with code loaded at {@link #CODE} and a writable data page at {@link #DATA}. */
final class GuestCode {
    static final long CODE = 0x10000;
    static final long DATA = 0x20000;
    static final long PAGE = 0x1000;

    private GuestCode() {
    }

    /** Opens an engine for {@code arch}, maps code (RX) and data (RW) and writes {@code code} at {@link #CODE}. */
    static Unicorn load(Arch arch, byte[] code) {
        Unicorn uc = Unicorn.open(arch);
        uc.memMap(CODE, PAGE, UcProt.READ | UcProt.EXEC);
        uc.memMap(DATA, PAGE, UcProt.READ | UcProt.WRITE);
        uc.memWrite(CODE, code);
        return uc;
    }

    /** Concatenates x86 instruction encodings. */
    static byte[] x86(int[]... instructions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] insn : instructions) {
            for (int b : insn) {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** AArch64 instruction words, little endian. */
    static byte[] arm64(int... words) {
        byte[] out = new byte[words.length * 4];
        for (int i = 0; i < words.length; i++) {
            for (int b = 0; b < 4; b++) {
                out[i * 4 + b] = (byte) (words[i] >>> (8 * b));
            }
        }
        return out;
    }
}
