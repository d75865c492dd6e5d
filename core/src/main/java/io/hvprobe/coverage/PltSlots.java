package io.hvprobe.coverage;

import io.hvprobe.arch.Arch;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.LoadedSection;
import io.hvprobe.loader.Stub;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Where a linked object's PLT entry goes: the stub its GOT slot holds. A call from a shared object or executable
 * goes to {@code foo@plt}, not to {@code foo}'s stub, so what is known about {@code foo} (e.g. that it never
 * returns) is found through the entry's indirect jump: x86_64 {@code jmp *disp32(%rip)} (after an optional
 * {@code endbr64} and {@code bnd} prefix), arm64 {@code adrp x16, page; ldr x17, [x16, #off]}.
 */
final class PltSlots {
    private PltSlots() {
    }

    /** The stub a call to {@code target} ends in: the stub itself, or the one a PLT entry's slot holds. */
    static Optional<Stub> stubCalled(GuestImage image, long target) {
        Optional<Stub> direct = image.stubAt(target);
        if (direct.isPresent() || !inPlt(image, target)) {
            return direct;
        }
        return slot(image, target).flatMap(slot -> readLong(image, slot)).flatMap(image::stubAt);
    }

    private static boolean inPlt(GuestImage image, long address) {
        return image.sections().stream().filter(s -> s.name().startsWith(".plt")).anyMatch(s -> s.contains(address));
    }

    /** The GOT slot the PLT entry at {@code entry} jumps through, if it has the usual shape. */
    static Optional<Long> slot(GuestImage image, long entry) {
        LoadedSection plt = image.sections().stream().filter(s -> s.contains(entry)).findFirst().orElseThrow();
        int length = (int) Math.min(16, plt.address() + plt.size() - entry);
        if (length < 8) {
            return Optional.empty();
        }
        ByteBuffer code = ByteBuffer.wrap(image.read(entry, length)).order(ByteOrder.LITTLE_ENDIAN);
        return image.arch() == Arch.X86_64 ? x86Slot(code, entry) : arm64Slot(code, entry);
    }

    private static Optional<Long> x86Slot(ByteBuffer code, long entry) {
        int at = 0;
        if (code.getInt(0) == 0xFA1E0FF3) { // endbr64
            at = 4;
        }
        if ((code.get(at) & 0xFF) == 0xF2) { // bnd
            at++;
        }
        if (at + 6 > code.limit() || (code.get(at) & 0xFF) != 0xFF || (code.get(at + 1) & 0xFF) != 0x25) {
            return Optional.empty();
        }
        return Optional.of(entry + at + 6 + code.getInt(at + 2));
    }

    private static Optional<Long> arm64Slot(ByteBuffer code, long entry) {
        int adrp = code.getInt(0);
        int ldr = code.getInt(4);
        boolean isAdrp = (adrp & 0x9F000000) == 0x90000000;
        boolean isLdr = (ldr & 0xFFC00000) == 0xF9400000; // LDR Xt, [Xn, #imm12 * 8]
        if (!isAdrp || !isLdr || ((ldr >>> 5) & 0x1F) != (adrp & 0x1F)) {
            return Optional.empty();
        }
        long imm = ((long) ((adrp >>> 5) & 0x7FFFF) << 2) | ((adrp >>> 29) & 3);
        long page = (entry & ~0xFFFL) + ((imm << 43) >> 31); // sign-extend 21 bits, then * 4096
        return Optional.of(page + 8L * ((ldr >>> 10) & 0xFFF));
    }

    private static Optional<Long> readLong(GuestImage image, long address) {
        if (image.segmentAt(address).filter(s -> s.contains(address, 8)).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ByteBuffer.wrap(image.read(address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }
}
