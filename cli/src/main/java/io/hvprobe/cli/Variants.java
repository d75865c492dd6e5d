package io.hvprobe.cli;

import io.hvprobe.spi.TrapForm;
import io.hvprobe.trap.TrapSite;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Whether a {@code --variant} matches the code it labels. */
final class Variants {
    private Variants() {
    }

    /** The label whose trap forms are {@code forms} (several joined by '+', in label order), if any matches. */
    static java.util.Optional<String> label(Set<TrapForm> forms) {
        List<String> labels = java.util.Arrays.stream(Variant.values())
                .filter(v -> v.forms().stream().anyMatch(forms::contains)).map(EnumWords::word).sorted()
                .toList();
        return labels.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join("+", labels));
    }

    /**
     * Checks that {@code variant} matches {@code sites} (CPUID/RDPMC sites do not count); returns an error
     * message, or null when it matches.
     */
    static String mismatch(Variant variant, String function, List<TrapSite> sites) {
        Set<TrapForm> wanted = variant.forms();
        Set<String> found = new TreeSet<>();
        for (TrapSite s : sites) {
            if (s.form().category() == TrapForm.Category.CPU_QUERY) {
                continue;
            }
            if (wanted.contains(s.form())) {
                return null;
            }
            found.add(s.form().name());
        }
        return "--variant " + EnumWords.word(variant) + " expects " + wanted + " trap sites, but " + function
                + " has " + (found.isEmpty() ? "none" : String.join(", ", found));
    }
}
