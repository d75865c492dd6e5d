package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.guest.MemoryLayout;

import java.util.EnumMap;
import java.util.Map;

/**
 * Test helper: the arm64 register state the trap tests start from. {@link #prologue} sets NZCV to
 * {@link #NZCV} and X0..X29 to distinct 64-bit values (X30 keeps the return address); {@link #atTrap} is
 * what a plugin must see at a trap right after it.
 */
final class Arm64Guest {
    /** N and C set. */
    static final long NZCV = 0xA000_0000L;
    /** SP at function entry. */
    static final long ENTRY_SP = MemoryLayout.STACK_TOP - 0x100;

    private Arm64Guest() {
    }

    static Map<Arm64Register, Long> defaults() {
        Map<Arm64Register, Long> v = new EnumMap<>(Arm64Register.class);
        for (int i = 0; i < 30; i++) {
            v.put(Arm64Register.x(i), 0xA000_0000_0000_0000L | (long) (i + 1) << 40 | 0x1234_5600L | i);
        }
        return v;
    }

    static Map<Arm64Register, Long> merged(Map<Arm64Register, Long> values) {
        Map<Arm64Register, Long> all = defaults();
        all.putAll(values);
        return all;
    }

    /** Emits the prologue: flags first (through X0), then X0..X29. */
    static Program prologue(Program p, Map<Arm64Register, Long> values) {
        p.mov64(0, NZCV).a(Program.msrNzcv(0));
        merged(values).forEach((r, v) -> p.mov64(r.index(), v));
        return p;
    }

    static RegisterSnapshot atTrap(Map<Arm64Register, Long> values, long pc) {
        long[] regs = new long[Arm64Register.values().length];
        merged(values).forEach((r, v) -> regs[r.index()] = v);
        regs[Arm64Register.X30.index()] = MemoryLayout.RETURN_SENTINEL;
        regs[Arm64Register.SP.index()] = ENTRY_SP;
        regs[Arm64Register.PC.index()] = pc;
        regs[Arm64Register.NZCV.index()] = NZCV;
        return RegisterSnapshot.of(Arch.ARM64, regs);
    }

    /** What the call returns with when the guest executes {@code ret} right after the trap. */
    static RegisterSnapshot afterReturn(RegisterSnapshot continuedWith) {
        return continuedWith.with(Arm64Register.PC, continuedWith.get(Arm64Register.X30));
    }
}
