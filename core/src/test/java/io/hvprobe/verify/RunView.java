package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.guest.CallResult;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.api.RunResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Everything a caller sees of a run, as text: two runs are the same run to a caller when their views are equal. */
final class RunView {
    private RunView() {
    }

    /**
     * The return or fault, the registers, the buffers, the stub calls, the instructions counted, every hypercall with
     * its sequence number, registers before and after and the writes applied, and the events.
     */
    static String of(Probe probe, RunResult r) {
        List<String> out = new ArrayList<>();
        switch (r.call()) {
            case CallResult.Returned ret -> out.add("returned " + Long.toHexString(ret.value()));
            case CallResult.Faulted f -> out.add("fault " + f.fault().describe());
        }
        out.add("registers " + Arrays.toString(r.call().registers().toArray()));
        r.call().buffers().forEach(b -> out.add("buffer " + (b == null ? "-" : HexFormat.of().formatHex(b))));
        out.add("stub calls " + r.call().stubCalls());
        out.add("instructions " + probe.machine().instructionsExecuted());
        out.add("hypercalls " + r.hypercallCount());
        for (HypercallRecord h : r.hypercalls()) {
            out.add(h.event().sequence() + " " + h.command() + " " + Arrays.toString(h.event().registers().toArray())
                    + " -> " + Arrays.toString(h.after().toArray()) + " " + h.applied());
        }
        out.add("events " + r.events());
        return String.join("\n", out);
    }
}
