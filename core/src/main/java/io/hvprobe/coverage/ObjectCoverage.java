package io.hvprobe.coverage;

import io.hvprobe.arch.Arch;

import java.util.List;
import java.util.Locale;

/**
 * The trap sites of one checked object and whether the check reached them.
 *
 * @param object  the object label findings carry
 * @param arch    its architecture
 * @param variant the variant, or {@code ""}
 * @param profile the profile the runs used
 * @param sites   every trap site outside alternative replacement code, in address order
 */
public record ObjectCoverage(String object, Arch arch, String variant, String profile, List<SiteCoverage> sites) {
    /** Rule id of the SARIF note for a hypercall site no run reached (docs/RULES.md). */
    public static final String UNREACHED_RULE = io.hvprobe.run.CoreRule.UNREACHED_SITE.id();

    public ObjectCoverage {
        sites = List.copyOf(sites);
    }

    /** Number of hypercall sites. */
    public long hypercallSites() {
        return sites.stream().filter(s -> s.kind() == SiteKind.HYPERCALL).count();
    }

    /** Number of hypercall sites some run reached. */
    public long reachedHypercallSites() {
        return sites.stream().filter(s -> s.kind() == SiteKind.HYPERCALL && s.reached()).count();
    }

    /** Number of hypercall sites reached only by a forced run. */
    public long forcedHypercallSites() {
        return sites.stream().filter(s -> s.kind() == SiteKind.HYPERCALL && s.how().equals(
                java.util.Optional.of(Reach.FORCED))).count();
    }

    /** Number of device I/O sites. */
    public long deviceIoSites() {
        return sites.stream().filter(s -> s.kind() == SiteKind.DEVICE_IO).count();
    }

    /** The hypercall sites no run reached. */
    public List<SiteCoverage> unreachedHypercallSites() {
        return sites.stream().filter(s -> s.kind() == SiteKind.HYPERCALL && !s.reached()).toList();
    }

    /** {@code vmwgfx.ko (x86_64, profile vmware)}: the object as report lines name it. */
    public String label() {
        return object + " (" + arch.name().toLowerCase(Locale.ROOT) + (variant.isEmpty() ? "" : ", variant " + variant)
                + (profile.isEmpty() ? "" : ", profile " + profile) + ")";
    }

    /** {@code hypercall sites 12, reached 12 (4 forced); device I/O sites 142}. */
    public String summary() {
        return String.format(Locale.ROOT, "hypercall sites %d, reached %d (%d forced); device I/O sites %d",
                hypercallSites(), reachedHypercallSites(), forcedHypercallSites(), deviceIoSites());
    }
}
