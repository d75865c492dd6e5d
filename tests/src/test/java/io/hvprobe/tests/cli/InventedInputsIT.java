package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.tests.cli.Hvprobe.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code check}'s synthetic calls invent arguments and run each function alone in a fresh session: what rests on
 * that is a note that says so, what holds whatever the inputs stays an error, and every finding has a place.
 * The same code run with real arguments ({@code run --arg}) keeps its errors.
 */
class InventedInputsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A GuestRPC CLOSE of the channel its caller names (EDX[31:16]), as a message library's close helper does. */
    private static final String CLOSE_HELPER = """
            void rpc_close(unsigned short channel) {
                unsigned long ax = 0x564D5868, bx = 0, cx = 30 | (6u << 16), si = 0, di = 0;
                unsigned long dx = 0x5658 | ((unsigned long)channel << 16);
                __asm__ volatile("inl %%dx, %%eax" : "+a"(ax), "+b"(bx), "+c"(cx), "+d"(dx), "+S"(si), "+D"(di)
                                 :: "memory");
            }
            """;

    /** A backdoor call whose command number is its caller's argument, and one with a wrong constant command. */
    private static final String COMMANDS = """
            unsigned backdoor(unsigned long command) {
                unsigned long ax = 0x564D5868, bx = 0, cx = command, dx = 0x5658;
                __asm__ volatile("inl %%dx, %%eax" : "+a"(ax), "+b"(bx), "+c"(cx), "+d"(dx) :: "memory");
                return ax;
            }
            unsigned wrong_command(void) {
                unsigned long ax = 0x564D5868, bx = 0, cx = 0x7f, dx = 0x5658;
                __asm__ volatile("inl %%dx, %%eax" : "+a"(ax), "+b"(bx), "+c"(cx), "+d"(dx) :: "memory");
                return ax;
            }
            """;

    @TempDir
    Path dir;

    private static List<JsonNode> findings(Result r) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode res : JSON.readTree(r.out()).get("results")) {
            res.get("findings").forEach(out::add);
        }
        return out;
    }

    private static List<JsonNode> rule(List<JsonNode> all, String rule) {
        return all.stream().filter(f -> f.get("rule").asText().equals(rule)).toList();
    }

    @Test
    void aCloseHelperCalledWithAnInventedChannelGetsANoteAndWithARealOneAnError() throws Exception {
        Path obj = Hvprobe.compile(dir, "close.o", CLOSE_HELPER, "gcc");
        Result check = CliRun.run("check", obj, "--format", "json", "-q");
        assertThat(check.exit()).as(check.toString()).isZero();
        assertThat(rule(findings(check), "vmware.rpc-bad-channel")).singleElement().satisfies(f -> {
            assertThat(f.get("severity").asText()).isEqualTo("note");
            assertThat(f.get("message").asText()).contains("depends on what this run invented");
            assertThat(f.get("evidence").get("depends-on").asText()).contains("protocol-state");
        });

        Result run = CliRun.run("run", obj, "-f", "rpc_close", "--arg", "3", "--fail-on", "never");
        assertThat(run.out()).as(run.toString()).contains("error: [vmware.rpc-bad-channel]");
    }

    @Test
    void aCommandRegisterHoldingAnInventedArgumentIsANoteAndAWrongConstantCommandAnError() throws Exception {
        Path obj = Hvprobe.compile(dir, "commands.o", COMMANDS, "gcc");
        Result check = CliRun.run("check", obj, "--format", "json", "-q");
        assertThat(check.exit()).as("the wrong constant command is an error: " + check).isEqualTo(1);
        List<JsonNode> unknown = rule(findings(check), "vmware.command-unknown");
        assertThat(unknown).filteredOn(f -> f.get("function").asText().equals("backdoor")).singleElement()
                .satisfies(f -> {
                    // ECX holds the synthetic buffer address check passed as the argument.
                    assertThat(f.get("severity").asText()).isEqualTo("note");
                    assertThat(f.get("message").asText()).contains("rcx holds a value derived from invented");
                    assertThat(f.get("evidence").get("depends-on").asText()).isEqualTo("input-values");
                });
        assertThat(unknown).filteredOn(f -> f.get("function").asText().equals("wrong_command")).singleElement()
                .satisfies(f -> {
                    assertThat(f.get("severity").asText()).isEqualTo("error");
                    assertThat(f.get("evidence").has("depends-on")).isFalse();
                });

        Result real = CliRun.run("run", obj, "-f", "backdoor", "--arg", "0x7f", "--fail-on", "never");
        assertThat(real.out()).as(real.toString()).contains("error: [vmware.command-unknown]");
    }

    @Test
    void debiansBalloonWorkRunAloneDrawsNoErrorForItsMissingStartAndEveryFindingHasAPlace() throws Exception {
        Path ko = RealObjects.module("amd64", "vmw_balloon.ko");
        Result check = CliRun.run("check", ko, "--format", "json", "-q", "--fail-on", "never");
        assertThat(check.exit()).as(check.toString()).isZero();
        List<JsonNode> all = findings(check);
        assertThat(all).isNotEmpty().allSatisfy(f -> {
            assertThat(f.get("location").asText()).as(f.toString()).doesNotStartWith("0x");
            if (f.get("evidence").has("command")) {
                assertThat(f.get("evidence").get("command").asText()).as(f.toString()).isNotEqualTo("?");
            }
            if (f.get("evidence").has("trap")) {
                assertThat(f.get("evidence").get("trap").asText()).as(f.toString()).doesNotStartWith("0x");
            }
        });
        List<JsonNode> protocol = rule(all, "vmware.balloon-protocol");
        assertThat(protocol).extracting(f -> f.get("message").asText())
                .anyMatch(m -> m.startsWith("balloon GET_TARGET before START"));
        assertThat(protocol).allSatisfy(f -> {
            assertThat(f.get("severity").asText()).isEqualTo("note");
            assertThat(f.get("evidence").get("depends-on").asText()).isEqualTo("protocol-state");
        });
    }
}
