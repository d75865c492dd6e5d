package io.hvprobe.guest;

import io.hvprobe.arch.RegisterSnapshot;

/**
 * Why a call stopped abnormally, with everything needed to understand it.
 *
 * @param kind         what went wrong
 * @param pc           the program counter
 * @param location     symbol+offset of {@code pc}
 * @param instruction  the disassembly at {@code pc}, or {@code "?"} when unreadable
 * @param address      the faulting data address for memory faults, else {@code pc}
 * @param detail       one line of explanation
 * @param registers    the register dump
 */
public record Fault(Kind kind, long pc, String location, String instruction, long address, String detail,
                    RegisterSnapshot registers) {

    /** Categories of abnormal stops. */
    public enum Kind {
        /** Read/write/fetch of unmapped memory. */
        UNMAPPED_ACCESS,
        /** Access against the page's permissions. */
        PROTECTION,
        /** An instruction the emulator cannot execute and nothing claimed. */
        INVALID_INSTRUCTION,
        /** An interrupt or exception nothing claimed. */
        UNEXPECTED_INTERRUPT,
        /** A trap instruction no hypervisor plugin claimed. */
        UNHANDLED_TRAP,
        /** The instruction budget ran out. */
        BUDGET_EXHAUSTED,
        /**
         * The call came back to a state it had been in (registers and writable memory), with nothing outside the
         * guest acting in between: it never ends.
         */
        ENDLESS_LOOP,
        /** The wall-clock guard elapsed: the run is inconclusive (where it stopped depends on the machine's load). */
        TIMEOUT,
        /** The kernel's BUG() ({@code __bug_table} entry without the WARN flag): the kernel would stop here. */
        BUG,
        /** The stack-protector failure function was called. */
        STACK_PROTECTOR,
        /** Anything else the emulator reported. */
        EMULATOR_ERROR,
        /**
         * A hypercall that does not return (its model said so: PSCI {@code CPU_OFF}, {@code SYSTEM_OFF},
         * {@code SYSTEM_RESET}) ended the run, as it ends the guest's execution on a real machine: how such a call
         * ends, not a defect, so it makes no finding.
         */
        NO_RETURN
    }

    /**
     * One line: {@code unmapped access at vmw_probe+0x1c (mov eax, [rbx]): read of 0x0}.
     *
     * @return the description
     */
    public String describe() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " at " + location + " ("
                + instruction + "): " + detail;
    }
}
