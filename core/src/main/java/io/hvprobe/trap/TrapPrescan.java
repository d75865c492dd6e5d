package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.X86Lengths;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfSection;

/**
 * Decides cheaply, from the ELF sections alone (no layout, no relocation, no disassembler), that an object holds no
 * trap instruction, so that a check of thousands of objects loads only those that may. It errs one way only:
 * {@link #mayHoldTrapSites} is true whenever the {@link TrapSiteScanner} could find a site in the loaded image.
 * Relocation patches only displacement and immediate fields, never opcodes or instruction lengths, so the bytes
 * as compiled decide.
 *
 * <p>arm64: every 4-byte word of each executable section through the {@link TrapDecoder}, as the scanner does.
 * x86_64: a linear sweep with {@link X86Lengths} from each section start, like the scanner's disassembler sweep,
 * asking the {@link TrapDecoder} at each instruction that may start a trap; wherever the length decoder is unsure
 * (bytes no valid instruction starts with) the two sweeps could part ways, so the answer is "may" and the caller
 * loads the object.
 */
public final class TrapPrescan {
    private final TrapDecoder decoder;

    /**
     * A pre-scan for the traps {@code decoder} recognises.
     *
     * @param decoder decides which instructions trap
     */
    public TrapPrescan(TrapDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * Whether the executable sections of {@code elf} may hold a trap site (BUG()/WARN() traps included: those are
     * told apart only after loading); false only when none can.
     *
     * @param elf a parsed ELF file
     * @return false only when no executable section can hold a trap
     */
    public boolean mayHoldTrapSites(ElfFile elf) {
        Arch arch = elf.header().arch();
        for (ElfSection s : elf.sections()) {
            if (!s.isExecutable() || !s.isAllocated() || s.isNoBits() || s.size() <= 0
                    || s.name().startsWith(".hvprobe.")) {
                continue;
            }
            byte[] code = elf.contents(s);
            if (arch == Arch.ARM64 ? arm64(code) : x86(code)) {
                return true;
            }
        }
        return false;
    }

    private boolean arm64(byte[] code) {
        for (int off = 0; off + 4 <= code.length; off += 4) {
            int word = (code[off] & 0xFF) | (code[off + 1] & 0xFF) << 8 | (code[off + 2] & 0xFF) << 16
                    | (code[off + 3] & 0xFF) << 24;
            if ((word >>> 25) == 0x6A && decoder.decodeArm64Word(off, word).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private boolean x86(byte[] code) {
        int off = 0;
        while (off < code.length) {
            int length = X86Lengths.length(code, off, code.length);
            if (length == X86Lengths.UNSURE) {
                return true;
            }
            if (TrapSiteScanner.mayTrapX86(code[off])
                    && decoder.decode(Arch.X86_64, off, code, off, code.length).isPresent()) {
                return true;
            }
            off += length;
        }
        return false;
    }
}
