package io.hvprobe.cli;

import io.hvprobe.verify.VerifyOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --work-budget}: what one function's verification may cost (every command that verifies). */
final class WorkBudgetOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--work-budget", paramLabel = "UNITS", defaultValue = "" + VerifyOptions.DEFAULT_WORK_BUDGET,
            description = "Work one function's verification may cost: instructions plus "
                    + VerifyOptions.HYPERCALL_WORK + " per hypercall, summed over its first run and all reruns; past it"
                    + " the runs stop (the first run before the hypercall that would pass it, else the reruns) with a"
                    + " hvprobe.work-budget note (default: ${DEFAULT-VALUE}; 0 = unlimited).")
    long units;

    /** The verifier's defaults with this budget; a negative budget is a usage error. */
    VerifyOptions verifyOptions() {
        if (units < 0) {
            throw new CommandLine.ParameterException(command.commandLine(),
                    "--work-budget must be >= 0 (0 = unlimited), got " + units);
        }
        return VerifyOptions.defaults().withWorkBudget(units);
    }
}
