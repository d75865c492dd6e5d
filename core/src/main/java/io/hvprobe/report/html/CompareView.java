package io.hvprobe.report.html;

import java.util.List;

/**
 * Two functions run with the same arguments, as the {@code compare} page shows them.
 *
 * @param object          the object holding both
 * @param arguments       the arguments, described
 * @param first           the first function's run
 * @param second          the second function's run
 * @param firstDifference index of the first hypercall whose command or masked inputs differ, -1 when none
 * @param results         {@code equal (both return 0x10)} or why the results differ
 * @param verdict         {@code equivalent} or {@code not equivalent}
 */
public record CompareView(String object, String arguments, Side first, Side second, int firstDifference,
                          String results, String verdict) {

    /**
     * One function's side.
     *
     * @param function   its name
     * @param cost       its cost figures, in the same order as the other side's
     * @param hypercalls what the hypervisor saw, per hypercall: {@code COMMAND reg=value …} with the contract's
     *                   input masks applied
     */
    public record Side(String function, List<Measure> cost, List<String> hypercalls) {
        public Side {
            cost = List.copyOf(cost);
            hypercalls = List.copyOf(hypercalls);
        }
    }
}
