package io.hvprobe.trap;

/** What the instruction encoding of a trap site says, per kind of trap. */
public sealed interface TrapEncoding {

    /**
     * x86 {@code IN}, {@code OUT}, {@code INS}, {@code OUTS}.
     *
     * @param prefixes      the prefixes
     * @param accessSize    bytes per element: 1, 2 (with 66) or 4
     * @param immediatePort the port is an 8-bit immediate rather than DX
     * @param port          the immediate port, or -1 when the port is in DX
     * @param string        INS/OUTS
     */
    record PortIo(X86Prefixes prefixes, int accessSize, boolean immediatePort, int port, boolean string)
            implements TrapEncoding {
    }

    /**
     * x86 {@code VMCALL}, {@code VMMCALL}, {@code TDCALL}, {@code CPUID}, {@code RDPMC}: no operands.
     *
     * @param prefixes the prefixes before the opcode
     */
    record X86Plain(X86Prefixes prefixes) implements TrapEncoding {
    }

    /**
     * arm64 {@code HVC}, {@code SMC}, {@code BRK} with the 16-bit immediate.
     *
     * @param immediate the 16-bit immediate, 0..0xFFFF
     */
    record ExceptionCall(int immediate) implements TrapEncoding {
    }

    /**
     * arm64 {@code MRS}/{@code MSR} of a trapped system register.
     *
     * @param register the register's encoding
     * @param name     its name, e.g. {@code mdccsr_el0}
     * @param read     MRS (true) or MSR (false)
     * @param rt       the general register number, 31 meaning XZR
     */
    record SystemRegisterAccess(SystemRegisterId register, String name, boolean read, int rt)
            implements TrapEncoding {
    }
}
