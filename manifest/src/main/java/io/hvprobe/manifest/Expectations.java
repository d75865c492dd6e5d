package io.hvprobe.manifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What one manifest block (a function entry, or its {@code qemu-vmport}/{@code vmware-port-only} block)
 * expects. Absent keys are empty and not checked.
 *
 * @param variants              (profile blocks) the variants the block applies to; empty = the entry's
 * @param cpuid                 CPUID leaves executed, per variant
 * @param hypercalls            backdoor calls in order ({@code repeat} expanded)
 * @param returns               the return value
 * @param buffersAfter          buffer contents after the call, by argument name
 * @param findings              expected errors/warnings
 * @param notManifest           cells where a seeded bug cannot show
 * @param cellFindings          cells where a different finding shows
 * @param returnIfNotManifest   the return value where the bug does not show (what correct code returns)
 * @param cellsReturnUnaffected cells where the finding shows but the return is {@code returnIfNotManifest}
 */
public record Expectations(Optional<List<String>> variants, Map<String, List<Long>> cpuid,
                           Optional<List<HypercallExpectation>> hypercalls, ReturnExpectation returns,
                           Map<String, BufferExpectation> buffersAfter, Optional<List<FindingExpectation>> findings,
                           List<CellRule> notManifest, List<CellFindings> cellFindings,
                           OptionalLong returnIfNotManifest, List<String> cellsReturnUnaffected) {
    public Expectations {
        cpuid = Map.copyOf(cpuid);
        buffersAfter = Map.copyOf(buffersAfter);
        notManifest = List.copyOf(notManifest);
        cellFindings = List.copyOf(cellFindings);
        cellsReturnUnaffected = List.copyOf(cellsReturnUnaffected);
    }

    /** With another return expectation (e.g. to test that a stale expectation is reported). */
    public Expectations withReturns(ReturnExpectation r) {
        return new Expectations(variants, cpuid, hypercalls, r, buffersAfter, findings, notManifest, cellFindings,
                returnIfNotManifest, cellsReturnUnaffected);
    }

    /** {@code not-manifest} entry: cell globs and why the bug cannot show there. */
    public record CellRule(List<String> cells, String reason) {
        public CellRule {
            cells = List.copyOf(cells);
        }

        /** Whether {@code cell} ({@code arch/compiler/cell}) matches one of the globs. */
        public boolean covers(String cell) {
            return matchesAny(cells, cell);
        }
    }

    /** {@code cell-findings} entry: cells where {@code findings} show instead. */
    public record CellFindings(List<String> cells, List<FindingExpectation> findings, String reason) {
        public CellFindings {
            cells = List.copyOf(cells);
            findings = List.copyOf(findings);
        }

        /** Whether {@code cell} matches one of the globs. */
        public boolean covers(String cell) {
            return matchesAny(cells, cell);
        }
    }

    /** Whether {@code cell} matches a glob in {@code globs} ({@code *} matches within one path segment). */
    static boolean matchesAny(List<String> globs, String cell) {
        for (String g : globs) {
            String re = java.util.Arrays.stream(g.split("\\*", -1)).map(Pattern::quote)
                    .collect(java.util.stream.Collectors.joining("[^/]*"));
            if (Pattern.matches(re, cell)) {
                return true;
            }
        }
        return false;
    }
}
