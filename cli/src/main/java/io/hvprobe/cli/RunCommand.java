package io.hvprobe.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.KernelEvent;
import io.hvprobe.guest.StubCall;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.report.FailOn;
import io.hvprobe.report.JsonReportWriter;
import io.hvprobe.report.html.RunPage;
import io.hvprobe.report.html.RunView;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.trace.HypercallDigest;
import io.hvprobe.trap.TrapSite;
import io.hvprobe.verify.Cost;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code hvprobe run}: one function under the verifier, with its decoded hypercall log. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run one function against the hypervisor model and verify it; print the decoded hypercall"
                + " log, the return value, stub calls, the kernel log (printk, WARN, device I/O), buffers and"
                + " findings.",
        footer = {"", "Arguments: decimal (42, -1), hex (0x564D5868), buf:SIZE (pointer to a zeroed guest buffer,"
                + " printed after the call), buf:SIZE,uN@OFF=V,... (the same with integer fields set, a struct),"
                + " ptr:uN=V (pointer to one initialised integer, e.g. ptr:u64=256 for a size_t *length),"
                + " hex:BYTES (pointer to exactly those bytes), str:TEXT (pointer to a NUL-terminated copy of TEXT).",
                "", "Examples:", "  # objects under firmware-samples/target/matrix/x86_64/gcc/O2",
                "  hvprobe run detect-port.o --function hv_detect",
                "  hvprobe run clock-port.o -f hv_steal_clock_enable --arg buf:64 --format json",
                "  hvprobe run rpc-vmcall.o -f rpc_call --arg str:info-get --arg buf:64 \\",
                "      --arg 64 --variant vmcall",
                "", "Exit status: 0 no findings at or above --fail-on, 1 findings, 2 usage, 3 input, 4 internal."})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OBJ", description = "ELF object (.o, .ko, executable).")
    String object;

    @Option(names = {"-f", "--function"}, paramLabel = "F", description = "Function to run (or --entry).")
    String function;

    @Option(names = "--arg", paramLabel = "V", description = "Argument, in order (repeat; at most 8).")
    List<String> args = new ArrayList<>();

    @Option(names = "--entry", description = "Run the object as a program from its ELF entry point: the C start-up"
            + " calls main(argc, argv, envp); prints the exit status and the captured stdout and stderr.")
    boolean entry;

    @Option(names = "--argv", paramLabel = "WORD", description = "With --entry: the program's argv, argv[0]"
            + " included (repeat; default: the object's file name).")
    List<String> argv = new ArrayList<>();

    @Mixin
    LibraryOption libs;

    @Mixin
    ModelOptions model;

    @Mixin
    CompanionProfileOption companions;

    @Mixin
    KernelFlags kernel;

    @Option(names = "--variant", paramLabel = "V", converter = EnumWords.Variants.class,
            completionCandidates = EnumWords.Variants.class,
            description = "Build variant label carried into findings: ${COMPLETION-CANDIDATES}; must match the"
                    + " function's trap forms.")
    Variant variant;

    @Mixin
    FormatOptions.Call format;

    @Mixin
    OutputFile output;

    @Mixin
    WorkBudgetOption workBudget;

    @Option(names = "--fail-on", defaultValue = "error", paramLabel = "LEVEL",
            converter = EnumWords.FailOnLevels.class, completionCandidates = EnumWords.FailOnLevels.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    FailOn failOn;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        output.requireWritable();
        if (entry == (function != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give either --function F or --entry (run the object as a program)");
        }
        if (entry) {
            return runProgram();
        }
        if (!argv.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--argv goes with --entry");
        }
        List<Argument> arguments;
        try {
            arguments = GuestArguments.parse(args);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path path = GuestObjects.existing(object);
        ProbeOptions options = companions.applyTo(model.probeOptions()).withKernel(kernel.kernelOptions())
                .withVariant(variantLabel());
        List<Path> libraries = libs.existing();
        try (Probe probe = libraries.isEmpty() ? GuestObjects.open(path, options)
                : GuestObjects.openWith(path, libraries, options)) {
            probe.startupNotes().forEach(n -> spec.commandLine().getErr().println("hvprobe: note: " + n));
            GuestSymbol fn = Options.function(probe, function);
            if (variant != null) {
                List<TrapSite> sites = probe.sites().stream().filter(s -> fn.covers(s.address())).toList();
                String why = Variants.mismatch(variant, function, sites.isEmpty() ? probe.sites() : sites);
                if (why != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), why);
                }
            }
            Verification v = new Verifier(workBudget.verifyOptions()).verify(probe, new GuestCall(function, arguments));
            output.write(spec.commandLine().getOut(), out -> {
                switch (format.format) {
                    case TEXT -> text(probe, arguments, v, out, output.paint(common));
                    case JSON -> out.println(Json.write(json(probe, arguments, v)));
                    case HTML -> out.print(RunPage.render(new RunView(object, function, describe(arguments),
                            context(probe), HtmlViews.result(v.run().call()), v.run().hypercallCount(),
                            HtmlViews.hypercalls(v), HtmlViews.details(v), HtmlViews.cost(v.cost()), v.findings(),
                            v.notes())));
                }
            });
            output.announce(spec.commandLine().getErr(), common);
            return failOn.fails(v.findings().stream().map(f -> f.finding().severity())
                    .max(Enum::compareTo)) ? Main.EXIT_FINDINGS : Main.EXIT_OK;
        }
    }

    /** {@code --entry}: the program from its entry point, with its argv. */
    private int runProgram() {
        if (!args.isEmpty() || variant != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--arg and --variant go with --function");
        }
        if (format.format == CallFormat.HTML) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format html goes with --function; a program run (--entry) is reported as text or json");
        }
        Path path = GuestObjects.existing(object);
        ProbeOptions options = companions.applyTo(model.probeOptions()).withKernel(kernel.kernelOptions());
        List<String> words = argv.isEmpty() ? List.of(String.valueOf(path.getFileName())) : argv;
        try (Probe probe = GuestObjects.openWith(path, libs.existing(), options)) {
            if (probe.image().entryPoint().isEmpty()) {
                throw new InputError(object + ": no ELF entry point (an object file, or a shared object without one);"
                        + " run a function with --function");
            }
            io.hvprobe.api.RunResult run = probe.runProgram(words);
            ProgramReport report = new ProgramReport(object, probe, words, run, probe.startupNotes());
            output.write(spec.commandLine().getOut(), out -> {
                switch (format.format) {
                    case JSON -> out.println(Json.write(report.json()));
                    case TEXT -> report.text(out, output.paint(common), common.verbose);
                    case HTML -> throw new IllegalStateException("refused above");
                }
            });
            output.announce(spec.commandLine().getErr(), common);
            return failOn.fails(run.findings().stream().map(f -> f.finding().severity())
                    .max(Enum::compareTo)) ? Main.EXIT_FINDINGS : Main.EXIT_OK;
        }
    }

    private void text(Probe probe, List<Argument> arguments, Verification v, PrintWriter out, Paint paint) {
        out.printf(Locale.ROOT, "%s(%s) in %s [%s, profile %s%s]%n", paint.bold(function), describe(arguments),
                object, probe.machine().arch().name().toLowerCase(Locale.ROOT), probe.profile(),
                variant == null ? "" : ", variant " + variantLabel());
        List<HypercallRecord> records = v.run().hypercalls();
        out.printf(Locale.ROOT, "hypercalls (%d):%n", v.run().hypercallCount());
        for (HypercallRecord r : records) {
            Hypercalls.text(HypercallDigest.of(r), out, paint);
        }
        if (v.run().hypercallCount() > records.size()) {
            out.printf(Locale.ROOT, "  ... %d more not kept%n", v.run().hypercallCount() - records.size());
        }
        CallResult call = v.run().call();
        switch (call) {
            case CallResult.Returned r -> out.printf(Locale.ROOT, "return: %s (%d)%n", paint.bold(Values.hex(r.value())),
                    r.value());
            // A call that does not return (PSCI CPU_OFF) ends the run as it ends the guest: not an error.
            case CallResult.Faulted f when f.fault().kind() == io.hvprobe.guest.Fault.Kind.NO_RETURN ->
                    out.println("ended: " + f.fault().describe());
            case CallResult.Faulted f -> out.println("fault: " + paint.severity(io.hvprobe.spi.Severity.ERROR,
                    f.fault().describe()));
        }
        if (call.stubCalls().isEmpty()) {
            out.println("stubs called: none");
        } else {
            out.println("stubs called:");
            for (StubCall s : call.stubCalls()) {
                out.printf(Locale.ROOT, "  %s(%s) -> %s from %s%n", s.name(), hexList(s.arguments()),
                        Values.hex(s.returned()), s.caller());
            }
        }
        List<KernelEvent> events = v.run().events();
        if (!events.isEmpty()) {
            out.printf(Locale.ROOT, "kernel log (%d):%n", events.size());
            events.forEach(e -> out.println("  " + e));
        }
        for (int i = 0; i < call.buffers().size(); i++) {
            if (call.buffers().get(i) != null) {
                out.printf(Locale.ROOT, "buffer arg %d after: %s%n", i, Values.bytes(call.buffers().get(i)));
            }
        }
        Cost c = v.cost();
        out.printf(Locale.ROOT, "cost: %d instructions, %d memory reads, %d memory writes, %d stack bytes,"
                + " %d callee-saved registers saved, %d hypercalls%n", c.instructions(), c.memoryReads(),
                c.memoryWrites(), c.stackBytes(), c.registersSaved(), c.hypercalls());
        if (v.findings().isEmpty()) {
            out.println("findings: " + paint.green("none"));
        } else {
            out.printf(Locale.ROOT, "findings (%d):%n", v.findings().size());
            for (LocatedFinding f : v.findings()) {
                TextReport.lines(f, paint, common.verbose).forEach(l -> out.println("  " + l));
            }
        }
        v.notes().forEach(n -> out.println("note: " + n));
    }

    private ObjectNode json(Probe probe, List<Argument> arguments, Verification v) {
        ObjectNode root = Json.object();
        root.put("object", object).put("function", function)
                .put("arch", probe.machine().arch().name().toLowerCase(Locale.ROOT))
                .put("hypervisor", probe.hypervisor().name()).put("profile", probe.profile())
                .put("variant", variantLabel());
        ArrayNode a = root.putArray("arguments");
        arguments.forEach(x -> a.add(describe(List.of(x))));
        CallResult call = v.run().call();
        root.put("returned", call instanceof CallResult.Returned);
        if (call instanceof CallResult.Returned r) {
            root.put("return", Values.unsigned(r.value()));
        } else {
            root.putNull("return");
        }
        if (call instanceof CallResult.Faulted f) {
            root.putObject("fault").put("kind", f.fault().kind().name().toLowerCase(Locale.ROOT))
                    .put("pc", Values.hex(f.fault().pc())).put("location", f.fault().location())
                    .put("instruction", f.fault().instruction()).put("message", f.fault().describe());
        } else {
            root.putNull("fault");
        }
        root.put("hypercallCount", v.run().hypercallCount());
        Truncation.hypercalls(root, v.run());
        ArrayNode hs = root.putArray("hypercalls");
        v.run().hypercalls().forEach(r -> hs.add(Hypercalls.json(HypercallDigest.of(r))));
        ArrayNode stubs = root.putArray("stubs");
        for (StubCall s : call.stubCalls()) {
            ObjectNode n = stubs.addObject().put("name", s.name()).put("caller", s.caller())
                    .put("returned", Values.hex(s.returned()));
            ArrayNode sa = n.putArray("arguments");
            s.arguments().forEach(x -> sa.add(Values.hex(x)));
        }
        ArrayNode events = root.putArray("kernelLog");
        for (KernelEvent e : v.run().events()) {
            events.addObject().put("kind", e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .put("location", e.location()).put("text", e.text());
        }
        ArrayNode bufs = root.putArray("buffers");
        for (int i = 0; i < call.buffers().size(); i++) {
            if (call.buffers().get(i) != null) {
                bufs.addObject().put("argument", i)
                        .put("hex", java.util.HexFormat.of().formatHex(call.buffers().get(i)));
            }
        }
        Truncation.cost(root.putObject("cost"), v.cost());
        ArrayNode fs = root.putArray("findings");
        v.findings().forEach(f -> fs.add(JsonReportWriter.finding(f)));
        ArrayNode notes = root.putArray("notes");
        v.notes().forEach(notes::add);
        return root;
    }

    /** {@code x86_64, profile vmware, variant vmcall}. */
    private String context(Probe probe) {
        return probe.machine().arch().name().toLowerCase(Locale.ROOT) + ", profile " + probe.profile()
                + (variant == null ? "" : ", variant " + variantLabel());
    }

    /** The {@code --variant} label, or {@code ""}. */
    private String variantLabel() {
        return variant == null ? "" : EnumWords.word(variant);
    }

    static String describe(List<Argument> arguments) {
        List<String> parts = new ArrayList<>();
        for (Argument a : arguments) {
            parts.add(switch (a) {
                case Argument.Value v -> Values.hex(v.value());
                case Argument.Buffer b -> "buf[" + b.size() + "]";
            });
        }
        return String.join(", ", parts);
    }

    private static String hexList(List<Long> values) {
        return String.join(", ", values.stream().map(Values::hex).toList());
    }
}
