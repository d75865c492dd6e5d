package io.hvprobe.disasm;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tracked registers an instruction may change, as a superset: a register outside it is certainly unchanged by
 * the instruction. A reader that skips the registers outside it (the verifier's path recorder) stays exact as long as
 * the superset holds, so it is generous on purpose; reading one more register costs next to nothing beside the call
 * that reads them.
 *
 * <p>It is the union of what Capstone reports read or written (corrected, {@link AccessCorrections}), every register
 * the operand text names, and the registers the architecture's instructions change without naming them — x86: RAX,
 * RCX, RDX, RSI, RDI, RBP, RSP and RFLAGS (accumulators, string and loop counters, stack frames); arm64: X16, X17,
 * X30, SP and NZCV (the link register, the pointer-authentication forms on X16/X17, the stack and flags). Instructions
 * whose effect reaches beyond that (system calls, privilege, mode and system-register changes, CPUID's RBX, the
 * exception-raising forms) and undecodable bytes may change every register.
 */
public final class WrittenRegisters {
    /** Every register. */
    public static final long ALL = -1L;

    private static final long X86_IMPLICIT = mask(List.of(X86Register.RAX, X86Register.RCX, X86Register.RDX,
            X86Register.RSI, X86Register.RDI, X86Register.RBP, X86Register.RSP, X86Register.RFLAGS));
    private static final long ARM64_IMPLICIT = mask(List.of(Arm64Register.X16, Arm64Register.X17,
            Arm64Register.X30, Arm64Register.SP, Arm64Register.NZCV));
    private static final Set<String> X86_ANY = Set.of("syscall", "sysenter", "sysexit", "sysret", "sysretq",
            "sysexitq", "int", "int1", "int3", "into", "iret", "iretd", "iretq", "ud0", "ud1", "ud2", "hlt", "cpuid",
            "vmcall", "vmmcall", "tdcall", "vmlaunch", "vmresume", "vmxoff", "vmxon", "vmfunc", "getsec", "enclu",
            "encls", "enclv", "pconfig", "rsm", "swapgs", "ljmp", "lcall", "retf", "retfq", "lret", "wrmsr");
    private static final Set<String> ARM64_ANY = Set.of("svc", "hvc", "smc", "brk", "hlt", "udf", "eret", "eretaa",
            "eretab", "drps", "dcps1", "dcps2", "dcps3", "msr", "mrs", "sys", "sysl");

    private WrittenRegisters() {
    }

    /**
     * The registers {@code insn} may change.
     *
     * @param arch the architecture {@code insn} was decoded for
     * @param insn an instruction, ideally decoded with its register access (without it, the operands and the
     *             implicit registers are all it is judged by)
     * @return a bit per {@link GuestRegister#index()}, the program counter included; {@link #ALL} when every register
     *         may change
     */
    public static long of(Arch arch, Instruction insn) {
        if (insn.data()) {
            return ALL;
        }
        String mnemonic = insn.mnemonic().toLowerCase(Locale.ROOT);
        boolean x86 = arch == Arch.X86_64;
        if ((x86 ? X86_ANY : ARM64_ANY).contains(mnemonic.substring(mnemonic.lastIndexOf(' ') + 1))) {
            return ALL;
        }
        long m = (x86 ? X86_IMPLICIT : ARM64_IMPLICIT) | 1L << arch.programCounter().index();
        if (insn.access().isPresent()) {
            m |= mask(insn.access().get().reads()) | mask(insn.access().get().writes());
        }
        return m | mask(OperandRegisters.named(arch, insn));
    }

    private static long mask(Collection<? extends GuestRegister> registers) {
        long m = 0;
        for (GuestRegister r : registers) {
            m |= 1L << r.index();
        }
        return m;
    }
}
