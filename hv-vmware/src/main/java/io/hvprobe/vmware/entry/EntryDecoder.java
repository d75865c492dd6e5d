package io.hvprobe.vmware.entry;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.Severity;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.vmware.abi.Backdoor;
import io.hvprobe.vmware.finding.Findings;
import io.hvprobe.vmware.finding.Rules;
import io.hvprobe.vmware.profile.VmwareProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.hvprobe.vmware.finding.Findings.hex;

/**
 * Recognises VMware backdoor calls among traps (spec §1) and normalises them to a {@link BackdoorCall}.
 * Anything that is clearly not VMware's is {@link Entry.NotMine}.
 */
public final class EntryDecoder {
    /** RCX bits a TDVMCALL must expose: RDX, RBX, RSI, RDI, R10..R13. */
    static final long TDX_REQUIRED_EXPOSE = (1L << 2) | (1L << 3) | (1L << 6) | (1L << 7)
            | (1L << 10) | (1L << 11) | (1L << 12) | (1L << 13);

    private final VmwareProfile profile;

    /** A decoder for {@code profile}. */
    public EntryDecoder(VmwareProfile profile) {
        this.profile = profile;
    }

    /** Decodes {@code event}. */
    public Entry decode(TrapEvent event) {
        RegisterSnapshot regs = event.registers();
        return switch (event.form()) {
            case IN, OUT, INS, OUTS -> event.detail() instanceof TrapDetail.Io io
                    ? route(EntryPath.IO_PORT, io, regs, new ArrayList<>()) : new Entry.NotMine();
            case VMCALL -> hypercall(EntryPath.VMCALL, regs, profile.entry().advertiseVmcall());
            case VMMCALL -> hypercall(EntryPath.VMMCALL, regs, profile.entry().advertiseVmmcall());
            case TDCALL -> tdcall(regs);
            case MRS -> mrs(event, regs);
            case HVC -> exceptionCall(event, EntryPath.ARM64_HVC, regs);
            case BRK -> exceptionCall(event, EntryPath.ARM64_BRK, regs);
            // CPUID and RDPMC are answered before decoding; SMC and MSR are no VMware entry path.
            case CPUID, RDPMC, SMC, MSR -> new Entry.NotMine();
        };
    }

    // ---- x86 hypercalls ------------------------------------------------------------------------

    private Entry hypercall(EntryPath path, RegisterSnapshot regs, boolean advertised) {
        if (regs.get32(X86Register.RAX) != Backdoor.MAGIC) {
            return new Entry.NotMine();
        }
        List<Finding> findings = new ArrayList<>();
        if (!advertised) {
            findings.add(Findings.of(Rules.HYPERCALL_NOT_ADVERTISED, path.label().toUpperCase(java.util.Locale.ROOT)
                    + " used but CPUID 0x40000010 does not advertise it in profile " + profile.name(),
                    "path", path.label(), "profile", profile.name()));
        }
        int flags = (int) (regs.get(X86Register.RDX) & 0xFFFF);
        if ((flags & ~3) != 0) {
            findings.add(Findings.of(Rules.HB_FLAGS, "DX[15:0] = " + hex(flags) + " has reserved flag bits set",
                    "register", "rdx", "observed", hex(flags), "expected", "0x0, 0x1 or 0x3"));
        }
        if ((flags & 3) == Backdoor.FLAG_OUT) {
            findings.add(Findings.of(Rules.HB_FLAGS, "DX[15:0] = " + hex(flags)
                    + " sets OUT without HB; treated as a low-bandwidth call", "register", "rdx", "observed", hex(flags)));
        }
        boolean hb = (flags & Backdoor.FLAG_HB) != 0;
        if (hb && !profile.entry().hbPort()) {
            findings.add(Findings.of(Rules.HB_UNSUPPORTED, "high-bandwidth " + path.label()
                    + " but profile " + profile.name() + " has no HB transfers", "profile", profile.name()));
            return new Entry.Refused(path.label() + " HB", path.arch(), Optional.empty(), findings, "HB not supported");
        }
        Direction dir = hb && (flags & Backdoor.FLAG_OUT) != 0 ? Direction.OUT : Direction.IN;
        BackdoorCall call = BackdoorCall.from(path, hb ? Bandwidth.HB : Bandwidth.LB, dir,
                hb ? Backdoor.HB_PORT : Backdoor.LB_PORT, regs, -1L);
        return new Entry.Call(call, findings);
    }

