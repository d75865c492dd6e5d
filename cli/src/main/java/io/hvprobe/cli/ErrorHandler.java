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
        if (ex instanceof InputError || ex instanceof io.hvprobe.guest.UnknownFunctionException
                || ex instanceof io.hvprobe.loader.LoadException) {
            err.println("hvprobe: " + oneLine(ex.getMessage()));
            if (verbose) {
                (ex.getCause() != null ? ex.getCause() : ex).printStackTrace(err);
            }
            err.flush();
            return Main.EXIT_INPUT;
        }
        if (ex instanceof io.hvprobe.unicorn.UnicornUnavailableException
                || ex instanceof io.hvprobe.disasm.DisassemblerUnavailableException) {
            // A native library (Unicorn, Capstone, JNA's own) is missing or broken: the machine, not hvprobe.
            err.println("hvprobe: " + oneLine(ex.getMessage()));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return Main.EXIT_INPUT;
        }
        Throwable io = ioCause(ex);
        if (io != null) {
            // Reading or writing failed (disk full, device error): the environment, not hvprobe.
            err.println("hvprobe: " + oneLine(String.valueOf(io.getMessage())));
            if (verbose) {
                ex.printStackTrace(err);
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
        cl.getErr().println("hvprobe: " + UsageErrors.explain(ex, args));
        cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        cl.getErr().flush();
        return Main.EXIT_USAGE;
    }

    private static Throwable ioCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return t;
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
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
