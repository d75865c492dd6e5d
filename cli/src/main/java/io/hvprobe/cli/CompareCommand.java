package io.hvprobe.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.api.Probe;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.report.JsonReportWriter;
import io.hvprobe.report.html.CompareView;
import io.hvprobe.report.html.ComparePage;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.trace.HypercallDigest;
import io.hvprobe.verify.Cost;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/** {@code hvprobe compare}: are two wrappers equivalent for the same inputs, and what does each cost? */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run two functions with the same arguments under the verifier and compare what the"
                + " hypervisor sees (each hypercall's command and contract inputs, masked by the contract's"
                + " input masks), the results (return value, buffers) and the cost of each.",
        footer = {"", "Examples:", "  # objects under firmware-samples/target/matrix/x86_64/gcc/O2",
                "  hvprobe compare detect-port.o -f hv_detect -f hv_product_type",
                "  hvprobe compare rpc-port.o -f rpc_call -f rpc_call_hb --arg str:info-get \\",
                "      --arg buf:64 --arg 64",
                "", "Exit status: 0 equivalent, 1 not equivalent, 2 usage, 3 input, 4 internal."})
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OBJ", description = "ELF object holding both functions.")
    String object;

    @Option(names = {"-f", "--function"}, required = true, arity = "1", paramLabel = "F",
            description = "A function; give exactly two.")
    List<String> functions = new ArrayList<>();

    @Option(names = "--arg", paramLabel = "V", description = "Argument for both calls, in order (as for 'run').")
    List<String> args = new ArrayList<>();

    @Mixin
    ModelOptions model;

    @Mixin
    CompanionProfileOption companions;

    @Mixin
    KernelFlags kernel;

    @Mixin
    FormatOptions.Call format;

    @Mixin
    OutputFile output;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One hypercall as the hypervisor sees it. */
    record Visible(String command, Map<GuestRegister, Long> inputs) {
        @Override
        public String toString() {
            return command + " " + Hypercalls.registers(inputs);
        }
    }

    @Override
    public Integer call() throws Exception {
        output.requireWritable();
        if (functions.size() != 2) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give exactly two --function options (got " + functions.size() + ")");
        }
        List<Argument> arguments;
        try {
            arguments = GuestArguments.parse(args);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (Probe probe = GuestObjects.open(GuestObjects.existing(object),
                companions.applyTo(model.probeOptions()).withKernel(kernel.kernelOptions()))) {
            Options.function(probe, functions.get(0));
            Options.function(probe, functions.get(1));
            Verifier verifier = new Verifier(VerifyOptions.defaults());
            Verification a = verifier.verify(probe, new GuestCall(functions.get(0), arguments));
            Verification b = verifier.verify(probe, new GuestCall(functions.get(1), arguments));
            List<Visible> va = visible(a);
            List<Visible> vb = visible(b);
            int firstDifference = firstDifference(va, vb);
            boolean inputsEqual = firstDifference < 0 && a.run().hypercallCount() == b.run().hypercallCount();
            String resultDifference = resultDifference(a.run().call(), b.run().call());
            boolean equivalent = inputsEqual && resultDifference == null;
            output.write(spec.commandLine().getOut(), out -> {
                switch (format.format) {
                    case JSON -> json(out, probe, a, b, va, vb, firstDifference, inputsEqual, resultDifference,
                            equivalent);
                    case TEXT -> text(out, output.paint(common), a, b, va, vb, firstDifference, resultDifference,
                            equivalent, arguments);
                    case HTML -> out.print(ComparePage.render(new CompareView(object,
                            arguments.isEmpty() ? "none" : RunCommand.describe(arguments),
                            htmlSide(functions.get(0), a, va), htmlSide(functions.get(1), b, vb), firstDifference,
                            resultDifference == null ? "equal" + describeResult(a.run().call())
                                    : "differ (" + resultDifference + ")",
                            equivalent ? "equivalent" : "not equivalent")));
                }
            });
            output.announce(spec.commandLine().getErr(), common);
            return equivalent ? Main.EXIT_OK : Main.EXIT_FINDINGS;
        }
    }

    private static CompareView.Side htmlSide(String function, Verification v, List<Visible> visible) {
        return new CompareView.Side(function, HtmlViews.cost(v.cost()),
                visible.stream().map(Visible::toString).toList());
    }

    private void json(PrintWriter out, Probe probe, Verification a, Verification b, List<Visible> va,
                      List<Visible> vb, int firstDifference, boolean inputsEqual, String resultDifference,
                      boolean equivalent) {
        ObjectNode root = Json.object();
        root.put("object", object).put("profile", probe.profile()).put("equivalent", equivalent)
                .put("inputsEquivalent", inputsEqual).put("resultsEqual", resultDifference == null);
        if (firstDifference >= 0) {
            root.put("firstDifference", firstDifference);
        }
        if (resultDifference != null) {
            root.put("resultDifference", resultDifference);
        }
        ArrayNode fs = root.putArray("functions");
        fs.add(side(functions.get(0), a, va));
        fs.add(side(functions.get(1), b, vb));
        out.println(Json.write(root));
    }

    private static List<Visible> visible(Verification v) {
        List<Visible> out = new ArrayList<>();
        for (HypercallRecord r : v.run().hypercalls()) {
            HypercallDigest d = HypercallDigest.of(r);
            out.add(new Visible(d.command(), d.maskedInputs()));
        }
        return out;
    }

    private static int firstDifference(List<Visible> a, List<Visible> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i >= a.size() || i >= b.size() || !a.get(i).equals(b.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Why the results differ, or null when they are equal. */
    private static String resultDifference(CallResult a, CallResult b) {
        if (a instanceof CallResult.Returned ra && b instanceof CallResult.Returned rb) {
            if (ra.value() != rb.value()) {
                return "return " + Values.hex(ra.value()) + " vs " + Values.hex(rb.value());
            }
        } else if (a instanceof CallResult.Faulted fa && b instanceof CallResult.Faulted fb) {
            if (fa.fault().kind() != fb.fault().kind()) {
                return "faults differ: " + fa.fault().kind() + " vs " + fb.fault().kind();
            }
        } else {
            return (a instanceof CallResult.Returned ? "first returned, second faulted"
                    : "first faulted, second returned");
        }
        for (int i = 0; i < a.buffers().size(); i++) {
            byte[] x = a.buffers().get(i);
            byte[] y = b.buffers().get(i);
            if (!Objects.equals(x == null, y == null) || (x != null && !Arrays.equals(x, y))) {
                return "buffer argument " + i + " differs";
            }
        }
        return null;
    }

    private ObjectNode side(String function, Verification v, List<Visible> visible) {
        ObjectNode n = Json.object();
        n.put("function", function);
        CallResult c = v.run().call();
        if (c instanceof CallResult.Returned r) {
            n.put("return", Values.unsigned(r.value()));
        } else {
            n.putNull("return");
            n.put("fault", ((CallResult.Faulted) c).fault().describe());
        }
        n.put("hypercallCount", v.run().hypercallCount());
        Truncation.hypercalls(n, v.run());
        ArrayNode hs = n.putArray("hypercalls");
        for (Visible x : visible) {
            ObjectNode h = hs.addObject().put("command", x.command());
            ObjectNode in = h.putObject("inputs");
            x.inputs().forEach((r, val) -> in.put(r.displayName(), Values.hex(val)));
        }
        Truncation.cost(n.putObject("cost"), v.cost());
        ArrayNode notes = n.putArray("redundantSaves");
        redundant(v).forEach(f -> notes.add(f.site().location() + ": " + f.finding().message()));
        ArrayNode fs = n.putArray("findings");
        v.findings().forEach(f -> fs.add(JsonReportWriter.finding(f)));
        return n;
    }

    private static List<LocatedFinding> redundant(Verification v) {
        return v.findings().stream().filter(f -> f.finding().ruleId().equals("hvprobe.redundant-save")).toList();
    }

    private void text(PrintWriter out, Paint paint, Verification a, Verification b, List<Visible> va,
                      List<Visible> vb, int diff, String resultDifference, boolean equivalent,
                      List<Argument> arguments) {
        String fa = functions.get(0);
        String fb = functions.get(1);
        out.printf(Locale.ROOT, "%s vs %s in %s (arguments: %s)%n", paint.bold(fa), paint.bold(fb), object,
                arguments.isEmpty() ? "none" : RunCommand.describe(arguments));
        if (diff < 0 && va.size() == vb.size()) {
            out.printf(Locale.ROOT, "hypervisor-visible inputs: %s (%d hypercalls, same commands and masked"
                    + " inputs)%n", paint.green("equivalent"), va.size());
        } else {
            out.printf(Locale.ROOT, "hypervisor-visible inputs: %s at hypercall #%d%n",
                    paint.severity(io.hvprobe.spi.Severity.ERROR, "differ"), diff);
            out.printf(Locale.ROOT, "  %-20s %s%n", fa + ":", diff < va.size() ? va.get(diff) : "(no hypercall)");
            out.printf(Locale.ROOT, "  %-20s %s%n", fb + ":", diff < vb.size() ? vb.get(diff) : "(no hypercall)");
        }
        out.println("results: " + (resultDifference == null ? paint.green("equal") + describeResult(a.run().call())
                : paint.severity(io.hvprobe.spi.Severity.ERROR, "differ") + " (" + resultDifference + ")"));
        Cost ca = a.cost();
        Cost cb = b.cost();
        int w = Math.max(12, Math.max(fa.length(), fb.length()));
        out.printf(Locale.ROOT, "%-26s %" + w + "s %" + w + "s%n", "cost", fa, fb);
        costRow(out, w, "instructions", ca.instructions(), cb.instructions());
        costRow(out, w, "memory reads", ca.memoryReads(), cb.memoryReads());
        costRow(out, w, "memory writes", ca.memoryWrites(), cb.memoryWrites());
        costRow(out, w, "stack bytes", ca.stackBytes(), cb.stackBytes());
        costRow(out, w, "callee-saved regs saved", ca.registersSaved(), cb.registersSaved());
        costRow(out, w, "hypercalls", ca.hypercalls(), cb.hypercalls());
        for (var side : List.of(Map.entry(fa, a), Map.entry(fb, b))) {
            for (LocatedFinding f : redundant(side.getValue())) {
                out.printf(Locale.ROOT, "redundant save in %s at %s: %s%n", side.getKey(), f.site().location(),
                        f.finding().message());
            }
        }
        out.println("verdict: " + (equivalent ? paint.green("equivalent")
                : paint.severity(io.hvprobe.spi.Severity.ERROR, "not equivalent")));
    }

    private static String describeResult(CallResult c) {
        return c instanceof CallResult.Returned r ? " (both return " + Values.hex(r.value()) + ")"
                : " (both fault: " + ((CallResult.Faulted) c).fault().kind().name().toLowerCase(Locale.ROOT) + ")";
    }

    private static void costRow(PrintWriter out, int w, String name, long a, long b) {
        out.printf(Locale.ROOT, "  %-24s %" + w + "d %" + w + "d%n", name, a, b);
    }
}
