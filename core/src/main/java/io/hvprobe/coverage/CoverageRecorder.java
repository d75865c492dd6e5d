package io.hvprobe.coverage;

import io.hvprobe.api.RunResult;
import io.hvprobe.arch.Arch;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.KernelEvent;
import io.hvprobe.run.HypercallRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collects, over all runs of one object's check, which trap sites were reached and how; the first way a site was
 * reached is the one reported (runs are recorded lifecycle first, then entries, then forced runs).
 */
public final class CoverageRecorder {

    /**
     * A trap site as the static scan found it.
     *
     * @param address   guest address
     * @param location  {@code function+0xNN} as {@code scan} prints it
     * @param symbolic  the address as the machine symbolises it (device I/O events carry this)
     * @param form      the trap form
     * @param kind      hypercall or device I/O
     */
    public record Site(long address, String location, String symbolic, String form, SiteKind kind) {
    }

    private final Map<Long, Site> sites = new LinkedHashMap<>();
    private final Map<String, Long> bySymbol = new HashMap<>();
    private final Map<Long, Reach> how = new HashMap<>();
    private final Map<Long, String> detail = new HashMap<>();
    /** Instructions whose fault means a site was reached (a prefix the hypervisor does not implement): site. */
    private final Map<Long, Long> faultSites = new HashMap<>();
    private final Map<String, Long> faultSitesBySymbol = new HashMap<>();

    /**
     * A recorder for {@code sites} (in the order the report lists them).
     *
     * @param sites every trap site of the object, in the order the report lists them (copied); none is reached yet
     */
    public CoverageRecorder(List<Site> sites) {
        for (Site s : sites) {
            this.sites.put(s.address(), s);
            bySymbol.putIfAbsent(s.symbolic(), s.address());
        }
    }

    /**
     * Declares that a run faulting at {@code instruction} (named {@code symbolic} as the machine symbolises it) has
     * reached {@code site}: the instruction is the site's prefix, which this hypervisor does not implement (e.g.
     * Xen's forced-emulation {@code ud2} before a CPUID), so the fault (or the signal delivered for it) is where the
     * site's execution ends.
     *
     * @param instruction the address of the prefix instruction that faults
     * @param symbolic    the same address as the machine symbolises it ({@code function+0xNN})
     * @param site        the address of the trap site the prefix leads to
     */
    public void reachedAtFault(long instruction, String symbolic, long site) {
        faultSites.put(instruction, site);
        faultSitesBySymbol.put(symbolic, site);
    }

    /**
     * Marks every site {@code run} executed (hypercalls and device I/O) as reached {@code way}, unless already.
     *
     * @param way how {@code run} was driven (lifecycle, entry point or forced)
     * @param run a finished run; its hypercall records and device I/O give the executed sites
     */
    public void record(Reach way, RunResult run) {
        record(way, run, "");
    }

    /**
     * As {@link #record(Reach, RunResult)}, with {@code detail} for each newly reached site (for a forced run, the
     * branches it steered).
     *
     * @param way    how {@code run} was driven
     * @param run    a finished run
     * @param detail what to note for each site this run reaches first, {@code ""} for nothing
     */
    public void record(Reach way, RunResult run, String detail) {
        for (HypercallRecord r : run.hypercalls()) {
            mark(r.event().pc(), way, detail);
        }
        for (KernelEvent e : run.events()) {
            if (e.kind() == KernelEvent.Kind.DEVICE_IO && bySymbol.containsKey(e.location())) {
                mark(bySymbol.get(e.location()), way, detail);
            }
            if (e.kind() == KernelEvent.Kind.SIGNAL && faultSitesBySymbol.containsKey(e.location())) {
                mark(faultSitesBySymbol.get(e.location()), way, detail);
            }
        }
        if (run.call() instanceof CallResult.Faulted f && faultSites.containsKey(f.fault().pc())) {
            mark(faultSites.get(f.fault().pc()), way, detail);
        }
    }

    /**
     * Records why a site no run reached was not reached (where the path diverged); the last reason given stays.
     *
     * @param address the guest address of the site
     * @param why     one line, e.g. where the path diverged
     */
    public void unreachedBecause(long address, String why) {
        if (sites.containsKey(address) && !how.containsKey(address)) {
            detail.put(address, why);
        }
    }

    /**
     * Whether some run reached {@code address}.
     *
     * @param address the guest address of a site
     * @return whether some recorded run executed the site at {@code address}
     */
    public boolean reached(long address) {
        return how.containsKey(address);
    }

    /** {@return the hypercall sites no run has reached yet, in report order; a new list each call} */
    public List<Site> unreachedHypercallSites() {
        List<Site> out = new ArrayList<>();
        for (Site s : sites.values()) {
            if (s.kind() == SiteKind.HYPERCALL && !how.containsKey(s.address())) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The coverage of the object, without the code at each site ({@link SiteCode#NONE}).
     *
     * @param object  the object label findings carry
     * @param arch    its architecture
     * @param variant the variant, or {@code ""}
     * @param profile the profile the runs used
     * @return an immutable snapshot; later records do not change it
     */
    public ObjectCoverage build(String object, Arch arch, String variant, String profile) {
        return build(object, arch, variant, profile, address -> SiteCode.NONE);
    }

    /**
     * The coverage of the object, each site with its code as {@code code} gives it (a {@link SiteCodeReader}).
     *
     * @param object  the object label findings carry
     * @param arch    its architecture
     * @param variant the variant, or {@code ""}
     * @param profile the profile the runs used
     * @param code    the code around a site, by the site's address
     * @return an immutable snapshot; later records do not change it
     */
    public ObjectCoverage build(String object, Arch arch, String variant, String profile,
                                java.util.function.LongFunction<SiteCode> code) {
        List<SiteCoverage> out = new ArrayList<>();
        for (Site s : sites.values()) {
            Optional<Reach> way = Optional.ofNullable(how.get(s.address()));
            String d = detail.getOrDefault(s.address(),
                    way.isEmpty() ? "no run of this check reached it" : "");
            out.add(new SiteCoverage(s.location(), s.address(), s.form(), s.kind(), way, d, code.apply(s.address())));
        }
        return new ObjectCoverage(object, arch, variant, profile, out);
    }

    private void mark(long address, Reach way, String why) {
        if (sites.containsKey(address) && !how.containsKey(address)) {
            how.put(address, way);
            detail.put(address, why);
        }
    }
}
