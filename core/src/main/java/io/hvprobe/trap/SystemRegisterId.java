package io.hvprobe.trap;

/**
 * An arm64 system register by its encoding fields, as in {@code MRS}/{@code MSR} (register form).
 *
 * @param op0 2 or 3
 * @param op1 0..7
 * @param crn 0..15
 * @param crm 0..15
 * @param op2 0..7
 */
public record SystemRegisterId(int op0, int op1, int crn, int crm, int op2) {

    /** {@code MDCCSR_EL0}, the debug status register the VMware arm64 backdoor reads. */
    public static final SystemRegisterId MDCCSR_EL0 = new SystemRegisterId(2, 3, 0, 1, 0);

    /**
     * Checks the field ranges.
     *
     * @param op0 2 or 3
     * @param op1 0..7
     * @param crn 0..15
     * @param crm 0..15
     * @param op2 0..7
     * @throws IllegalArgumentException when a field is out of its range
     */
    public SystemRegisterId {
        if (op0 < 2 || op0 > 3 || op1 < 0 || op1 > 7 || crn < 0 || crn > 15 || crm < 0 || crm > 15 || op2 < 0
                || op2 > 7) {
            throw new IllegalArgumentException(
                    "not a system register encoding: " + new StringBuilder().append("s").append(op0).append('_')
                            .append(op1).append("_c").append(crn).append("_c").append(crm).append('_').append(op2));
        }
    }

    /** The fields of an {@code MRS}/{@code MSR} register-form instruction word. */
    static SystemRegisterId ofInstruction(int word) {
        return new SystemRegisterId(2 | (word >>> 19) & 1, (word >>> 16) & 7, (word >>> 12) & 0xF,
                (word >>> 8) & 0xF, (word >>> 5) & 7);
    }

    /** {@return the generic assembler name, e.g. {@code s2_3_c0_c1_0}} */
    public String genericName() {
        return "s" + op0 + "_" + op1 + "_c" + crn + "_c" + crm + "_" + op2;
    }
}
