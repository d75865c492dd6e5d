package io.hvprobe.cli;

import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.SymbolType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code hvprobe __functions OBJ}: the object's function names, one a line, for shell completion of
 * {@code --function}. Hidden; prints nothing (exit 0) for anything it cannot load, since a completion must not
 * print errors into the user's command line.
 */
@Command(name = "__functions", hidden = true, description = "Function names of OBJ, for shell completion.")
final class FunctionsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OBJ")
    String object;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            GuestImage image = GuestObjects.load(GuestObjects.existing(object));
            image.functions().stream().filter(f -> f.type() != SymbolType.OBJECT).map(GuestSymbol::name)
                    .distinct().sorted().forEach(out::println);
        } catch (InputError e) {
            // Not an object: no candidates.
        }
        out.flush();
        return Main.EXIT_OK;
    }
}
