package io.hvprobe.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.lang.reflect.Field;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An option several commands take is declared once, in a mixin, so its name, default and help cannot drift. */
class SharedOptionsTest {
    private static final List<String> MODEL_COMMANDS = List.of("run", "trace", "compare", "check", "commands");
    private static final List<String> COMMANDS = List.of("run", "trace", "check", "scan", "compare", "disasm",
            "commands", "generate-completion");

    private static Class<?> declaredBy(String command, String option) {
        OptionSpec o = Main.commandLine().getSubcommands().get(command).getCommandSpec().findOption(option);
        assertThat(o).as(command + " " + option).isNotNull();
        return ((Field) o.userObject()).getDeclaringClass();
    }

    @Test
    void hvIsDeclaredOnceForEveryCommandThatPicksAModel() {
        for (String command : MODEL_COMMANDS) {
            assertThat(declaredBy(command, "--hv")).as(command).isEqualTo(HypervisorOption.class);
        }
        for (String command : List.of("run", "trace", "compare", "commands")) {
            assertThat(declaredBy(command, "--profile")).as(command).isEqualTo(ModelOptions.class);
        }
    }

    @Test
    void quietVerboseAndColorAreDeclaredOnceForEveryCommand() {
        for (String command : COMMANDS) {
            for (String option : List.of("-q", "--verbose", "--color")) {
                assertThat(declaredBy(command, option)).as(command + " " + option).isEqualTo(CommonOptions.class);
            }
        }
    }

    @Test
    void anUnknownModelIsAnInputErrorInEveryCommandThatPicksOne() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertThat(cl.execute("commands", "--hv", "nope")).isEqualTo(Main.EXIT_INPUT);
    }
}
