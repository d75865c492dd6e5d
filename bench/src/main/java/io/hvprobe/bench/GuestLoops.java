package io.hvprobe.bench;

import io.hvprobe.arch.Arch;
import io.hvprobe.unicorn.UcProt;
import io.hvprobe.unicorn.Unicorn;

/**
 * Two guest loops per architecture, hand-assembled (GNU as output in the comments), each running
 * {@link #ITERATIONS} times: a trap loop whose body is one hypercall trap, and a plain arithmetic loop.
 */
final class GuestLoops {
    static final int ITERATIONS = 1000;
    static final long CODE = 0x10000;

    /** Start, hooked trap address, and end of a loop. */
    record Loop(long begin, long site, long end, int instructions) {
    }

    private static final byte[] X86 = {
            (byte) 0xb9, (byte) 0xe8, 0x03, 0x00, 0x00, //  0: mov ecx, 1000
            (byte) 0xed,                                //  5: in eax, dx        <- trap site
            (byte) 0xff, (byte) 0xc9,                   //  6: dec ecx
            0x75, (byte) 0xfb,                          //  8: jnz 5
            (byte) 0xb9, (byte) 0xe8, 0x03, 0x00, 0x00, //  a: mov ecx, 1000
            0x48, 0x01, (byte) 0xc8,                    //  f: add rax, rcx
            (byte) 0xff, (byte) 0xc9,                   // 12: dec ecx
            0x75, (byte) 0xf9,                          // 14: jnz f
    };

    private static final int[] ARM64 = {
            0xd2807d01, //  0: mov x1, #1000
            0xd533011f, //  4: mrs xzr, mdccsr_el0   <- trap site
            0xf1000421, //  8: subs x1, x1, #1
            0x54ffffc1, //  c: b.ne 4
            0xd2807d01, // 10: mov x1, #1000
            0x8b010000, // 14: add x0, x0, x1
            0xf1000421, // 18: subs x1, x1, #1
            0x54ffffc1, // 1c: b.ne 14
    };

    private GuestLoops() {
    }

    /** An engine with both loops loaded at {@link #CODE}. */
    static Unicorn load(Arch arch) {
        Unicorn uc = Unicorn.open(arch);
        uc.memMap(CODE, 0x1000, UcProt.READ | UcProt.EXEC);
        uc.memWrite(CODE, arch == Arch.X86_64 ? X86 : words(ARM64));
        return uc;
    }

    static Loop trapLoop(Arch arch) {
        return arch == Arch.X86_64
                ? new Loop(CODE, CODE + 0x5, CODE + 0xa, 1 + 3 * ITERATIONS)
                : new Loop(CODE, CODE + 0x4, CODE + 0x10, 1 + 3 * ITERATIONS);
    }

    static Loop arithmeticLoop(Arch arch) {
        return arch == Arch.X86_64
                ? new Loop(CODE + 0xa, -1, CODE + 0x16, 1 + 3 * ITERATIONS)
                : new Loop(CODE + 0x10, -1, CODE + 0x20, 1 + 3 * ITERATIONS);
    }

    /** Length in bytes of the trapping instruction. */
    static int trapLength(Arch arch) {
        return arch == Arch.X86_64 ? 1 : 4;
    }

    private static byte[] words(int[] words) {
        byte[] out = new byte[words.length * 4];
        for (int i = 0; i < words.length; i++) {
            for (int b = 0; b < 4; b++) {
                out[i * 4 + b] = (byte) (words[i] >>> (8 * b));
            }
        }
        return out;
    }
}
