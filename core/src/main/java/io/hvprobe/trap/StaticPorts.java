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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ports of x86 port-I/O sites that can be known without running the code: the immediate of {@code in al, 0x61},
 * or the last write of DX before an {@code in eax, dx} when it is {@code mov dx/edx/rdx, imm} (also
 * {@code or edx, imm} after {@code shl edx, 16}, as the VMware channel id is combined with the port). The search
 * looks back a few instructions in the same straight-line code and gives up at a branch or call; anything else
 * (SVGA's {@code base + index}, a port loaded from memory) is unknown.
 */
public final class StaticPorts {
    /** How many instructions before the site are looked at. */
    static final int WINDOW = 16;
    private static final Pattern SETS_DX = Pattern.compile("^(mov|or) (dx|edx|rdx), (0x[0-9a-f]+|\\d+)$");
    private static final Pattern KEEPS_LOW_DX = Pattern.compile("^(movsxd rdx, edx|movzx edx, dx|movsx rdx, edx)$");
    private static final Pattern CLEARS_LOW_DX = Pattern.compile("^shl (edx|rdx), (0x10|16)$");
    private static final Pattern WRITES_DX = Pattern.compile("^\\S+ (dl|dh|dx|edx|rdx)\\b.*");

    private StaticPorts() {
    }

    /** The statically known port of every port-I/O site in {@code code} (loaded at {@code address}), by address. */
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
        OptionalInt ored = OptionalInt.empty(); // an "or dx, imm" waiting for the shl that cleared the low bits
        for (Instruction i : before) {
            String text = i.text().toLowerCase(Locale.ROOT);
            if (isControlTransfer(i.mnemonic())) {
                return OptionalInt.empty();
            }
            Matcher m = SETS_DX.matcher(text);
            if (m.matches() && ored.isEmpty()) {
                String v = m.group(3);
                int value = (int) ((v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v))
                        & 0xFFFF);
                if (m.group(1).equals("mov")) {
                    return OptionalInt.of(value);
                }
                ored = OptionalInt.of(value);
                continue;
            }
            if (CLEARS_LOW_DX.matcher(text).matches()) {
                return ored;
            }
            if (KEEPS_LOW_DX.matcher(text).matches()) {
                continue;
            }
            if (WRITES_DX.matcher(text).matches() && !text.startsWith("cmp ") && !text.startsWith("test ")
                    && !text.startsWith("push ")) {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }

    private static boolean isControlTransfer(String mnemonic) {
        return mnemonic.startsWith("j") || mnemonic.startsWith("call") || mnemonic.startsWith("ret");
    }
}
