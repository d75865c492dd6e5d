package io.hvprobe.disasm;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Maps register names as Capstone prints them to the tracked register they alias. */
final class RegisterAliases {
    private static final Map<String, GuestRegister> X86 = x86();
    private static final Map<String, GuestRegister> ARM64 = arm64();

    private RegisterAliases() {
    }

    /** The tracked register {@code name} is part of, or empty for untracked ones (xmm, segment, xzr...). */
    static Optional<GuestRegister> lookup(Arch arch, String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable((arch == Arch.X86_64 ? X86 : ARM64).get(name));
    }

    private static Map<String, GuestRegister> x86() {
        Map<String, GuestRegister> m = new HashMap<>();
        String[][] legacy = {
                {"rax", "eax", "ax", "al", "ah"}, {"rbx", "ebx", "bx", "bl", "bh"},
                {"rcx", "ecx", "cx", "cl", "ch"}, {"rdx", "edx", "dx", "dl", "dh"},
                {"rsi", "esi", "si", "sil"}, {"rdi", "edi", "di", "dil"},
                {"rbp", "ebp", "bp", "bpl"}, {"rsp", "esp", "sp", "spl"},
                {"rip", "eip", "ip"}, {"rflags", "eflags", "flags"}};
        for (String[] names : legacy) {
            GuestRegister r = X86Register.valueOf(names[0].toUpperCase(java.util.Locale.ROOT));
            for (String n : names) {
                m.put(n, r);
            }
        }
        for (int i = 8; i <= 15; i++) {
            GuestRegister r = X86Register.valueOf("R" + i);
            for (String suffix : new String[] {"", "d", "w", "b"}) {
                m.put("r" + i + suffix, r);
            }
        }
        return Map.copyOf(m);
    }

    private static Map<String, GuestRegister> arm64() {
        Map<String, GuestRegister> m = new HashMap<>();
        for (int i = 0; i <= 30; i++) {
            m.put("x" + i, Arm64Register.x(i));
            m.put("w" + i, Arm64Register.x(i));
        }
        m.put("fp", Arm64Register.X29);
        m.put("lr", Arm64Register.X30);
        m.put("sp", Arm64Register.SP);
        m.put("wsp", Arm64Register.SP);
        m.put("nzcv", Arm64Register.NZCV);
        m.put("pc", Arm64Register.PC);
        return Map.copyOf(m);
    }
}
