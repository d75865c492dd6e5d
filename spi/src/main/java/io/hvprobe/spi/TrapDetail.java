package io.hvprobe.spi;

/** Form-specific facts about a trap, decoded from the instruction and the registers it uses. */
public sealed interface TrapDetail {

    /** Direction of an I/O access as the guest sees it. */
    enum IoDirection {
        /** Host to guest: {@code IN}, {@code INS}. */
        IN,
        /** Guest to host: {@code OUT}, {@code OUTS}. */
        OUT
    }

    /**
     * An x86 port access.
     *
     * @param port            the port (DX[15:0] or the immediate)
     * @param accessSize      bytes per element: 1, 2 or 4
     * @param direction       IN or OUT
     * @param immediatePort   true for the {@code in eax, imm8} forms
     * @param string          true for INS/OUTS
     * @param rep             true when a {@code REP} prefix is present
     * @param count           element count (RCX, or ECX with a 67 prefix) for REP string forms; 1 otherwise
     * @param descending      the direction flag is set (string forms walk downwards)
     * @param addressSize     address size in bits for string forms (64, or 32 with a 67 prefix)
     */
    record Io(int port, int accessSize, IoDirection direction, boolean immediatePort, boolean string,
              boolean rep, long count, boolean descending, int addressSize) implements TrapDetail {
    }

    /** {@code VMCALL}, {@code VMMCALL} or {@code TDCALL}: everything is in the registers. */
    record Hypercall() implements TrapDetail {
    }

    /**
     * arm64 {@code HVC}, {@code SMC} or {@code BRK}.
     *
     * @param immediate the instruction's 16-bit immediate ({@code #0} for SMCCC calls)
     */
    record ExceptionCall(int immediate) implements TrapDetail {
    }

    /**
     * An arm64 system-register access ({@code MRS}/{@code MSR}).
     *
     * @param op0 op0 field (2 or 3)
     * @param op1 op1 field
     * @param crn CRn field
     * @param crm CRm field
     * @param op2 op2 field
     * @param read true for MRS (register read into Rt), false for MSR
     * @param rt the general register number Rt (31 = XZR)
     * @param name the register's architectural name when known, e.g. {@code mdccsr_el0}
     */
    record SystemRegister(int op0, int op1, int crn, int crm, int op2, boolean read, int rt, String name)
            implements TrapDetail {
    }

    /**
     * x86 {@code CPUID}.
     *
     * @param leaf    EAX, the leaf asked for
     * @param subleaf ECX, the subleaf (ignored by leaves without subleaves)
     */
    record Cpuid(long leaf, long subleaf) implements TrapDetail {
    }

    /**
     * x86 {@code RDPMC}.
     *
     * @param index the performance counter index, from ECX
     */
    record PmcRead(long index) implements TrapDetail {
    }
}
