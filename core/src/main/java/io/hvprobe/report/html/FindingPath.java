package io.hvprobe.report.html;

import java.util.List;
import java.util.Map;

/**
 * The path that matters for one finding, drawn as steps: where the value was set, the trap, where it was read or
 * consumed (from the finding's evidence), then the rest of the evidence as a table.
 */
public final class FindingPath {
    /** A step of the path: the evidence key that names it and how the page calls it. */
    private record Step(String key, String label) {
    }

    /** Evidence keys of the steps before the trap, in path order. */
    private static final List<Step> BEFORE = List.of(new Step("set-at", "value set"),
            new Step("last-written-at", "last written"), new Step("loaded-at", "loaded"));
    /** Evidence keys of the steps after the trap, in path order. */
    private static final List<Step> AFTER = List.of(new Step("read-at", "read"), new Step("used-at", "used"),
            new Step("consumed-at", "consumed"));
    /** Evidence keys that describe the trap itself. */
    private static final List<String> TRAP = List.of("command", "register", "hypercall");

    /** Evidence keys the path shows. */
    private static final java.util.Set<String> SHOWN = java.util.stream.Stream.of(
            BEFORE.stream().map(Step::key), AFTER.stream().map(Step::key), TRAP.stream(),
            java.util.stream.Stream.of("trap")).flatMap(x -> x).collect(java.util.stream.Collectors.toSet());

    private FindingPath() {
    }

    /**
     * Writes the path of a finding made at {@code site} ({@code function+0xNN}) with {@code evidence}: the trap
     * is the evidence's {@code trap} when it names one, else the finding's own site.
     */
    public static void write(Html h, String site, Map<String, String> evidence) {
        h.open("ol", "class", "path");
        BEFORE.forEach(s -> step(h, s, evidence, "set"));
        h.open("li", "class", "trap").element("b", "trap").element("code", evidence.getOrDefault("trap", site));
        for (String k : TRAP) {
            String v = evidence.get(k);
            if (v != null) {
                h.text(" " + k + " ").element("code", v);
            }
        }
        h.close();
        AFTER.forEach(s -> step(h, s, evidence, "read"));
        h.close();
        // The rest of the evidence (what the path above does not already show), sorted by key.
        java.util.Map<String, String> rest = new java.util.TreeMap<>(evidence);
        rest.keySet().removeAll(SHOWN);
        if (!rest.isEmpty()) {
            h.open("table", "class", "evidence").open("tbody");
            rest.forEach((k, v) -> h.open("tr").element("th", k).open("td").element("code", v).close().close());
            h.close().close();
        }
    }

    private static void step(Html h, Step s, Map<String, String> evidence, String style) {
        String v = evidence.get(s.key());
        if (v != null) {
            h.open("li", "class", style).element("b", s.label()).element("code", v).close();
        }
    }
}
