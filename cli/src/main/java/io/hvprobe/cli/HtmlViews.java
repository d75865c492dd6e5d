package io.hvprobe.cli;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.KernelEvent;
import io.hvprobe.guest.StubCall;
import io.hvprobe.report.html.HypercallView;
import io.hvprobe.report.html.Measure;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.trace.HypercallDigest;
import io.hvprobe.verify.Cost;
import io.hvprobe.verify.Verification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A verified call decoded into what the HTML pages show (the pages live in the report layer, below the verifier). */
final class HtmlViews {
    private HtmlViews() {
    }

    /** The kept hypercall log of {@code v}, decoded. */
    static List<HypercallView> hypercalls(Verification v) {
        List<HypercallView> out = new ArrayList<>();
        for (HypercallRecord r : v.run().hypercalls()) {
            HypercallDigest d = HypercallDigest.of(r);
            out.add(new HypercallView(d.sequence(), d.location(), d.form().name(), d.command(), d.plugin(),
                    d.summary(), hex(d.inputs()), hex(d.changed()), d.contract(), d.findings(),
                    r.outcome().flatMap(TrapOutcome.Handled::step)));
        }
        return out;
    }

    /** The cost figures in the order text output lists them. */
    static List<Measure> cost(Cost c) {
        return List.of(new Measure("instructions", c.instructions()), new Measure("memory reads", c.memoryReads()),
                new Measure("memory writes", c.memoryWrites()), new Measure("stack bytes", c.stackBytes()),
                new Measure("callee-saved registers saved", c.registersSaved()),
                new Measure("hypercalls", c.hypercalls()));
    }

    /** {@code return 0x10 (16)}, {@code ended: …} (a call that does not return) or {@code fault: …}, as text words it. */
    static String result(CallResult call) {
        return switch (call) {
            case CallResult.Returned r -> String.format(Locale.ROOT, "return: %s (%d)", Values.hex(r.value()),
                    r.value());
            case CallResult.Faulted f when f.fault().kind() == io.hvprobe.guest.Fault.Kind.NO_RETURN ->
                    "ended: " + f.fault().describe();
            case CallResult.Faulted f -> "fault: " + f.fault().describe();
        };
    }

    /** Stub calls, the kernel log and the buffers after the call, one line each (as text output words them). */
    static List<String> details(Verification v) {
        List<String> out = new ArrayList<>();
        CallResult call = v.run().call();
        for (StubCall s : call.stubCalls()) {
            out.add("stub " + s.name() + "(" + String.join(", ", s.arguments().stream().map(Values::hex).toList())
                    + ") -> " + Values.hex(s.returned()) + " from " + s.caller());
        }
        for (KernelEvent e : v.run().events()) {
            out.add("kernel log: " + e);
        }
        for (int i = 0; i < call.buffers().size(); i++) {
            if (call.buffers().get(i) != null) {
                out.add("buffer arg " + i + " after: " + Values.bytes(call.buffers().get(i)));
            }
        }
        return out;
    }

    private static Map<String, String> hex(Map<GuestRegister, Long> regs) {
        Map<String, String> out = new LinkedHashMap<>();
        regs.forEach((r, v) -> out.put(r.displayName(), Values.hex(v)));
        return out;
    }
}
