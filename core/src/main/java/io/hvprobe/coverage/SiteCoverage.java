package io.hvprobe.coverage;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether and how the runs of a check reached one trap site.
 *
 * @param location {@code function+0xNN} as {@code scan} prints it
 * @param address  the site's guest address
 * @param form     the trap form, e.g. {@code IN}
 * @param kind     hypercall or device I/O
 * @param how      how it was first reached (lifecycle, entry, forced), empty when no run reached it
 * @param detail   for a forced reach the branches steered; for an unreached site why not (where the path diverged);
 *                 otherwise empty
 * @param code     the source line or disassembly at the site (only the HTML report shows it)
 */
public record SiteCoverage(String location, long address, String form, SiteKind kind, Optional<Reach> how,
                           String detail, SiteCode code) {

    /**
     * Rejects null components.
     *
     * @param location {@code function+0xNN}
     * @param address  the site's guest address
     * @param form     the trap form
     * @param kind     hypercall or device I/O
     * @param how      how it was first reached, empty when not
     * @param detail   the steered branches or why the site was not reached, {@code ""} for none
     * @param code     the source line or disassembly at the site
     * @throws NullPointerException when a reference component is null
     */
    public SiteCoverage {
        Objects.requireNonNull(location);
        Objects.requireNonNull(form);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(how);
        Objects.requireNonNull(detail);
        Objects.requireNonNull(code);
    }

    /**
     * A site whose code was not looked up ({@link SiteCode#NONE}).
     *
     * @param location {@code function+0xNN}
     * @param address  the site's guest address
     * @param form     the trap form
     * @param kind     hypercall or device I/O
     * @param how      how it was first reached, empty when not
     * @param detail   the steered branches or why the site was not reached, {@code ""} for none
     */
    public SiteCoverage(String location, long address, String form, SiteKind kind, Optional<Reach> how,
                        String detail) {
        this(location, address, form, kind, how, detail, SiteCode.NONE);
    }

    /** {@return whether some run executed the site (when {@link #how()} is present)} */
    public boolean reached() {
        return how.isPresent();
    }
}
