package io.hvprobe.cli;

import io.hvprobe.api.Probe;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.SymbolType;
import picocli.CommandLine;


/** Validation of option values shared by the commands (usage errors, exit 2). */
final class Options {
    private Options() {
    }

    /** The verifier's defaults with {@code --work-budget}; a negative budget is a usage error. */
    static io.hvprobe.verify.VerifyOptions verifyOptions(CommandLine.Model.CommandSpec spec, long workBudget) {
        if (workBudget < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--work-budget must be >= 0 (0 = unlimited), got " + workBudget);
        }
        return io.hvprobe.verify.VerifyOptions.defaults().withWorkBudget(workBudget);
    }

    /** The defined function {@code name}; an input error naming the object's functions otherwise. */
    static GuestSymbol function(Probe probe, String name) throws UnknownFunctionException {
        return function(probe.image(), probe.object(), name);
    }

    static GuestSymbol function(GuestImage image, String object, String name) throws UnknownFunctionException {
        GuestSymbol s = image.symbol(name).orElseThrow(() ->
                new UnknownFunctionException(object, name,
                        image.functions().stream().map(GuestSymbol::name).toList()));
        // Running or disassembling data as code only produces a confusing fault; assembler labels (NOTYPE) in
        // code are fine.
        if (s.type() == SymbolType.OBJECT) {
            throw new InputError(object + ": '" + name + "' is a data object" + (s.section().isEmpty() ? ""
                    : " in " + s.section()) + ", not a function");
        }
        return s;
    }
}
