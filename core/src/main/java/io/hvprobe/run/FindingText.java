package io.hvprobe.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Findings as readable text for assertion messages, logs and {@code toString}: where first (the source position
 * when debug information gives one, else {@code object:function+0xNN}), the architecture, variant and profile,
 * then the finding itself ({@link io.hvprobe.spi.Finding#toString()}). Reports have their own writers
 * ({@code io.hvprobe.report}); this is the plain-text form for people reading a test failure.
 */
public final class FindingText {
    private FindingText() {
    }

    /**
     * One line for {@code f}, e.g. {@code detect-port.o:hv_detect+0x1c (x86_64, gcc/O2, profile vmware): error:
     * ... [vmware.magic-wrong] (evidence: ...)}.
     *
     * @param f the finding
     * @return one line of text
     */
    public static String of(LocatedFinding f) {
        FindingSite site = f.site();
        List<String> context = new ArrayList<>();
        String where = site.object() + ":" + site.location();
        if (site.source().isPresent()) {
            context.add(where);
            where = site.source().get().position();
        }
        context.add(site.arch().name().toLowerCase(java.util.Locale.ROOT));
        if (!site.variant().isEmpty()) {
            context.add(site.variant());
        }
        if (!site.profile().isEmpty()) {
            context.add("profile " + site.profile());
        }
        return where + " (" + String.join(", ", context) + "): " + f.finding();
    }

    /**
     * Every finding of {@code findings} in one paragraph: {@code no findings}, or how many and each one's line
     * numbered, separated by {@code "; "}.
     *
     * @param findings the findings, in the order to show
     * @return one line of text
     */
    public static String of(List<LocatedFinding> findings) {
        if (findings.isEmpty()) {
            return "no findings";
        }
        StringBuilder b = new StringBuilder().append(findings.size())
                .append(findings.size() == 1 ? " finding: " : " findings: ");
        for (int i = 0; i < findings.size(); i++) {
            if (i > 0) {
                b.append("; ");
            }
            if (findings.size() > 1) {
                b.append('(').append(i + 1).append(") ");
            }
            b.append(of(findings.get(i)));
        }
        return b.toString();
    }
}
