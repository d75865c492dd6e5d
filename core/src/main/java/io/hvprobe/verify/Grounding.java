package io.hvprobe.verify;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Dependency;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * The one place that decides what a finding's dependencies ({@link Finding#dependsOn()}) mean for a run with
 * {@link Grounds}: a finding that rests on something the run invented is at most a note and says what; any other
 * finding keeps its severity.
 */
final class Grounding {
    private final Grounds grounds;
    private final Arch arch;
    /** Whether a register's value at the trap at a pc may derive from invented inputs. */
    private final BiPredicate<Long, GuestRegister> invented;

    Grounding(Grounds grounds, Arch arch, BiPredicate<Long, GuestRegister> invented) {
        this.grounds = grounds;
        this.arch = arch;
        this.invented = invented;
    }

    /** {@code f} as this run may report it; {@code pc} is the address of the instruction it was made at. */
    LocatedFinding judge(LocatedFinding f, long pc) {
        Finding x = f.finding();
        if (x.severity() == Severity.NOTE || x.dependsOn().isEmpty()) {
            return f;
        }
        List<String> because = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        if (x.dependsOn().contains(Dependency.PROTOCOL_STATE) && grounds.inventedPriorState()) {
            kinds.add("protocol-state");
            because.add("the function ran alone in a fresh session, without the protocol steps its callers may make"
                    + " first");
        }
        if (x.dependsOn().contains(Dependency.INPUT_VALUES) && grounds.inventedInputs()) {
            Optional<GuestRegister> r = register(x);
            if (r.isEmpty()) {
                kinds.add("input-values");
                because.add("the run's arguments and memory are invented");
            } else if (invented.test(pc, r.get())) {
                kinds.add("input-values");
                because.add(r.get().displayName() + " holds a value derived from invented arguments or memory");
            }
        }
        if (because.isEmpty()) {
            return f;
        }
        Map<String, String> ev = new TreeMap<>(x.evidence());
        ev.put("depends-on", String.join(",", kinds));
        ev.put("reported-as", x.severity().name().toLowerCase(java.util.Locale.ROOT) + " with real inputs");
        return new LocatedFinding(new Finding(x.ruleId(), Severity.NOTE, x.message() + " (depends on what this run"
                + " invented: " + String.join("; ", because) + ")", ev, x.dependsOn()), f.site());
    }

    /**
     * {@code f} from a run on a forced path: never an error or a warning, since the path itself may be one no real
     * input takes; the note says so (docs/verifier.md, "Forced paths").
     */
    static LocatedFinding onForcedPath(LocatedFinding f) {
        Finding x = f.finding();
        Map<String, String> ev = new TreeMap<>(x.evidence());
        ev.put("forced-path", "true");
        if (x.severity() == Severity.NOTE) {
            return new LocatedFinding(x.withEvidence(ev), f.site());
        }
        ev.put("reported-as", x.severity().name().toLowerCase(java.util.Locale.ROOT) + " on a real path");
        return new LocatedFinding(new Finding(x.ruleId(), Severity.NOTE, x.message() + " (on a forced path: branches"
                + " were steered towards a trap site, a real input may never take it)", ev, x.dependsOn()), f.site());
    }

    /** The register a finding's value is in, when its evidence names one. */
    private Optional<GuestRegister> register(Finding x) {
        String name = x.evidence().get("register");
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(GuestRegister.parse(arch, name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
