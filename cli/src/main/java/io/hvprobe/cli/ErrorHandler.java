package io.hvprobe.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Turns exceptions into one clear line on stderr and the documented exit code; {@code --verbose}
 * (on any subcommand, or {@code HVPROBE_VERBOSE=1}) adds the stack trace.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        boolean verbose = isVerbose(parseResult);
        if (ex instanceof InputError ie) {
            err.println("hvprobe: " + ie.getMessage());
            if (verbose && ie.getCause() != null) {
                ie.getCause().printStackTrace(err);
            }
            err.flush();
            return Main.EXIT_INPUT;
        }
        err.println("hvprobe: internal error: " + ex);
        if (verbose) {
            ex.printStackTrace(err);
        } else {
            err.println("hvprobe: run again with --verbose for the stack trace");
        }
        err.flush();
        return Main.EXIT_INTERNAL;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        cl.getErr().println("hvprobe: " + ex.getMessage());
        cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        cl.getErr().flush();
        return Main.EXIT_USAGE;
    }

    private static boolean isVerbose(CommandLine.ParseResult pr) {
        if ("1".equals(System.getenv("HVPROBE_VERBOSE"))) {
            return true;
        }
        for (CommandLine.ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
