package io.hvprobe.cli;

import io.hvprobe.arch.Arch;
import io.hvprobe.loader.ObjectBytes;
import io.hvprobe.run.FindingSite;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.Severity;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An object {@code check} could not load, as one error entry of the report: the other objects are still checked and
 * the report is written, and the entry (rule {@value #RULE}) counts for the exit status like any error.
 */
final class LoadFailure {
    /** The rule id of an unloadable object (docs/RULES.md). */
    static final String RULE = io.hvprobe.run.CoreRule.LOAD_FAILED.id();

    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    private LoadFailure() {
    }

    /** The report entry for {@code target}, whose loading failed with {@code error} (already naming its path). */
    static FunctionResult of(CheckTarget target, InputError error) {
        Arch arch = declaredArch(target);
        Finding f = new Finding(RULE, Severity.ERROR, String.valueOf(error.getMessage()), Map.of("path",
                target.path().toString()));
        FindingSite site = new FindingSite(target.label(), "", 0, arch, target.variant(), "");
        return new FunctionResult(target.label(), "", arch, target.variant(), "", 0, 0,
                List.of(new LocatedFinding(f, site)));
    }

    /** Whether {@code r} is a load-failure entry. */
    static boolean is(FunctionResult r) {
        return r.function().isEmpty() && r.findings().size() == 1
                && r.findings().getFirst().finding().ruleId().equals(RULE);
    }

    /**
     * The architecture the ELF header names ({@code e_machine}, little-endian at offset 18); x86_64 when the header
     * is too short or names another machine (the entry's message says why it did not load either way).
     */
    private static Arch declaredArch(CheckTarget target) {
        try {
            byte[] h = ObjectBytes.head(target.path(), 20);
            int machine = h.length < 20 ? -1 : (h[18] & 0xff) | (h[19] & 0xff) << 8;
            return machine == EM_AARCH64 ? Arch.ARM64 : Arch.X86_64;
        } catch (IOException e) {
            return Arch.X86_64;
        }
    }
}
