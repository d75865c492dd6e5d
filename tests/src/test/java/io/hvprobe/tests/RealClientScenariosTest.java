package io.hvprobe.tests;

import io.hvprobe.manifest.Mismatch;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-client reproductions (docs/clients.md), per client x compiler x arch x cell x profile: each completes
 * with its expected result (return value, buffers, hypercalls) and with no error or warning the manifest does not
 * name.
 */
class RealClientScenariosTest {
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
        return RealClients.clientScenarios();
    }

    @Test
    void everyClientAndMutantObjectIsBuilt() {
        // 4 clients x their cells x 2 compilers (Linux: 4 kernel cells; open-vm-tools, iPXE, arm64: O0/O2/Os), 5 mutants.
        assertThat(Samples.objects().stream().filter(RealClients::isClientOrMutant)).hasSize(90);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void completesWithItsExpectedResultAndNoFalseFinding(Scenario s) throws Exception {
        ScenarioResult r = runner.run(s);
        assertThat(r.mismatches()).as(s.id()).extracting(Mismatch::toString).isEmpty();
    }
}
