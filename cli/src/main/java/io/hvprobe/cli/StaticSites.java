package io.hvprobe.cli;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.DecodeDetail;
import io.hvprobe.disasm.Disassembler;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.LoadedSection;
import io.hvprobe.trap.TrapDecoder;
import io.hvprobe.trap.TrapEncoding;
import io.hvprobe.trap.TrapSite;
import io.hvprobe.trap.TrapSiteScanner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Trap sites found by a static sweep of every executable section, without an emulator. */
final class StaticSites {
    /** Linux ALTERNATIVE replacement code: patched in at boot instead of the original instructions. */
    static final String ALTERNATIVES = ".altinstr_replacement";

    /**
     * One site.
     *
     * @param site        the trap site
     * @param section     the section holding it
     * @param location    {@code function+0xNN}, or {@code section+0xNN} outside functions
     * @param alternative whether it is replacement code of a Linux ALTERNATIVE
     */
    record Site(TrapSite site, String section, String location, boolean alternative) {
    }

    private StaticSites() {
    }

    static List<Site> scan(GuestImage image) {
        List<Site> out = new ArrayList<>();
        try (Disassembler d = image.arch() == Arch.X86_64 ? Disassembler.open(Arch.X86_64, DecodeDetail.TEXT) : null) {
            TrapSiteScanner scanner = d != null ? TrapSiteScanner.x86(d, new TrapDecoder())
                    : TrapSiteScanner.arm64(new TrapDecoder());
            for (LoadedSection s : image.sections()) {
                if (!s.executable() || s.size() <= 0 || s.name().startsWith(".hvprobe.")) {
                    continue;
                }
                byte[] code = image.read(s.address(), (int) s.size());
                for (TrapSite t : scanner.scan(code, s.address())) {
                    String loc = image.symbolize(t.address());
                    if (loc.startsWith("0x")) {
                        loc = s.name() + "+0x" + Long.toHexString(t.address() - s.address());
                    }
                    out.add(new Site(t, s.name(), loc, s.name().equals(ALTERNATIVES)));
                }
            }
        }
        return out;
    }

    /** What the encoding adds to the disassembly, e.g. {@code port in dx, 4 bytes} or {@code read mdccsr_el0}. */
    static String detail(TrapSite t) {
        return switch (t.encoding()) {
            case TrapEncoding.PortIo p -> (p.immediatePort() ? String.format(Locale.ROOT, "port 0x%x", p.port())
                    : "port in dx") + ", " + p.accessSize() + (p.accessSize() == 1 ? " byte" : " bytes")
                    + (p.string() ? ", string" : "");
            case TrapEncoding.X86Plain x -> "";
            case TrapEncoding.ExceptionCall e -> ""; // the immediate is in the disassembly
            case TrapEncoding.SystemRegisterAccess r -> (r.read() ? "read " : "write ") + r.name();
        };
    }
}