    private Entry tdcall(RegisterSnapshot regs) {
        long leaf = regs.get(X86Register.R10);
        boolean magic = regs.get32(X86Register.R12) == Backdoor.MAGIC;
        if (regs.get(X86Register.RAX) != 0 || (leaf != Backdoor.TDX_VENDOR_LEAF && !magic)) {
            return new Entry.NotMine();
        }
        List<Finding> findings = new ArrayList<>();
        if (!profile.entry().advertiseTdx()) {
            findings.add(Findings.of(Rules.HYPERCALL_NOT_ADVERTISED, "TDCALL used but profile " + profile.name()
                    + " does not advertise the TDX API", "path", "tdcall", "profile", profile.name()));
        }
        if (leaf != Backdoor.TDX_VENDOR_LEAF) {
            findings.add(tdx("R10 is not VMware's vendor leaf", "r10", leaf, Backdoor.TDX_VENDOR_LEAF));
        }
        long func = regs.get(X86Register.R11);
        if (func != Backdoor.TDX_HCALL_FUNC) {
            findings.add(tdx("R11 is not the VMware hypercall function", "r11", func, Backdoor.TDX_HCALL_FUNC));
        }
        long rdx = regs.get(X86Register.RDX);
        if ((rdx & 0xFFFF) != 0) {
            findings.add(tdx("RDX[15:0] must be 0 over TDX", "rdx", rdx & 0xFFFF, 0));
        }
        if ((rdx & Backdoor.FLAG_HB) != 0) {
            findings.add(Findings.of(Rules.HB_UNSUPPORTED, "RDX[0] asks for a high-bandwidth transfer, which TDX"
                    + " does not have; answered as a low-bandwidth call", "register", "rdx", "path", "tdcall"));
        }
        // Bits 63:32 of the command are ignored like those of every LB input (spec §2.3).
        long cmd = regs.get32(X86Register.R13);
        if ((cmd & ~Backdoor.TDX_COMMAND_MASK) != 0) {
            findings.add(tdx("command outside the TDX command mask 0xF007F", "r13", cmd, cmd & Backdoor.TDX_COMMAND_MASK));
        }
        long expose = regs.get(X86Register.RCX);
        if ((expose & TDX_REQUIRED_EXPOSE) != TDX_REQUIRED_EXPOSE) {
            findings.add(tdx("RCX does not expose every register the call uses", "rcx", expose,
                    expose | TDX_REQUIRED_EXPOSE));
        }
        return new Entry.Call(BackdoorCall.from(EntryPath.TDCALL, Bandwidth.LB, Direction.IN, Backdoor.LB_PORT,
                regs, -1L), findings);
    }

    private static Finding tdx(String message, String register, long observed, long expected) {
        return Findings.of(Rules.TDX_ARGS, message, "register", register, "observed", hex(observed),
                "expected", hex(expected));
    }

    // ---- arm64 ---------------------------------------------------------------------------------

    private Entry mrs(TrapEvent event, RegisterSnapshot regs) {
        if (!(event.detail() instanceof TrapDetail.SystemRegister sr) || !sr.read() || !isMdccsr(sr)) {
            return new Entry.NotMine();
        }
        List<Finding> findings = new ArrayList<>();
        long x7 = regs.get(Arm64Register.X7);
        if ((x7 >>> 32) != Backdoor.ARM64_MAGIC) {
            if ((regs.get(Arm64Register.X0) & 0xFFFF_FFFFL) != Backdoor.MAGIC) {
                return new Entry.NotMine();
            }
            // The backdoor magic in X0 says the guest meant a backdoor call (like the magic sent to a wrong x86
            // port); VMware sees a plain MDCCSR_EL0 read, so nothing is written.
            findings.add(Findings.of(Rules.ARM64_DESCRIPTOR, "X7 = " + hex(x7) + " lacks the 0x86 magic in bits 63:32"
                    + " (a 32-bit W7 write zeroes them): not a backdoor call", "register", "x7", "observed", hex(x7),
                    "expected", "0x86 in X7[63:32]"));
            return new Entry.Refused(EntryPath.ARM64_MRS.label() + " (no X7 magic)", Arch.ARM64, Optional.empty(),
                    findings, "MDCCSR_EL0 read, not a backdoor call");
        }
        if (sr.rt() != 31) {
            findings.add(Findings.of(Rules.ARM64_DESCRIPTOR, "backdoor MRS reads into x" + sr.rt()
                    + " instead of xzr", "observed", "x" + sr.rt(), "expected", "xzr"));
        }
        return arm64(EntryPath.ARM64_MRS, regs, findings);
    }

