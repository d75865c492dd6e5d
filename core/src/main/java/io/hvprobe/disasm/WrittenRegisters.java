package io.hvprobe.disasm;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tracked registers an instruction may change: what Capstone reports written (its implicit definitions come from
 * LLVM's instruction tables; corrected by {@link AccessCorrections}) and every register the operand text names (a
 * written-back base register, e.g. {@code ldr x0, [x1], #8}, is named but not always reported written). Instructions
 * whose effect reaches beyond their operands and Capstone's lists may change every register: system calls, privilege,
 * mode and system-register changes, CPUID's RBX, the exception-raising and hypercall forms, and on arm64 the hint
 * space (Capstone 4 decodes the pointer-authentication instructions, which change X30 or X17, as plain {@code hint}s)
 * and the pointer-authentication forms it does name; undecodable bytes too.
 *
 * <p>A reader that skips the registers outside the set (the verifier's path recorder) relies on it; the recorder also
 * compares with a full read after each address's first run and re-records in full on any difference.
 */
public final class WrittenRegisters {
    /** Every register. */
    public static final long ALL = -1L;

    private static final Set<String> X86_ANY = Set.of("syscall", "sysenter", "sysexit", "sysret", "sysretq",
            "sysexitq", "int", "int1", "int3", "into", "iret", "iretd", "iretq", "ud0", "ud1", "ud2", "hlt", "cpuid",
            "vmcall", "vmmcall", "tdcall", "vmlaunch", "vmresume", "vmxoff", "vmxon", "vmfunc", "getsec", "enclu",
            "encls", "enclv", "pconfig", "rsm", "swapgs", "ljmp", "lcall", "retf", "retfq", "lret", "wrmsr");
    private static final Set<String> ARM64_ANY = Set.of("svc", "hvc", "smc", "brk", "hlt", "udf", "eret", "eretaa",
            "eretab", "drps", "dcps1", "dcps2", "dcps3", "msr", "mrs", "sys", "sysl");
    /** arm64: the hint space, and the pointer-authentication instructions and their returns, branches and loads. */
    private static final List<String> ARM64_ANY_PREFIXES = List.of("hint", "pac", "aut", "xpac", "retaa", "retab",
            "braa", "brab", "blraa", "blrab", "eretaa", "ldraa", "ldrab");

    private WrittenRegisters() {
    }

    /**
     * The registers {@code insn} may change.
     *
     * @param arch the architecture {@code insn} was decoded for
     * @param insn an instruction, ideally decoded with its register access (without it, its operands are all it is
     *             judged by)
     * @return a bit per {@link GuestRegister#index()}, the program counter included; {@link #ALL} when every register
     *         may change
     */
    public static long of(Arch arch, Instruction insn) {
        if (insn.data()) {
            return ALL;
        }
        String mnemonic = insn.mnemonic().toLowerCase(Locale.ROOT);
        boolean x86 = arch == Arch.X86_64;
        if ((x86 ? X86_ANY : ARM64_ANY).contains(mnemonic.substring(mnemonic.lastIndexOf(' ') + 1))
                || !x86 && ARM64_ANY_PREFIXES.stream().anyMatch(mnemonic::startsWith)) {
            return ALL;
        }
        long m = 1L << arch.programCounter().index();
        if (insn.access().isPresent()) {
            m |= mask(insn.access().get().writes());
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
