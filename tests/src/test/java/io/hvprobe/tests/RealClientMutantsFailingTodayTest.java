package io.hvprobe.tests;

import io.hvprobe.manifest.Scenario;
import io.hvprobe.manifest.ScenarioResult;
import io.hvprobe.manifest.ScenarioRunner;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FAILING TODAY: mutant scenarios (docs/clients.md) where the dropped constraint changes the code but hvprobe does
 * not yet report every rule the manifest names. Same assertion as {@link RealClientMutantsTest}; each scenario id
 * maps to what is missing and why.
 */
class RealClientMutantsFailingTodayTest {
    private static final String EAX_CLOBBER =
            "hvprobe.clobber.written@rax is not reported: the host's EAX write (MESSAGE answers EAX ="
            + " 0) replaces the magic the wrapper assumed kept; vmware.magic-wrong is";

    /** Scenario id to what is missing. */
    static final Map<String, String> FAILING_TODAY = Map.ofEntries(
            Map.entry("x86_64/gcc/O2/mut_ipxe_eax-port.o:muteax_ipxe_guestinfo_fetch@vmware", EAX_CLOBBER),
            Map.entry("x86_64/gcc/Os/mut_ipxe_eax-port.o:muteax_ipxe_guestinfo_fetch@vmware", EAX_CLOBBER));

    private static ScenarioRunner runner;

    @BeforeAll
    static void start() {
        runner = new ScenarioRunner(VerifyOptions.defaults());
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    static List<Scenario> failingToday() {
        List<Scenario> all = RealClients.mutantScenarios();
        assertThat(all.stream().map(Scenario::id)).as("every listed scenario exists")
                .containsAll(FAILING_TODAY.keySet());
        return all.stream().filter(s -> FAILING_TODAY.containsKey(s.id())).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingToday")
    void isFlaggedWithTheRuleItsEntryNames(Scenario s) throws Exception {
        ScenarioResult r = runner.run(s);
        assertThat(r.missing()).as("%s (failing today: %s; found %s)", s.id(), FAILING_TODAY.get(s.id()),
                r.findings().stream().map(f -> f.finding().ruleId() + "@" + f.finding().evidence().get("register"))
                        .toList()).isEmpty();
    }
}
