package io.hvprobe.cli;

import io.hvprobe.report.ReportFormat;
import picocli.CommandLine.Option;

/** {@code --format}, one mixin per set of formats, so each set's words, default and help are written once. */
final class FormatOptions {
    private FormatOptions() {
    }

    /** {@code --format text|json|html}: run, compare. */
    static final class Call {
        @Option(names = "--format", defaultValue = "text", paramLabel = "FMT",
                converter = EnumWords.CallFormats.class, completionCandidates = EnumWords.CallFormats.class,
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        CallFormat format;
    }

    /** {@code --format text|json}: scan, disasm, commands. */
    static final class Listing {
        @Option(names = "--format", defaultValue = "text", paramLabel = "FMT",
                converter = EnumWords.ListingFormats.class, completionCandidates = EnumWords.ListingFormats.class,
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        ListingFormat format;

        /** Whether the output is JSON (else text). */
        boolean json() {
            return switch (format) {
                case JSON -> true;
                case TEXT -> false;
            };
        }
    }

    /** {@code --format text|jsonl}: trace. */
    static final class Trace {
        @Option(names = "--format", defaultValue = "text", paramLabel = "FMT",
                converter = EnumWords.TraceFormats.class, completionCandidates = EnumWords.TraceFormats.class,
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        TraceFormat format;
    }

    /** {@code --format text|json|sarif|junit|html}: check's report. */
    static final class Report {
        @Option(names = "--format", defaultValue = "text", paramLabel = "FMT",
                converter = EnumWords.ReportFormats.class, completionCandidates = EnumWords.ReportFormats.class,
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        ReportFormat format;
    }
}
