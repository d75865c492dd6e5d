package io.hvprobe.vmware.entry;

import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;

import java.util.List;
import java.util.Optional;

/** The register that carries each backdoor argument arg0..arg6 on an entry path (spec §2, §1.4, §1.6). */
public enum ArgRegisters {
    /** EAX, EBX, ECX, EDX, ESI, EDI, EBP. */
    X86(List.of(X86Register.RAX, X86Register.RBX, X86Register.RCX, X86Register.RDX, X86Register.RSI,
            X86Register.RDI, X86Register.RBP)),
    /** R12 (magic/out0), RBX, R13 (command), RDX, RSI, RDI; no arg6. */
    TDX(List.of(X86Register.R12, X86Register.RBX, X86Register.R13, X86Register.RDX, X86Register.RSI,
            X86Register.RDI)),
    /** X0..X6. */
    ARM64(List.of(Arm64Register.X0, Arm64Register.X1, Arm64Register.X2, Arm64Register.X3, Arm64Register.X4,
            Arm64Register.X5, Arm64Register.X6));

    /** Number of backdoor arguments. */
    public static final int ARGS = 7;

    private final List<GuestRegister> registers;
    /** {@link #register}'s answers, made once: every backdoor call asks for several. */
    private final List<Optional<GuestRegister>> optionals;

    ArgRegisters(List<GuestRegister> registers) {
        this.registers = registers;
        this.optionals = registers.stream().map(Optional::of).toList();
    }

    /** The register of {@code arg}, empty where the path has none (TDX arg6). */
    public Optional<GuestRegister> register(int arg) {
        return arg < optionals.size() ? optionals.get(arg) : Optional.empty();
    }

    /** The register of {@code arg}; the path must have it. */
    public GuestRegister require(int arg) {
        if (arg >= registers.size()) {
            throw new IllegalArgumentException(this + " has no register for arg" + arg);
        }
        return registers.get(arg);
    }

    /**
     * The value of {@code arg} in {@code snapshot}.
     *
     * @param snapshot the registers at a trap
     * @param arg      0 to {@value #ARGS} - 1
     * @return the full 64-bit value of the register carrying {@code arg}, or 0 where the path has none (TDX arg6)
     */
    public long valueIn(RegisterSnapshot snapshot, int arg) {
        return arg < registers.size() ? snapshot.get(registers.get(arg)) : 0;
    }

    /** The arg index carried by {@code register}, or -1. */
    public int argOf(GuestRegister register) {
        return registers.indexOf(register);
    }

    /** The argument registers in arg order. */
    public List<GuestRegister> all() {
        return registers;
    }
}
