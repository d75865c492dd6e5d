package io.hvprobe.trap;

import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.guest.MemoryLayout;

import java.util.EnumMap;
import java.util.Map;

/**
 * Test helper: the x86_64 register state the trap tests start from. {@link #prologue} loads every general
 * register except RSP with a distinct 64-bit value (upper halves set, so zero-extension and merges show)
 * and RFLAGS with {@link #FLAGS}; {@link #atTrap} is what a plugin must see at a trap right after it.
 */
final class X86Guest {
    /** CF PF AF ZF SF IF OF and the always-one bit 1. */
    static final int FLAGS = 0xAD7;
    /** {@link #FLAGS} with DF (string I/O walks downwards). */
    static final int FLAGS_DOWN = FLAGS | 0x400;
    /** RSP at function entry (the return address on top). */
    static final long ENTRY_RSP = MemoryLayout.STACK_TOP - 0x100 - 8;
    /** A writable scratch area for string I/O. */
    static final long SCRATCH = MemoryLayout.HEAP_BASE + 0x800;

    private X86Guest() {
    }

    /** The default value the prologue gives {@code r}. */
    static Map<X86Register, Long> defaults() {
        Map<X86Register, Long> v = new EnumMap<>(X86Register.class);
        v.put(X86Register.RAX, 0xA0A0_A0A0_564D_5868L);
        v.put(X86Register.RBX, 0xB1B1_B1B1_FFFF_FFFFL);
        v.put(X86Register.RCX, 0xC2C2_C2C2_0000_000AL);
        v.put(X86Register.RDX, 0xD3D3_D3D3_0000_5658L);
        v.put(X86Register.RSI, 0xE4E4_E4E4_E4E4_E4E4L);
        v.put(X86Register.RDI, 0xF5F5_F5F5_F5F5_F5F5L);
        v.put(X86Register.RBP, 0x0606_0606_0606_0606L);
        for (int i = 8; i < 16; i++) {
            v.put(X86Register.values()[i], 0x1000_0000_0000_0001L * i + 0x0123_4567_89AB_0000L);
        }
        return v;
    }

    /** Emits the prologue for {@code values} (registers not listed keep their defaults) and {@code flags}. */
    static Program prologue(Program p, Map<X86Register, Long> values, int flags) {
        p.setFlags(flags);
        Map<X86Register, Long> all = merged(values);
        all.forEach((r, v) -> p.movabs(r, v));
        return p;
    }

    static Map<X86Register, Long> merged(Map<X86Register, Long> values) {
        Map<X86Register, Long> all = defaults();
        all.putAll(values);
        return all;
    }

    /** The registers at a trap placed right after {@link #prologue}. */
    static RegisterSnapshot atTrap(Map<X86Register, Long> values, int flags, long pc) {
        long[] regs = new long[X86Register.values().length];
        merged(values).forEach((r, v) -> regs[r.index()] = v);
        regs[X86Register.RSP.index()] = ENTRY_RSP;
        regs[X86Register.RIP.index()] = pc;
        regs[X86Register.RFLAGS.index()] = flags;
        return RegisterSnapshot.of(io.hvprobe.arch.Arch.X86_64, regs);
    }

    /** What the call returns with when the guest executes {@code ret} right after the trap. */
    static RegisterSnapshot afterReturn(RegisterSnapshot continuedWith) {
        return continuedWith.with(X86Register.RIP, MemoryLayout.RETURN_SENTINEL)
                .with(X86Register.RSP, continuedWith.get(X86Register.RSP) + 8);
    }
}
