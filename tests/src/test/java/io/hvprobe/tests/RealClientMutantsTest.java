package io.hvprobe.tests;

import io.hvprobe.manifest.FunctionEntry;
import io.hvprobe.manifest.Scenario;
import io.hvprobe.manifest.ScenarioResult;
import io.hvprobe.manifest.ScenarioRunner;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each real client has a mutant with one asm constraint dropped (docs/clients.md). Wherever the dropped constraint
 * changes the generated code, the mutant is flagged with the rule its manifest entry names.
 */
class RealClientMutantsTest {
    private static ScenarioRunner runner;

    @BeforeAll
    static void start() {
        runner = new ScenarioRunner(VerifyOptions.defaults());
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    static List<Scenario> scenarios() {
        return RealClients.mutantScenarios();
    }

    @Test
    void everyMutantChangesTheCodeInSomeCellAndNamesItsRule() {
        Set<String> shows = new TreeSet<>();
        RealClients.mutantScenarios().forEach(s -> shows.add(s.entry().unit()));
        assertThat(shows).containsExactlyInAnyOrderElementsOf(RealClients.MUTANT_UNITS);
        for (Scenario s : RealClients.allMutantBugScenarios()) {
            FunctionEntry e = s.entry();
            assertThat(e.base().findings()).as("%s names its expected findings", e.name()).isPresent();
            assertThat(e.base().findings().orElseThrow()).as(e.name()).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void isFlaggedWithTheRuleItsEntryNames(Scenario s) throws Exception {
        ScenarioResult r = runner.run(s);
        assertThat(r.missing()).as("%s: expected findings not reported (found %s)", s.id(),
                r.findings().stream().map(f -> f.finding().ruleId() + "@" + f.finding().evidence().get("register"))
                        .toList()).isEmpty();
    }
}