    private static boolean isMdccsr(TrapDetail.SystemRegister sr) {
        return sr.op0() == 2 && sr.op1() == 3 && sr.crn() == 0 && sr.crm() == 1 && sr.op2() == 0;
    }

    private Entry exceptionCall(TrapEvent event, EntryPath path, RegisterSnapshot regs) {
        if (!(event.detail() instanceof TrapDetail.ExceptionCall ec) || ec.immediate() != Backdoor.ARM64_MAGIC) {
            return new Entry.NotMine();
        }
        List<Finding> findings = new ArrayList<>();
        if (path == EntryPath.ARM64_BRK && !profile.entry().arm64Brk()) {
            findings.add(Findings.of(Rules.HYPERCALL_NOT_ADVERTISED, "BRK #0x86 used but profile " + profile.name()
                    + " does not enable it (monitor_control.hv_hypercall)", "path", "brk", "profile", profile.name()));
        }
        return arm64(path, regs, findings);
    }

    private Entry arm64(EntryPath path, RegisterSnapshot regs, List<Finding> findings) {
        Arm64IoDescriptor d = Arm64IoDescriptor.decode(regs.get(Arm64Register.X7));
        for (String problem : d.problems()) {
            findings.add(Findings.of(Rules.ARM64_DESCRIPTOR, "W7 descriptor " + hex(d.raw()) + ": " + problem,
                    "register", "w7", "observed", hex(d.raw())));
        }
        if (d.accessSize() == 0) {
            return new Entry.Refused(path.label() + " (invalid descriptor)", path.arch(), Optional.empty(), findings,
                    "invalid W7 size");
        }
        int port = d.type() == 0 ? d.immediate() : (int) (regs.get(Arm64Register.X3) & 0xFFFF);
        TrapDetail.Io io = new TrapDetail.Io(port, d.accessSize(),
                d.read() ? TrapDetail.IoDirection.IN : TrapDetail.IoDirection.OUT, d.type() == 0, d.string(), d.rep(),
                regs.get(Arm64Register.X2), d.descending(), 64);
        return route(path, io, regs, findings);
    }

    // ---- port routing (x86 I/O and arm64 descriptors) ---------------------------------------------

