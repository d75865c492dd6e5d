package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.Disassembler;
import io.hvprobe.disasm.Instruction;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The ports of x86 port-I/O sites that can be known without running the code: the immediate of {@code in al, 0x61},
 * or, for {@code in eax, dx}, the constant that reaches DX in the straight-line code before the site —
 * {@code mov edx, 0x5658}, a copy from another register that got one ({@code mov rdx, r10}), or
 * {@code or edx, 0x5659} after {@code shl edx, 16} (the VMware channel id in the high half). The search walks back
 * up to {@link #WINDOW} instructions through fall-through code (over conditional branches; it stops at calls,
 * returns and unconditional jumps). A port computed any other way (SVGA's {@code base + index}, a load from
 * memory) is unknown. A static listing aid only: at run time the plugins decide what they claim.
 */
public final class StaticPorts {
    /** How many instructions before the site are looked at. */
    static final int WINDOW = 48;
    private static final java.util.regex.Pattern LEA =
            java.util.regex.Pattern.compile(".*\\[(\\w+) \\+ (0x[0-9a-f]+|\\d+)\\]$");

    private StaticPorts() {
    }

    /**
     * The statically known port of every port-I/O site in {@code code} (loaded at {@code address}), by address.
     *
     * @param disassembler a disassembler, kept by the caller; for another architecture than x86_64 the map is empty
     * @param decoder      decides which instructions are port I/O traps
     * @param code         the code bytes
     * @param address      the guest address of {@code code[0]}
     * @return port per site address, only for the sites whose port the code before them fixes
     */
    public static Map<Long, Integer> of(Disassembler disassembler, TrapDecoder decoder, byte[] code, long address) {
        if (disassembler.arch() != Arch.X86_64) {
            return Map.of();
        }
        Map<Long, Integer> out = new HashMap<>();
        Deque<Instruction> recent = new ArrayDeque<>();
        disassembler.sweep(code, address, insn -> {
            int off = (int) (insn.address() - address);
            decoder.decode(Arch.X86_64, insn.address(), code, off, code.length)
                    .filter(s -> s.encoding() instanceof TrapEncoding.PortIo)
                    .ifPresent(site -> port(site, recent).ifPresent(p -> out.put(site.address(), p)));
            recent.addFirst(insn);
            if (recent.size() > WINDOW) {
                recent.removeLast();
            }
        });
        return out;
    }

    private static OptionalInt port(TrapSite site, Deque<Instruction> before) {
        TrapEncoding.PortIo io = (TrapEncoding.PortIo) site.encoding();
        if (io.immediatePort()) {
            return OptionalInt.of(io.port());
        }
        String tracked = "rdx";
        OptionalInt ored = OptionalInt.empty(); // an "or dx, imm" waiting for the shl that cleared the low bits
        for (Instruction i : before) {
            String m = i.mnemonic().toLowerCase(Locale.ROOT);
            if (m.startsWith("call") || m.startsWith("ret") || m.equals("jmp")) {
                return OptionalInt.empty();
            }
            String[] ops = i.operands().toLowerCase(Locale.ROOT).split(",\\s*");
            if (ops.length == 0 || !tracked.equals(family(ops[0])) || m.equals("cmp") || m.equals("test")
                    || m.equals("push") || m.startsWith("j")) {
                continue;
            }
            String source = ops.length > 1 ? ops[1] : "";
            OptionalInt imm = immediate(source);
            switch (m) {
                case "mov" -> {
                    if (imm.isPresent()) {
                        return ored.isPresent() ? OptionalInt.empty() : OptionalInt.of(imm.getAsInt() & 0xFFFF);
                    }
                    if (family(source) == null) {
                        return OptionalInt.empty();
                    }
                    tracked = family(source);
                }
                case "movsxd", "movzx", "movsx" -> {
                    if (family(source) == null) {
                        return OptionalInt.empty();
                    }
                    tracked = family(source);
                }
                case "or" -> {
                    if (imm.isEmpty() || ored.isPresent()) {
                        return OptionalInt.empty();
                    }
                    ored = OptionalInt.of(imm.getAsInt() & 0xFFFF);
                }
                case "lea" -> {
                    // lea rdx, [r15 + 0x5658]: the port is the displacement when r15's low half is clear.
                    java.util.regex.Matcher a = LEA.matcher(i.operands().toLowerCase(Locale.ROOT));
                    if (!a.matches() || ored.isPresent() || family(a.group(1)) == null) {
                        return OptionalInt.empty();
                    }
                    ored = immediate(a.group(2)).stream().map(v -> v & 0xFFFF).findFirst();
                    tracked = family(a.group(1));
                }
                case "shl" -> {
                    return imm.isPresent() && imm.getAsInt() >= 16 ? ored : OptionalInt.empty();
                }
                case "and" -> {
                    // and edx, 0xffff0000 clears the low half as a shl by 16 does.
                    return imm.isPresent() && (imm.getAsInt() & 0xFFFF) == 0 ? ored : OptionalInt.empty();
                }
                default -> {
                    return OptionalInt.empty();
                }
            }
        }
        return OptionalInt.empty();
    }

    private static OptionalInt immediate(String operand) {
        try {
            if (operand.startsWith("0x")) {
                return OptionalInt.of((int) Long.parseLong(operand.substring(2), 16));
            }
            if (!operand.isEmpty() && Character.isDigit(operand.charAt(0))) {
                return OptionalInt.of((int) Long.parseLong(operand));
            }
        } catch (NumberFormatException tooLong) {
            return OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    /** The 64-bit register a general register name belongs to ({@code dx} and {@code edx} → {@code rdx}). */
    static String family(String reg) {
        return switch (reg) {
            case "al", "ah", "ax", "eax", "rax" -> "rax";
            case "bl", "bh", "bx", "ebx", "rbx" -> "rbx";
            case "cl", "ch", "cx", "ecx", "rcx" -> "rcx";
            case "dl", "dh", "dx", "edx", "rdx" -> "rdx";
            case "sil", "si", "esi", "rsi" -> "rsi";
            case "dil", "di", "edi", "rdi" -> "rdi";
            case "bpl", "bp", "ebp", "rbp" -> "rbp";
            default -> reg.matches("r(8|9|1[0-5])[bwd]?") ? reg.replaceAll("[bwd]$", "") : null;
        };
    }
}
