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

    /**
     * Why a site of an object {@code check} listed without running was not reached: all its trap sites are device
     * I/O no model answers as hypercalls (docs/cli.md, "Objects with device I/O only").
     */
    public static final String LISTED_DEVICE_IO = "not run: every trap site of the object is device I/O"
            + " (no hypercall port, no hypercall magic in its bytes); check --deep runs it";

    /**
     * Copies {@code sites}.
     *
     * @param object  the object label findings carry
     * @param arch    its architecture
     * @param variant the variant, or {@code ""}
     * @param profile the profile the runs used
     * @param sites   every trap site outside alternative replacement code, in address order (copied)
     */
    public ObjectCoverage {
        sites = List.copyOf(sites);
    }

    /** {@return the number of hypercall sites (device I/O sites not counted)} */
    public long hypercallSites() {
        return sites.stream().filter(s -> s.kind() == SiteKind.HYPERCALL).count();
    }

    /** {@return the number of hypercall sites some run reached, forced runs included} */
    public long reachedHypercallSites() {
        return sites.stream().filter(s -> s.kind() == SiteKind.HYPERCALL && s.reached()).count();
    }

    /** {@return the number of hypercall sites reached only by a forced run} */
    public long forcedHypercallSites() {
        return sites.stream().filter(s -> s.kind() == SiteKind.HYPERCALL && s.how().equals(
                java.util.Optional.of(Reach.FORCED))).count();
    }

    /** {@return the number of device I/O sites} */
    public long deviceIoSites() {
        return sites.stream().filter(s -> s.kind() == SiteKind.DEVICE_IO).count();
    }

    /** {@return the hypercall sites no run reached, in address order} */
    public List<SiteCoverage> unreachedHypercallSites() {
        return sites.stream().filter(s -> s.kind() == SiteKind.HYPERCALL && !s.reached()).toList();
    }

    /** {@return whether {@code check} listed the object's sites without running it ({@link #LISTED_DEVICE_IO})} */
    public boolean listedWithoutRuns() {
        return !sites.isEmpty() && sites.stream().allMatch(s -> s.detail().equals(LISTED_DEVICE_IO));
    }

    /**
     * {@code vmwgfx.ko (x86_64, profile vmware)}: the object as report lines name it.
     *
     * @return the label
     */
    public String label() {
        return object + " (" + arch.name().toLowerCase(Locale.ROOT) + (variant.isEmpty() ? "" : ", variant " + variant)
                + (profile.isEmpty() ? "" : ", profile " + profile) + ")";
    }

    /**
     * {@code hypercall sites 12, reached 12 (4 forced); device I/O sites 142}, and for an object listed without
     * runs {@code hypercall sites 0, reached 0 (0 forced); device I/O sites 7, not run (device I/O only)}.
     *
     * @return the one-line summary report lines print
     */
    public String summary() {
        return String.format(Locale.ROOT, "hypercall sites %d, reached %d (%d forced); device I/O sites %d%s",
                hypercallSites(), reachedHypercallSites(), forcedHypercallSites(), deviceIoSites(),
                listedWithoutRuns() ? ", not run (device I/O only)" : "");
    }
}
