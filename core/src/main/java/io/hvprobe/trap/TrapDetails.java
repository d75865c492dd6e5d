package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapForm;

import java.util.List;

/** Builds the {@link TrapDetail} of one trap from its site and the registers before it executes. */
public final class TrapDetails {
    /** RFLAGS.DF: string instructions walk downwards. */
    private static final long DIRECTION_FLAG = 1L << 10;

    private TrapDetails() {
    }

    /**
     * The detail of {@code site} executed with {@code registers}.
     *
     * @param site      a trap site
     * @param registers the registers when the site executed
     * @return the decoded operands (port, size, direction, count, immediate ...) of that execution
     * @throws IllegalArgumentException when the registers belong to another architecture than the site
     */
    public static TrapDetail of(TrapSite site, RegisterSnapshot registers) {
        Arch arch = site.form().arch();
        if (registers.arch() != arch) {
            throw new IllegalArgumentException(site.form() + " site with " + registers.arch() + " registers");
        }
        return switch (site.encoding()) {
            case TrapEncoding.PortIo io -> portIo(site.form(), io, registers);
            case TrapEncoding.X86Plain plain -> switch (site.form()) {
                case CPUID -> new TrapDetail.Cpuid(registers.get32(X86Register.RAX), registers.get32(X86Register.RCX));
                case RDPMC -> new TrapDetail.PmcRead(registers.get32(X86Register.RCX));
                case VMCALL, VMMCALL, TDCALL -> new TrapDetail.Hypercall();
                // Forms with their own encodings never come with a plain x86 one.
                case IN, OUT, INS, OUTS, HVC, SMC, BRK, MRS, MSR -> new TrapDetail.Hypercall();
            };
            case TrapEncoding.ExceptionCall call -> new TrapDetail.ExceptionCall(call.immediate());
            case TrapEncoding.SystemRegisterAccess sys -> new TrapDetail.SystemRegister(sys.register().op0(),
                    sys.register().op1(), sys.register().crn(), sys.register().crm(), sys.register().op2(),
                    sys.read(), sys.rt(), sys.name());
        };
    }

    /**
     * The registers {@link #of} reads for {@code site}: its detail is the same whenever they are equal, so a trap in a
     * loop may share one. None for an {@code HVC #imm}, an {@code MRS} or an {@code IN} from an immediate port; DX for
     * {@code IN} from DX, also RCX and RFLAGS for string I/O; EAX and ECX for CPUID.
     *
     * @param site a trap site
     * @return the registers, in no particular order
     */
    public static List<GuestRegister> inputs(TrapSite site) {
        return switch (site.encoding()) {
            case TrapEncoding.PortIo io -> io.string()
                    // DX is not read when the port is immediate: listing it only costs a comparison.
                    ? List.of(X86Register.RDX, X86Register.RCX, X86Register.RFLAGS)
                    : io.immediatePort() ? List.of() : List.of(X86Register.RDX);
            case TrapEncoding.X86Plain plain -> switch (site.form()) {
                case CPUID -> List.of(X86Register.RAX, X86Register.RCX);
                case RDPMC -> List.of(X86Register.RCX);
                case VMCALL, VMMCALL, TDCALL, IN, OUT, INS, OUTS, HVC, SMC, BRK, MRS, MSR -> List.of();
            };
            case TrapEncoding.ExceptionCall call -> List.of();
            case TrapEncoding.SystemRegisterAccess sys -> List.of();
        };
    }

    private static TrapDetail.Io portIo(TrapForm form, TrapEncoding.PortIo io, RegisterSnapshot registers) {
        X86Prefixes prefixes = io.prefixes();
        int port = io.immediatePort() ? io.port() : (int) (registers.get(X86Register.RDX) & 0xFFFF);
        boolean rep = io.string() && prefixes.anyRep();
        long count = !rep ? 1
                : prefixes.addressSize() ? registers.get32(X86Register.RCX) : registers.get(X86Register.RCX);
        boolean descending = io.string() && (registers.get(X86Register.RFLAGS) & DIRECTION_FLAG) != 0;
        int addressSize = prefixes.addressSize() ? 32 : 64;
        TrapDetail.IoDirection direction = form == TrapForm.IN || form == TrapForm.INS
                ? TrapDetail.IoDirection.IN : TrapDetail.IoDirection.OUT;
        return new TrapDetail.Io(port, io.accessSize(), direction, io.immediatePort(), io.string(), rep, count,
                descending, addressSize);
    }
}
