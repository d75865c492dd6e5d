package io.hvprobe.report;

import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.coverage.SiteCoverage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code hvprobe.unreached-site} notes of a report, one per unreached hypercall site of an object and variant.
 * Coverage comes per object, variant and profile; a site no profile's runs reached is one note listing those
 * profiles, as a finding several profiles produced is one result, so each note's fingerprint is its own.
 */
final class UnreachedNotes {
    private UnreachedNotes() {
    }

    /**
     * One unreached site.
     *
     * @param coverage    the first coverage (in report order) the site is unreached in: object, arch, variant
     * @param site        the site
     * @param whyByProfile why no run reached it, per profile, sorted by profile
     * @param fingerprint the note's stable fingerprint, unique in the report
     */
    record Note(ObjectCoverage coverage, SiteCoverage site, Map<String, String> whyByProfile, String fingerprint) {
        Note {
            whyByProfile = java.util.Collections.unmodifiableMap(new TreeMap<>(whyByProfile));
        }

        /** The profiles whose runs did not reach the site. */
        List<String> profiles() {
            return List.copyOf(whyByProfile.keySet());
        }

        /** Why not: the one reason when the profiles agree, else each profile's. */
        String why() {
            if (whyByProfile.values().stream().distinct().count() == 1) {
                return whyByProfile.values().iterator().next();
            }
            List<String> parts = new ArrayList<>();
            whyByProfile.forEach((profile, why) -> parts.add("profile " + profile + ": " + why));
            return String.join("; ", parts);
        }
    }

    /** The notes of {@code coverage}, in report order of their first occurrence. */
    static List<Note> of(List<ObjectCoverage> coverage, ReportSettings settings) {
        record Key(String object, String variant, long address) {
        }
        Map<Key, ObjectCoverage> first = new LinkedHashMap<>();
        Map<Key, SiteCoverage> sites = new HashMap<>();
        Map<Key, Map<String, String>> why = new HashMap<>();
        for (ObjectCoverage c : coverage) {
            for (SiteCoverage s : c.unreachedHypercallSites()) {
                Key k = new Key(c.object(), c.variant(), s.address());
                first.putIfAbsent(k, c);
                sites.putIfAbsent(k, s);
                why.computeIfAbsent(k, x -> new HashMap<>()).putIfAbsent(c.profile(), s.detail());
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        List<Note> notes = new ArrayList<>();
        first.forEach((k, c) -> {
            SiteCoverage s = sites.get(k);
            // Addresses move when code changes elsewhere; the object, variant and function+offset do not. Two
            // sites with one function+offset (two static functions of one name) get an occurrence number.
            String base = ObjectCoverage.UNREACHED_RULE + ":" + settings.relative(c.object())
                    + (c.variant().isEmpty() ? "" : ":" + c.variant()) + ":" + s.location();
            int n = seen.merge(base, 1, Integer::sum);
            notes.add(new Note(c, s, why.get(k), n == 1 ? base : base + ":" + n));
        });
        return notes;
    }
}
