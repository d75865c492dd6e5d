package io.hvprobe.disasm;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How wide an instruction's written operands name a register: {@code esi} is bits 31:0 of RSI, {@code w1} bits
 * 31:0 of X1. Capstone's register access says only that RSI is read; the operand text says whether the whole
 * register or a part of it is.
 */
public final class OperandRegisters {
    private OperandRegisters() {
    }

    /**
     * The widths in bits (8, 16, 32 or 64) with which {@code insn}'s operands name {@code register}; empty when they
     * do not name it (the access is implicit, e.g. {@code push}'s stack pointer, and may use the whole register).
     */
    public static Set<Integer> namedWidths(Arch arch, Instruction insn, GuestRegister register) {
        Set<Integer> widths = new TreeSet<>();
        for (String token : insn.operands().toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!token.isEmpty() && RegisterAliases.lookup(arch, token).filter(register::equals).isPresent()) {
                widths.add(width(arch, token));
            }
        }
        return widths;
    }

    /**
     * The tracked registers {@code insn}'s operand text names, sub-registers as their full register ({@code w1} is
     * X1): with Capstone's access, a superset of the registers it can write (a base register's write-back, e.g.
     * {@code ldr x0, [x1], #8}, is named but not always reported as written).
     */
    public static Set<GuestRegister> named(Arch arch, Instruction insn) {
        Set<GuestRegister> named = new java.util.HashSet<>();
        String text = insn.operands().toLowerCase(Locale.ROOT);
        // The tokens namedWidths splits out, without a regular expression: this runs once per address a recorded
        // path reaches, in every verification.
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            boolean word = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                RegisterAliases.lookup(arch, text.substring(start, i)).ifPresent(named::add);
                start = -1;
            }
        }
        return named;
    }

    /** Whether {@code insn} may read bits 63:32 of {@code register} (it names it whole, or not at all). */
    public static boolean mayUseUpperHalf(Arch arch, Instruction insn, GuestRegister register) {
        Set<Integer> w = namedWidths(arch, insn, register);
        return w.isEmpty() || w.contains(64);
    }

    private static int width(Arch arch, String name) {
        if (arch == Arch.ARM64) {
            return name.startsWith("w") ? 32 : 64;
        }
        if (name.matches("r\\d+d") || name.startsWith("e")) {
            return 32;
        }
        if (name.matches("r\\d+w") || name.length() == 2 && !name.startsWith("r")) {
            return name.endsWith("l") || name.endsWith("h") ? 8 : 16;
        }
        if (name.matches("r\\d+b") || name.endsWith("l") && name.length() == 3 && !name.startsWith("r")) {
            return 8;
        }
        return 64;
    }
}
