package io.hvprobe.tests.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian 6.12's compiled VMware guest modules: {@code check} completes and reports no error, since an error must be
 * a defect in the guest code. vmw_balloon does not pass yet: {@link RealModulesFailingTodayIT}.
 */
class RealModulesIT {

    @ParameterizedTest
    @ValueSource(strings = {"psmouse", "ptp_vmw"})
    void checkCompletesWithoutAnError(String module) throws Exception {
        assertThat(RealModules.errorsOfCheck(RealModules.amd64(module))).isEmpty();
    }
}
