package io.hvprobe.report.html;

import io.hvprobe.run.LocatedFinding;

import java.util.List;

/**
 * One verified call as the {@code run} page shows it.
 *
 * @param object         the object as the user named it
 * @param function       the function that ran
 * @param arguments      the arguments, described ({@code buf[9], 0x40})
 * @param context        arch, profile and variant, e.g. {@code x86_64, profile vmware}
 * @param result         {@code return 0x10 (16)} or the fault
 * @param hypercallCount hypercalls executed ({@code hypercalls} may keep fewer)
 * @param hypercalls     the kept hypercall log
 * @param details        further lines about the run (stubs called, kernel log, buffers after the call)
 * @param cost           the cost figures, in display order
 * @param findings       the findings, sorted
 * @param notes          limits hit during analysis
 */
public record RunView(String object, String function, String arguments, String context, String result,
                      long hypercallCount, List<HypercallView> hypercalls, List<String> details, List<Measure> cost,
                      List<LocatedFinding> findings, List<String> notes) {
    public RunView {
        hypercalls = List.copyOf(hypercalls);
        details = List.copyOf(details);
        cost = List.copyOf(cost);
        findings = List.copyOf(findings);
        notes = List.copyOf(notes);
    }
}
