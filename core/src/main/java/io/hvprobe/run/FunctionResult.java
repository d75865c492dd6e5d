package io.hvprobe.run;

import io.hvprobe.arch.Arch;

import java.util.List;

/**
 * The verdict for one function run under one profile: what a report lists as one test case.
 *
 * @param object     the object's path as the user named it
 * @param function   the function
 * @param arch       the architecture
 * @param variant    build variant / matrix cell label, {@code ""} if none
 * @param profile    hypervisor profile, {@code ""} if none
 * @param hypercalls number of hypercalls executed
 * @param instructions number of guest instructions executed
 * @param findings   the findings, sorted
 */
public record FunctionResult(String object, String function, Arch arch, String variant, String profile,
                             long hypercalls, long instructions, List<LocatedFinding> findings) {
    /**
     * Sorts {@code findings} into report order (a copy; the argument is not changed).
     *
     * @param object       the object's path as the user named it
     * @param function     the function
     * @param arch         the architecture
     * @param variant      build variant label, {@code ""} if none
     * @param profile      hypervisor profile, {@code ""} if none
     * @param hypercalls   number of hypercalls executed
     * @param instructions number of guest instructions executed
     * @param findings     the findings, in any order
     */
    public FunctionResult {
        findings = findings.stream().sorted().toList();
    }
}
