package io.hvprobe.manifest;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.run.LocatedFinding;

import java.util.List;
import java.util.Optional;

/**
 * A finding the manifest expects: one of {@code rules} (the first is the documented one, the others are the
 * {@code or:} alternatives), about {@code register} when given.
 *
 * @param rules    accepted rule ids, documented rule first
 * @param register the lower-case 64-bit register name, empty for {@code register: none}
 */
public record FindingExpectation(List<String> rules, Optional<String> register) {
    public FindingExpectation {
        rules = List.copyOf(rules);
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a finding expectation needs a rule");
        }
    }

    /** The documented rule id. */
    public String rule() {
        return rules.getFirst();
    }

    /** Whether {@code f} is this finding: an accepted rule, and the same register (32-bit aliases count). */
    public boolean matches(LocatedFinding f, Arch arch) {
        if (!rules.contains(f.finding().ruleId())) {
            return false;
        }
        if (register.isEmpty()) {
            return true;
        }
        String seen = f.finding().evidence().get("register");
        return seen != null && sameRegister(arch, register.get(), seen);
    }

    private static boolean sameRegister(Arch arch, String expected, String seen) {
        try {
            return GuestRegister.parse(arch, expected) == GuestRegister.parse(arch, seen);
        } catch (IllegalArgumentException e) {
            return expected.equalsIgnoreCase(seen.trim());
        }
    }

    @Override
    public String toString() {
        return String.join("|", rules) + register.map(r -> "@" + r).orElse("");
    }
}
