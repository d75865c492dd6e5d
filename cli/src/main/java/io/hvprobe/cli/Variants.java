package io.hvprobe.cli;

import io.hvprobe.spi.TrapForm;
import io.hvprobe.trap.TrapSite;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The {@code --variant} labels and the trap forms each one implies. */
final class Variants {
    static final Map<String, Set<TrapForm>> FORMS = Map.of(
            "port", EnumSet.of(TrapForm.IN, TrapForm.OUT, TrapForm.INS, TrapForm.OUTS),
            "vmcall", EnumSet.of(TrapForm.VMCALL),
            "vmmcall", EnumSet.of(TrapForm.VMMCALL),
            "tdx", EnumSet.of(TrapForm.TDCALL),
            "mrs", EnumSet.of(TrapForm.MRS),
            "hvc", EnumSet.of(TrapForm.HVC));

    private Variants() {
    }

    /** The label whose trap forms are {@code forms} (several joined by '+', in label order), if any matches. */
    static java.util.Optional<String> label(Set<TrapForm> forms) {
        List<String> labels = FORMS.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(forms::contains)).map(Map.Entry::getKey).sorted()
                .toList();
        return labels.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join("+", labels));
    }

    /**
     * Checks that {@code variant} matches {@code sites} (CPUID/RDPMC sites do not count); returns an error
     * message, or null when it matches.
     */
    static String mismatch(String variant, String function, List<TrapSite> sites) {
        Set<TrapForm> wanted = FORMS.get(variant);
        if (wanted == null) {
            return "unknown --variant '" + variant + "' (one of " + String.join(", ", new TreeSet<>(FORMS.keySet()))
                    + ")";
        }
        Set<String> found = new TreeSet<>();
        for (TrapSite s : sites) {
            if (s.form() == TrapForm.CPUID || s.form() == TrapForm.RDPMC) {
                continue;
            }
            if (wanted.contains(s.form())) {
                return null;
            }
            found.add(s.form().name());
        }
        return "--variant " + variant + " expects " + wanted + " trap sites, but " + function + " has "
                + (found.isEmpty() ? "none" : String.join(", ", found));
    }
}