    private Entry route(EntryPath path, TrapDetail.Io io, RegisterSnapshot regs, List<Finding> findings) {
        GuestRegister arg0 = path.registers().require(0);
        long eax = regs.get32(arg0);
        int port = io.port();
        Direction dir = io.direction() == TrapDetail.IoDirection.IN ? Direction.IN : Direction.OUT;

        if (port == Backdoor.BALLOON_PORT && profile.balloon().enabled() && eax == Backdoor.BALLOON_MAGIC) {
            if (io.string() || io.accessSize() != 4) {
                findings.add(Findings.of(Rules.IO_SIZE, what(io, dir) + " is not a balloon call (needs a 32-bit IN/OUT)",
                        "port", hex(port), "size", io.accessSize(), "register", portRegister(path, io)));
                return refused(path, what(io, dir), io, arg0, findings);
            }
            return new Entry.Call(BackdoorCall.from(path, Bandwidth.LB, dir, port, regs, -1L), findings);
        }
        boolean hbQuirk = port == Backdoor.HB_OUT_QUIRK_PORT && io.string() && dir == Direction.OUT
                && profile.entry().acceptHbPort565b();
        boolean backdoorPort = port == Backdoor.LB_PORT || port == Backdoor.HB_PORT || hbQuirk;
        if (!backdoorPort) {
            // Any other port belongs to a device, unless the guest put a VMware magic in EAX: then it meant a
            // backdoor or balloon call and lost the port on the way (e.g. a wrapper without its "d" input).
            boolean balloonMagic = eax == Backdoor.BALLOON_MAGIC && profile.balloon().enabled();
            if (eax != Backdoor.MAGIC && !balloonMagic) {
                return new Entry.NotMine();
            }
            findings.add(balloonMagic
                    ? Findings.of(Rules.PORT_WRONG, "balloon magic sent to port " + hex(port)
                            + ", which is not the balloon port", "port", hex(port), "expected", hex(Backdoor.BALLOON_PORT),
                            "register", portRegister(path, io))
                    : Findings.of(Rules.PORT_WRONG, "backdoor magic sent to port " + hex(port)
                            + ", which is not a backdoor port", "port", hex(port), "expected", "0x5658 or 0x5659",
                            "register", portRegister(path, io)));
            return refused(path, what(io, dir), io, arg0, findings);
        }
        if (io.accessSize() != (io.string() ? 1 : 4)) {
            findings.add(Findings.of(Rules.IO_SIZE, what(io, dir) + " on a backdoor port is not a backdoor call",
                    "port", hex(port), "size", io.accessSize(), "expected", io.string() ? 1 : 4,
                    "register", portRegister(path, io)));
            return refused(path, what(io, dir), io, arg0, findings);
        }
        if (!io.string()) {
            if (port != Backdoor.LB_PORT) {
                findings.add(Findings.of(Rules.PORT_WRONG, "register I/O (" + dir + ") on the HB port " + hex(port),
                        "port", hex(port), "expected", "0x5658", "register", portRegister(path, io)));
                return refused(path, what(io, dir), io, arg0, findings);
            }
            if (dir == Direction.OUT && !profile.entry().outAsIn()) {
                return new Entry.Refused(what(io, dir), path.arch(), Optional.empty(), findings, "OUT ignored (out-as-in=false)");
            }
            return new Entry.Call(BackdoorCall.from(path, Bandwidth.LB, dir, Backdoor.LB_PORT, regs, -1L), findings);
        }
        if (port == Backdoor.LB_PORT) {
            findings.add(Findings.of(Rules.PORT_WRONG, "string I/O on the LB port 0x5658", "port", hex(port),
                    "expected", "0x5659", "register", portRegister(path, io)));
            return refused(path, what(io, dir), io, arg0, findings);
        }
        if (!profile.entry().hbPort()) {
            findings.add(Findings.of(Rules.HB_UNSUPPORTED, "high-bandwidth " + what(io, dir) + " but profile "
                    + profile.name() + " has no HB port", "port", hex(port), "profile", profile.name()));
            return new Entry.Refused(what(io, dir), path.arch(), Optional.empty(), findings, "no HB port");
        }
        if (hbQuirk) {
            Finding f = Findings.of(Rules.PORT_WRONG, "port 0x565B (old vmwgfx HB-out quirk) accepted as 0x5659",
                    "port", hex(port), "expected", "0x5659");
            findings.add(f.withSeverity(Severity.WARNING));
        }
        if (!io.rep()) {
            findings.add(Findings.of(Rules.HB_FLAGS, what(io, dir) + " without REP; the count is taken from "
                    + path.registers().require(2).displayName(), "port", hex(port)));
        }
        if (io.descending()) {
            findings.add(Findings.of(Rules.ARGUMENT_INVALID, "direction flag set for a high-bandwidth transfer;"
                    + " the model transfers ascending", "flag", "DF"));
        }
        long addressMask = io.addressSize() == 32 ? 0xFFFF_FFFFL : -1L;
        return new Entry.Call(BackdoorCall.from(path, Bandwidth.HB, dir, Backdoor.HB_PORT, regs, addressMask), findings);
    }

    /** The access in words, e.g. {@code IN port 0x5658 (32-bit)}: built only where a refusal or finding names it. */
    private static String what(TrapDetail.Io io, Direction dir) {
        return (io.string() ? (dir == Direction.IN ? "INS" : "OUTS") : dir.name()) + " port " + hex(io.port())
                + " (" + io.accessSize() * 8 + "-bit)";
    }

    private static Entry refused(EntryPath path, String what, TrapDetail.Io io, GuestRegister arg0, List<Finding> findings) {
        Optional<RegisterWrite> answer = Optional.empty();
        if (io.direction() == TrapDetail.IoDirection.IN && !io.string()) {
            int width = io.accessSize() * 8;
            answer = Optional.of(new RegisterWrite(arg0, width, -1L >>> (64 - width)));
        }
        return new Entry.Refused(what, path.arch(), answer, findings, "answered as an unclaimed port");
    }

    /**
     * Where the port came from: DX or W3[15:0]; for an immediate port the instruction ({@code none}) on x86, the
     * W7 descriptor's IMM field on arm64.
     */
    private static String portRegister(EntryPath path, TrapDetail.Io io) {
        boolean arm64 = path.arch() == Arch.ARM64;
        if (io.immediatePort()) {
            return arm64 ? "w7" : "none";
        }
        return arm64 ? "x3" : "rdx";
    }
}
