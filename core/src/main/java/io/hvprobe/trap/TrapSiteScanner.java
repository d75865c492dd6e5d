package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.Disassembler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds every trap site in a code range by linear sweep.
 *
 * <p>x86_64: instruction boundaries come from a {@link Disassembler} sweep (so sites are found at whatever
 * byte offset the instruction stream puts them, and undecodable bytes are stepped over one at a time); the
 * {@link TrapDecoder} decides at each boundary. arm64: every 4-byte word from the start of the range is
 * checked, no disassembler needed.
 *
 * <p>A scanner is as thread-safe as its disassembler.
 */
public final class TrapSiteScanner {
    private final Arch arch;
    private final Disassembler disassembler;
    private final TrapDecoder decoder;

    private TrapSiteScanner(Arch arch, Disassembler disassembler, TrapDecoder decoder) {
        this.arch = arch;
        this.disassembler = disassembler;
        this.decoder = decoder;
    }

    /**
     * An x86_64 scanner; {@code disassembler} supplies instruction lengths (open it with
     * {@link io.hvprobe.disasm.DecodeDetail#TEXT} for speed). The caller keeps ownership of it.
     *
     * @param disassembler an x86_64 disassembler, kept by the caller
     * @param decoder      decides which instructions trap
     * @return the scanner
     * @throws IllegalArgumentException when {@code disassembler} is not for x86_64
     */
    public static TrapSiteScanner x86(Disassembler disassembler, TrapDecoder decoder) {
        if (disassembler.arch() != Arch.X86_64) {
            throw new IllegalArgumentException("x86 scanner needs an x86_64 disassembler, got " + disassembler.arch());
        }
        return new TrapSiteScanner(Arch.X86_64, disassembler, decoder);
    }

    /**
     * An arm64 scanner.
     *
     * @param decoder decides which instructions trap
     * @return the scanner
     */
    public static TrapSiteScanner arm64(TrapDecoder decoder) {
        return new TrapSiteScanner(Arch.ARM64, null, decoder);
    }

    /** {@return the architecture scanned} */
    public Arch arch() {
        return arch;
    }

    /** {@return the decoder deciding what traps} */
    public TrapDecoder decoder() {
        return decoder;
    }

    /**
     * Every trap site in {@code code}, loaded at {@code address}, in address order.
     *
     * @param code    the code bytes
     * @param address the guest address of {@code code[0]}
     * @return the sites, possibly none
     */
    public List<TrapSite> scan(byte[] code, long address) {
        List<TrapSite> sites = new ArrayList<>();
        if (arch == Arch.ARM64) {
            for (int off = 0; off + 4 <= code.length; off += 4) {
                int word = (code[off] & 0xFF) | (code[off + 1] & 0xFF) << 8 | (code[off + 2] & 0xFF) << 16
                        | (code[off + 3] & 0xFF) << 24;
                // Cheap pre-check: only exception-generation (D4) and system (D5) words can trap.
                if ((word >>> 25) == 0x6A) {
                    decoder.decodeArm64Word(address + off, word).ifPresent(sites::add);
                }
            }
            return sites;
        }
        disassembler.sweep(code, address, insn -> {
            int off = (int) (insn.address() - address);
            if (mayTrapX86(code[off])) {
                decoder.decode(Arch.X86_64, insn.address(), code, off, code.length).ifPresent(sites::add);
            }
        });
        return sites;
    }

    /**
     * The trap site at {@code pc} given the bytes read there, or empty: the run-time safety net for traps the
     * scan did not predict (self-modifying or computed code).
     *
     * @param pc        the guest address about to execute
     * @param bytesAtPc the bytes read at {@code pc}
     * @return the site, or empty when the instruction at {@code pc} does not trap
     */
    public Optional<TrapSite> siteAt(long pc, byte[] bytesAtPc) {
        return decoder.decode(arch, pc, bytesAtPc);
    }

    /** False only for first bytes that can start no x86 trap instruction, prefix or opcode. */
    static boolean mayTrapX86(byte first) {
        int b = first & 0xFF;
        return (b >= 0xE4 && b <= 0xE7) || (b >= 0xEC && b <= 0xEF) || (b >= 0x6C && b <= 0x6F) || b == 0x0F
                || (b >= 0x40 && b <= 0x4F) || b == 0x66 || b == 0x67 || b == 0xF2 || b == 0xF3 || b == 0x26
                || b == 0x2E || b == 0x36 || b == 0x3E || b == 0x64 || b == 0x65;
    }
}
