package io.hvprobe.cli;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.trace.RegisterMode;
import io.hvprobe.trace.TraceOptions;
import io.hvprobe.trace.TraceResult;
import io.hvprobe.trace.TraceSink;
import io.hvprobe.trace.TraceWriters;
import io.hvprobe.trace.Tracer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code hvprobe trace}: an instruction-level trace of one call. */
@Command(name = "trace", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trace every instruction of one call: address, symbol+offset, bytes, disassembly, register"
                + " changes, memory writes (--mem) and hypercall enter/exit records. The same input gives a"
                + " byte-identical trace, so traces of two builds can be diffed.",
        footer = {"", "Examples:", "  # objects under firmware-samples/target/matrix/x86_64",
                "  hvprobe trace gcc/O2/detect-port.o --function hv_detect",
                "  hvprobe trace gcc/O2/detect-port.o -f hv_detect --mem --format jsonl \\",
                "      -o t.jsonl",
                "  hvprobe trace gcc/O2/rpc-port.o -f rpc_open_close --hypercalls-only",
                "  hvprobe trace gcc/O2-dwarf5/vmmouse-port.o -f vmmouse_enable --source",
                "  diff <(hvprobe trace gcc/O2/detect-port.o -f hv_detect) \\",
                "       <(hvprobe trace clang/O2/detect-port.o -f hv_detect)",
                "", "Exit status: 0 trace written, 2 usage, 3 input, 4 internal."})
final class TraceCommand implements Callable<Integer> {
    /** Instructions one traced call may run before it ends with a budget fault (a run's default budget). */
    static final long TRACE_BUDGET = 10_000_000;
    private static final String TRACE_BUDGET_TEXT = "10,000,000";

    @Parameters(index = "0", paramLabel = "OBJ", description = "ELF object.")
    String object;

    @Option(names = {"-f", "--function"}, required = true, paramLabel = "F", description = "Function to trace.")
    String function;

    @Option(names = "--arg", paramLabel = "V", description = "Argument, in order (as for 'run').")
    List<String> args = new ArrayList<>();

    @Mixin
    LibraryOption libs;

    @Mixin
    ModelOptions model;

    @Mixin
    CompanionProfileOption companions;

    @Mixin
    KernelFlags kernel;

    @Mixin
    FormatOptions.Trace format;

    @Option(names = "--regs", defaultValue = "changed", paramLabel = "WHICH",
            converter = EnumWords.RegisterModes.class, completionCandidates = EnumWords.RegisterModes.class,
            description = "Registers printed after each instruction: ${COMPLETION-CANDIDATES} (default:"
                    + " ${DEFAULT-VALUE}).")
    RegisterMode regs;

    @Option(names = "--mem", description = "Also record guest memory writes.")
    boolean mem;

    @Option(names = "--hypercalls-only", description = "Print only hypercall enter/exit records.")
    boolean hypercallsOnly;

    @Option(names = "--limit", paramLabel = "N",
            description = "Stop cleanly after N instructions (N >= 1; without it, the call's budget of "
                    + TRACE_BUDGET_TEXT + " instructions still applies).")
    Long limit;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the trace to FILE.")
    String output;

    @Mixin
    SourceOptions sources;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1 (got " + limit
                    + "); leave it out to trace until the call ends");
        }
        OutputTarget.requireWritable(output);
        List<Argument> arguments;
        try {
            arguments = GuestArguments.parse(args);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TraceOptions options = new TraceOptions(regs, mem,
                hypercallsOnly, limit == null ? 0 : limit, sources.source);
        var path = GuestObjects.existing(object);
        ProbeOptions probeOptions = companions.applyTo(model.probeOptions()).withKernel(kernel.kernelOptions())
                .withMachine(MachineOptions.defaults()
                .withInstructionBudget(TRACE_BUDGET));
        probeOptions = probeOptions.withLoad(sources.apply(probeOptions.load()));
        List<java.nio.file.Path> libraries = libs.existing();
        try (Probe probe = libraries.isEmpty() ? GuestObjects.open(path, probeOptions)
                : GuestObjects.openWith(path, libraries, probeOptions)) {
            Options.function(probe, function);
            TraceResult r;
            try (OutputStream out = OutputTarget.open(output);
                 TraceSink sink = sink(out)) {
                r = Tracer.trace(probe, new GuestCall(function, arguments), options, sink);
            } catch (RuntimeException e) {
                // A full disk surfaces inside the emulator's code hook; it is the environment, not a bug.
                throw OutputTarget.writeFailure(output, e);
            }
            if (!OutputTarget.isStdout(output) && !common.quiet) {
                spec.commandLine().getErr().printf(Locale.ROOT, "hvprobe: traced %d instructions, %d hypercalls"
                        + " to %s%s%n", r.end().instructions(), r.end().hypercalls(), output,
                        r.end().limitReached() ? " (stopped at --limit)" : "");
            }
        }
        return Main.EXIT_OK;
    }

    private TraceSink sink(OutputStream out) {
        return switch (format.format) {
            case TEXT -> TraceWriters.text(out);
            case JSONL -> TraceWriters.jsonl(out);
        };
    }
}
