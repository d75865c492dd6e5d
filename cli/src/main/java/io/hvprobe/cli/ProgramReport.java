package io.hvprobe.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.KernelEvent;
import io.hvprobe.guest.StubCall;
import io.hvprobe.report.JsonReportWriter;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.trace.HypercallDigest;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * What {@code hvprobe run OBJ --entry} prints: the program's exit status, its captured standard output and error,
 * the hypercall log, the stub calls, the rest of the run's log and the findings (text or JSON).
 */
final class ProgramReport {
    private final String object;
    private final Probe probe;
    private final List<String> argv;
    private final RunResult run;
    private final List<String> startupNotes;

    ProgramReport(String object, Probe probe, List<String> argv, RunResult run, List<String> startupNotes) {
        this.object = object;
        this.probe = probe;
        this.argv = List.copyOf(argv);
        this.run = run;
        this.startupNotes = List.copyOf(startupNotes);
    }

    /** The exit status a shell would see (the low 8 bits of main's return or exit's argument), or null. */
    Integer exitStatus() {
        return run.call() instanceof CallResult.Returned r ? (int) (r.value() & 0xFF) : null;
    }

    /** The lines the program wrote to {@code kind}'s stream, each with its newline. */
    String output(KernelEvent.Kind kind) {
        StringBuilder b = new StringBuilder();
        run.events().stream().filter(e -> e.kind() == kind).forEach(e -> b.append(e.text()).append('\n'));
        return b.toString();
    }

    void text(PrintWriter out, Paint paint, boolean verbose) {
        out.printf(Locale.ROOT, "%s of %s [%s, profile %s] argv: %s%n", paint.bold("entry"), object,
                probe.machine().arch().name().toLowerCase(Locale.ROOT), probe.profile(), String.join(" ",
                        argv.stream().map(ProgramReport::quoted).toList()));
        out.printf(Locale.ROOT, "hypercalls (%d):%n", run.hypercallCount());
        for (HypercallRecord r : run.hypercalls()) {
            Hypercalls.text(HypercallDigest.of(r), out, paint);
        }
        switch (run.call()) {
            case CallResult.Returned r -> out.printf(Locale.ROOT, "exit status: %s%n", paint.bold(
                    String.valueOf(r.value() & 0xFF)));
            case CallResult.Faulted f -> out.println("fault: " + paint.severity(io.hvprobe.spi.Severity.ERROR,
                    f.fault().describe()));
        }
        stream(out, "stdout", output(KernelEvent.Kind.STDOUT));
        stream(out, "stderr", output(KernelEvent.Kind.STDERR));
        List<StubCall> stubs = run.call().stubCalls();
        out.printf(Locale.ROOT, "stubs called: %d%s%n", stubs.size(), stubs.isEmpty() ? "" : ":");
        for (StubCall s : stubs) {
            out.printf(Locale.ROOT, "  %s(%s) -> %s from %s%n", s.name(),
                    String.join(", ", s.arguments().stream().map(Values::hex).toList()), Values.hex(s.returned()),
                    s.caller());
        }
        List<KernelEvent> log = run.events().stream().filter(e -> !isOutput(e)).toList();
        if (!log.isEmpty()) {
            out.printf(Locale.ROOT, "log (%d):%n", log.size());
            log.forEach(e -> out.println("  " + e));
        }
        if (run.findings().isEmpty()) {
            out.println("findings: " + paint.green("none"));
        } else {
            out.printf(Locale.ROOT, "findings (%d):%n", run.findings().size());
            for (LocatedFinding f : run.findings()) {
                TextReport.lines(f, paint, verbose).forEach(l -> out.println("  " + l));
            }
        }
        startupNotes.forEach(n -> out.println("note: " + n));
        out.println("note: a program run is not verified (the verifier reruns single functions); its findings come"
                + " from the hypervisor model and the run");
    }

    ObjectNode json() {
        ObjectNode root = Json.object();
        root.put("object", object).put("entry", true)
                .put("arch", probe.machine().arch().name().toLowerCase(Locale.ROOT))
                .put("hypervisor", probe.hypervisor().name()).put("profile", probe.profile());
        ArrayNode a = root.putArray("argv");
        argv.forEach(a::add);
        Integer status = exitStatus();
        if (status == null) {
            root.putNull("exitStatus");
        } else {
            root.put("exitStatus", status);
        }
        root.put("stdout", output(KernelEvent.Kind.STDOUT)).put("stderr", output(KernelEvent.Kind.STDERR));
        if (run.call() instanceof CallResult.Faulted f) {
            root.putObject("fault").put("kind", f.fault().kind().name().toLowerCase(Locale.ROOT))
                    .put("pc", Values.hex(f.fault().pc())).put("location", f.fault().location())
                    .put("instruction", f.fault().instruction()).put("message", f.fault().describe());
        } else {
            root.putNull("fault");
        }
        root.put("hypercallCount", run.hypercallCount());
        Truncation.hypercalls(root, run);
        ArrayNode hs = root.putArray("hypercalls");
        run.hypercalls().forEach(r -> hs.add(Hypercalls.json(HypercallDigest.of(r))));
        ArrayNode stubs = root.putArray("stubs");
        for (StubCall s : run.call().stubCalls()) {
            ObjectNode n = stubs.addObject().put("name", s.name()).put("caller", s.caller())
                    .put("returned", Values.hex(s.returned()));
            ArrayNode sa = n.putArray("arguments");
            s.arguments().forEach(x -> sa.add(Values.hex(x)));
        }
        ArrayNode events = root.putArray("kernelLog");
        for (KernelEvent e : run.events()) {
            if (!isOutput(e)) {
                events.addObject().put("kind", e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                        .put("location", e.location()).put("text", e.text());
            }
        }
        ArrayNode fs = root.putArray("findings");
        run.findings().forEach(f -> fs.add(JsonReportWriter.finding(f)));
        ArrayNode notes = root.putArray("notes");
        startupNotes.forEach(notes::add);
        return root;
    }

    private static boolean isOutput(KernelEvent e) {
        return e.kind() == KernelEvent.Kind.STDOUT || e.kind() == KernelEvent.Kind.STDERR;
    }

    private static void stream(PrintWriter out, String name, String text) {
        if (text.isEmpty()) {
            out.println(name + ": (empty)");
            return;
        }
        out.println(name + ":");
        text.lines().forEach(l -> out.println("  | " + l));
    }

    private static String quoted(String word) {
        return word.isEmpty() || word.chars().anyMatch(c -> c == ' ' || c == '"' || c == '\'')
                ? "\"" + word.replace("\"", "\\\"") + "\"" : word;
    }
}
