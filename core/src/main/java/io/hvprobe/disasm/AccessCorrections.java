package io.hvprobe.disasm;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;

import java.util.Optional;
import java.util.Set;

/**
 * Completes and corrects the register and memory access Capstone 4 reports.
 *
 * <p>x86: Capstone leaves out implicit stack and string-instruction memory traffic, so it is added by
 * mnemonic. arm64: Capstone 4 reports the first operand of {@code cmp/cmn/tst} as written, {@code mrs}'s
 * destination as also read and {@code msr}'s source as also written, omits {@code x30} for a bare
 * {@code ret}, and its memory-operand access flags are unreliable; those cases are fixed here and arm64
 * memory direction comes from the mnemonic. It also reports the destination of {@code movz}/{@code movn} and of
 * the shift, extend and bitfield-extract aliases as read; they read it only when a source operand names it.
 */
final class AccessCorrections {
    private static final Set<String> X86_STACK_WRITES = Set.of("push", "pushf", "pushfq", "pushfd", "call", "enter");
    private static final Set<String> X86_STACK_READS =
            Set.of("pop", "popf", "popfq", "popfd", "ret", "retf", "retfq", "iret", "iretd", "iretq", "leave");
    private static final Set<String> X86_NO_MEMORY = Set.of("lea", "nop", "prefetch", "prefetchw", "prefetcht0",
            "prefetcht1", "prefetcht2", "prefetchnta");
    private static final String[] ARM64_ATOMICS = {"ldadd", "ldclr", "ldeor", "ldset", "ldsmax", "ldsmin",
            "ldumax", "ldumin", "stadd", "stclr", "steor", "stset", "stsmax", "stsmin", "stumax", "stumin",
            "swp", "cas"};

    /** arm64 instructions that only write their first operand (unlike {@code movk}, {@code bfi}, {@code bfxil}). */
    private static final Set<String> ARM64_DESTINATION_ONLY = Set.of("movz", "movn", "lsl", "lsr", "asr", "ror",
            "ubfx", "sbfx", "ubfiz", "sbfiz", "sxtb", "sxth", "sxtw", "uxtb", "uxth");

    private AccessCorrections() {
    }

    /**
     * The corrected access.
     *
     * @param reads        registers Capstone says are read (mutable, consumed)
     * @param writes       registers Capstone says are written (mutable, consumed)
     * @param memoryRead   x86 only: some memory operand is read according to Capstone
     * @param memoryWrite  x86 only: some memory operand is written according to Capstone
     */
    static RegisterAccess correct(Arch arch, String mnemonic, String operands, Set<GuestRegister> reads,
                                  Set<GuestRegister> writes, boolean memoryRead, boolean memoryWrite) {
        return arch == Arch.X86_64
                ? x86(mnemonic, operands, reads, writes, memoryRead, memoryWrite)
                : arm64(mnemonic, operands, reads, writes);
    }

    private static RegisterAccess x86(String mnemonic, String operands, Set<GuestRegister> reads, Set<GuestRegister> writes,
                                      boolean memoryRead, boolean memoryWrite) {
        String op = baseMnemonic(mnemonic);
        if (X86_NO_MEMORY.contains(op)) {
            return new RegisterAccess(reads, writes, false, false);
        }
        String string = stringFamily(op, operands);
        boolean r = memoryRead || X86_STACK_READS.contains(op)
                || switch (string) {
                    case "outs", "lods", "movs", "cmps", "scas" -> true;
                    default -> false;
                };
        boolean w = memoryWrite || X86_STACK_WRITES.contains(op)
                || switch (string) {
                    case "ins", "stos", "movs" -> true;
                    default -> false;
                };
        return new RegisterAccess(reads, writes, r, w);
    }

    private static RegisterAccess arm64(String mnemonic, String operands, Set<GuestRegister> reads,
                                        Set<GuestRegister> writes) {
        switch (mnemonic) {
            case "cmp", "cmn", "tst" -> {
                boolean flags = writes.remove(Arm64Register.NZCV);
                reads.addAll(writes);
                writes.clear();
                if (flags) {
                    writes.add(Arm64Register.NZCV);
                }
            }
            case "mrs" -> reads.clear();
            case "msr" -> {
                writes.clear();
                if (operands.startsWith("nzcv")) {
                    writes.add(Arm64Register.NZCV);
                }
            }
            case "ret" -> {
                if (operands.isEmpty()) {
                    reads.add(Arm64Register.X30);
                }
            }
            default -> {
                if (ARM64_DESTINATION_ONLY.contains(mnemonic)) {
                    destinationOnly(operands, reads);
                }
            }
        }
        boolean memory = operands.indexOf('[') >= 0 && !mnemonic.startsWith("prfm") && !mnemonic.startsWith("prfum");
        boolean atomic = memory && startsWithAny(mnemonic, ARM64_ATOMICS);
        boolean r = memory && (atomic || mnemonic.startsWith("ld"));
        boolean w = memory && (atomic || mnemonic.startsWith("st"));
        return new RegisterAccess(reads, writes, r, w);
    }

    /** Drops the first operand's register from {@code reads} unless a later operand names it too. */
    private static void destinationOnly(String operands, Set<GuestRegister> reads) {
        String[] ops = operands.split(",\\s*");
        Optional<GuestRegister> dest = RegisterAliases.lookup(Arch.ARM64, ops[0].trim());
        if (dest.isEmpty()) {
            return;
        }
        for (int i = 1; i < ops.length; i++) {
            if (RegisterAliases.lookup(Arch.ARM64, ops[i].trim()).equals(dest)) {
                return;
            }
        }
        reads.remove(dest.get());
    }

    /**
     * The string-instruction family of an x86 mnemonic ({@code ins}, {@code movs}...), or "" for others.
     * {@code movsd} and {@code cmpsd} are also SSE instructions; only the forms addressing through
     * {@code rdi}/{@code edi} are string instructions.
     */
    private static String stringFamily(String op, String operands) {
        if (op.length() != 4 && op.length() != 5) {
            return "";
        }
        String family = op.substring(0, op.length() - 1);
        char size = op.charAt(op.length() - 1);
        boolean sized = size == 'b' || size == 'w' || size == 'd' || size == 'q';
        if (!sized || !Set.of("ins", "outs", "lods", "stos", "movs", "cmps", "scas").contains(family)) {
            return "";
        }
        if ((op.equals("movsd") || op.equals("cmpsd")) && !operands.contains("di]")) {
            return "";
        }
        return family;
    }

    /** {@code rep movsb} to {@code movsb}, {@code lock add} to {@code add}. */
    private static String baseMnemonic(String mnemonic) {
        int space = mnemonic.lastIndexOf(' ');
        return space < 0 ? mnemonic : mnemonic.substring(space + 1);
    }

    private static boolean startsWithAny(String s, String... prefixes) {
        for (String p : prefixes) {
            if (s.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
