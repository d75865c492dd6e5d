package io.hvprobe.manifest;

import io.hvprobe.spi.HypervisorOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Resolves an entry's blocks and cell rules into {@link Scenario}s for one object. */
final class Scenarios {
    private Scenarios() {
    }

    static List<Scenario> of(FunctionEntry e, MatrixObject mo) {
        List<Scenario> out = new ArrayList<>();
        if (e.vmware()) {
            out.add(resolve(e, mo, Manifest.VMWARE, e.base()));
        }
        e.profiles().forEach((profile, block) -> {
            if (block.variants().orElse(e.variants()).contains(mo.variant())) {
                out.add(resolve(e, mo, profile, block));
            }
        });
        return out;
    }

    private static Scenario resolve(FunctionEntry e, MatrixObject mo, String profile, Expectations x) {
        String cell = mo.codeCell();
        List<FindingExpectation> findings = x.findings().or(() -> e.base().findings()).orElse(List.of());
        ReturnExpectation expected = x.returns();
        ReturnExpectation intended = x.returnIfNotManifest().isPresent()
                ? new ReturnExpectation.Exactly(x.returnIfNotManifest().getAsLong(), e.returnBits()) : expected;
        Optional<List<HypercallExpectation>> hypercalls = x.hypercalls();
        boolean shows = e.seededBug();
        String reason = "";
        Optional<Expectations.CellRule> quiet = x.notManifest().stream().filter(r -> r.covers(cell)).findFirst();
        Optional<Expectations.CellFindings> other = x.cellFindings().stream().filter(r -> r.covers(cell)).findFirst();
        if (quiet.isPresent()) {
            findings = List.of();
            expected = intended;
            shows = false;
            reason = "not-manifest: " + quiet.get().reason();
            if (e.seededBug()) {
                // The listed calls describe the bug as it shows; where it cannot show the sequence differs.
                hypercalls = Optional.empty();
            }
        } else if (other.isPresent()) {
            findings = other.get().findings();
            reason = "cell-findings: " + other.get().reason();
        }
        if (!quiet.isPresent() && Expectations.matchesAny(x.cellsReturnUnaffected(), cell)) {
            expected = intended;
            reason = "cells-return-unaffected";
        }
        Optional<List<Long>> cpuid = Optional.ofNullable(x.cpuid().get(mo.variant()));
        HypervisorOptions hv = e.vmware() ? options(profile, e.setup()) : HypervisorOptions.profile(profile);
        return new Scenario(mo, e, profile, hv, cpuid, hypercalls, expected, intended,
                x.buffersAfter(), findings, shows, reason);
    }

    /**
     * The {@code vmware} plugin configuration for a manifest profile and setup. The manifest's vocabulary is
     * the VMware sample schema's; this is the only place that maps it onto plugin settings (core does not
     * depend on the plugin).
     */
    static HypervisorOptions options(String profile, Map<String, String> setup) {
        Map<String, String> settings = new LinkedHashMap<>();
        String base = profile;
        if (profile.equals(Manifest.VMWARE_PORT_ONLY)) {
            base = Manifest.VMWARE;
            settings.put("advertise-vmcall", "false");
            settings.put("advertise-vmmcall", "false");
            settings.put("advertise-tdx", "false");
        }
        if (setup.containsKey("vmmouse-packets")) {
            settings.put("mouse-absolute-packets", setup.get("vmmouse-packets"));
        }
        if (setup.containsKey("guestinfo")) {
            settings.put("guestinfo", setup.get("guestinfo"));
        }
        if (setup.containsKey("balloon-target") && !profile.equals(Manifest.QEMU_VMPORT)) {
            settings.put("balloon-target-pages", setup.get("balloon-target"));
        }
        return new HypervisorOptions(Optional.of(base), Optional.empty(), settings);
    }
}
