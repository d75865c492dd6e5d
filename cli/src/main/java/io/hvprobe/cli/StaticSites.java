package io.hvprobe.cli;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.DecodeDetail;
import io.hvprobe.disasm.Disassembler;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.LoadedSection;
import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.Hypervisors;
import io.hvprobe.trap.BugTable;
import io.hvprobe.trap.StaticPorts;
import io.hvprobe.trap.TrapDecoder;
import io.hvprobe.trap.TrapEncoding;
import io.hvprobe.trap.TrapSite;
import io.hvprobe.trap.TrapSiteScanner;
import io.hvprobe.trap.XenForcedEmulation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

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
     * @param port        the port of port I/O when known statically
     * @param deviceIo    port I/O on a port no hypervisor model answers hypercalls on, or whose port is not known
     *                    statically (SVGA's base + index): at run time a plugin may still claim it, otherwise it is
     *                    a plain device
     * @param xenPrefix   where Xen's forced-emulation prefix before this CPUID starts ({@link XenForcedEmulation}):
     *                    the site is reached when the prefix is
     */
    record Site(TrapSite site, String section, String location, boolean alternative, Optional<Integer> port,
                boolean deviceIo, OptionalLong xenPrefix) {
    }

    private StaticSites() {
    }

    /**
     * The trap sites of {@code image}; the kernel's BUG()/WARN() traps ({@link BugTable}) are not among them.
     */
    static List<Site> scan(GuestImage image) {
        List<Site> out = new ArrayList<>();
        BugTable bugs = BugTable.of(image);
        Set<Integer> hypercallPorts = new HashSet<>();
        for (Hypervisor h : Hypervisors.all()) {
            hypercallPorts.addAll(h.hypercallPorts());
        }
        try (Disassembler d = image.arch() == Arch.X86_64 ? Disassembler.open(Arch.X86_64, DecodeDetail.TEXT) : null) {
            TrapDecoder decoder = new TrapDecoder();
            TrapSiteScanner scanner = d != null ? TrapSiteScanner.x86(d, decoder) : TrapSiteScanner.arm64(decoder);
            for (LoadedSection s : image.sections()) {
                if (!s.executable() || s.size() <= 0 || s.name().startsWith(".hvprobe.")) {
                    continue;
                }
                byte[] code = image.read(s.address(), (int) s.size());
                Map<Long, Integer> ports = d == null ? Map.of() : StaticPorts.of(d, decoder, code, s.address());
                List<TrapSite> found = scanner.scan(code, s.address());
                Set<Long> prefixed = new HashSet<>();
                for (TrapSite t : found) {
                    if (XenForcedEmulation.prefixed(t, code, (int) (t.address() - s.address()))) {
                        prefixed.add(t.address() - XenForcedEmulation.LENGTH);
                    }
                }
                for (TrapSite t : found) {
                    if (bugs.at(t.address()).isPresent() || insidePrefix(prefixed, t.address())) {
                        continue;
                    }
                    String loc = image.symbolize(t.address());
                    if (loc.startsWith("0x")) {
                        loc = s.name() + "+0x" + Long.toHexString(t.address() - s.address());
                    }
                    Optional<Integer> port = Optional.ofNullable(ports.get(t.address()));
                    boolean deviceIo = t.encoding() instanceof TrapEncoding.PortIo
                            && !port.map(hypercallPorts::contains).orElse(false);
                    long prefix = t.address() - XenForcedEmulation.LENGTH;
                    out.add(new Site(t, s.name(), loc, s.name().equals(ALTERNATIVES), port, deviceIo,
                            prefixed.contains(prefix) ? OptionalLong.of(prefix) : OptionalLong.empty()));
                }
            }
        }
        return out;
    }

    /** Whether {@code address} lies in the bytes {@code "xen"} of a forced-emulation prefix (not instructions). */
    private static boolean insidePrefix(Set<Long> prefixes, long address) {
        for (int i = 1; i < XenForcedEmulation.LENGTH; i++) {
            if (prefixes.contains(address - i)) {
                return true;
            }
        }
        return false;
    }

    /** What the encoding adds to the disassembly, e.g. {@code port in dx, 4 bytes} or {@code read mdccsr_el0}. */
    static String detail(TrapSite t) {
        return detail(t, Optional.empty());
    }

    /** As {@link #detail(TrapSite)}, naming a DX port that is known statically ({@code port 0x5658 in dx}). */
    static String detail(TrapSite t, Optional<Integer> port) {
        return switch (t.encoding()) {
            case TrapEncoding.PortIo p -> (p.immediatePort() ? String.format(Locale.ROOT, "port 0x%x", p.port())
                    : port.map(x -> String.format(Locale.ROOT, "port 0x%x in dx", x)).orElse("port in dx"))
                    + ", " + p.accessSize() + (p.accessSize() == 1 ? " byte" : " bytes")
                    + (p.string() ? ", string" : "");
            case TrapEncoding.X86Plain x -> "";
            case TrapEncoding.ExceptionCall e -> ""; // the immediate is in the disassembly
            case TrapEncoding.SystemRegisterAccess r -> (r.read() ? "read " : "write ") + r.name();
        };
    }
}
