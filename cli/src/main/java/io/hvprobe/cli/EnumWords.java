package io.hvprobe.cli;

import io.hvprobe.report.FailOn;
import io.hvprobe.report.ReportFormat;
import io.hvprobe.spi.Severity;
import io.hvprobe.trace.RegisterMode;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The words users type for an enum-typed option: each constant's name in lower case, exactly (no other case is
 * accepted). One instance is both the option's converter, whose error is picocli's usual
 * {@code Invalid value for option '--format': expected one of [text, json] (case-sensitive) but was 'xml'}, and
 * its completion candidates (shell completion, {@code ${COMPLETION-CANDIDATES}} in help and man pages), so the
 * enum is the only list of the words. Picocli instantiates both by class, hence one small subclass per enum.
 *
 * @param <E> the option's type
 */
abstract class EnumWords<E extends Enum<E>> implements Iterable<String>, CommandLine.ITypeConverter<E> {
    private final Class<E> type;

    EnumWords(Class<E> type) {
        this.type = type;
    }

    /** The word of {@code constant}: its name in lower case. */
    static String word(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The words of {@code type}, in declaration order. */
    static <E extends Enum<E>> List<String> words(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(EnumWords::word).toList();
    }

    /** The constant whose word is exactly {@code word}, if any. */
    static <E extends Enum<E>> Optional<E> parse(Class<E> type, String word) {
        return Arrays.stream(type.getEnumConstants()).filter(c -> word(c).equals(word)).findFirst();
    }

    @Override
    public E convert(String value) {
        return parse(type, value).orElseThrow(() -> new CommandLine.TypeConversionException(
                "expected one of " + words(type) + " (case-sensitive) but was '" + value + "'"));
    }

    @Override
    public Iterator<String> iterator() {
        return words(type).iterator();
    }

    /** {@code --format} of check. */
    static final class ReportFormats extends EnumWords<ReportFormat> {
        ReportFormats() {
            super(ReportFormat.class);
        }
    }

    /** {@code --format} of run and compare. */
    static final class CallFormats extends EnumWords<CallFormat> {
        CallFormats() {
            super(CallFormat.class);
        }
    }

    /** {@code --format} of scan, disasm and commands. */
    static final class ListingFormats extends EnumWords<ListingFormat> {
        ListingFormats() {
            super(ListingFormat.class);
        }
    }

    /** {@code --format} of trace. */
    static final class TraceFormats extends EnumWords<TraceFormat> {
        TraceFormats() {
            super(TraceFormat.class);
        }
    }

    /** {@code --fail-on}. */
    static final class FailOnLevels extends EnumWords<FailOn> {
        FailOnLevels() {
            super(FailOn.class);
        }
    }

    /** {@code --min-severity}. */
    static final class Severities extends EnumWords<Severity> {
        Severities() {
            super(Severity.class);
        }
    }

    /** {@code --regs}. */
    static final class RegisterModes extends EnumWords<RegisterMode> {
        RegisterModes() {
            super(RegisterMode.class);
        }
    }

    /** {@code --variant}. */
    static final class Variants extends EnumWords<Variant> {
        Variants() {
            super(Variant.class);
        }
    }

    /** {@code --color}. */
    static final class ColorModes extends EnumWords<ColorMode> {
        ColorModes() {
            super(ColorMode.class);
        }
    }

    /** {@code --shell}. */
    static final class Shells extends EnumWords<Shell> {
        Shells() {
            super(Shell.class);
        }
    }
}
