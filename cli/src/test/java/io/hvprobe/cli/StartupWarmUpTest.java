package io.hvprobe.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The native warm-up starts only for command lines that will emulate guest code. */
class StartupWarmUpTest {

    @Test
    void commandsThatRunGuestCodeWarmUp() {
        assertThat(StartupWarmUp.needed(new String[] {"check", "vmw.o"})).isTrue();
        assertThat(StartupWarmUp.needed(new String[] {"run", "vmw.o", "--function", "f"})).isTrue();
        assertThat(StartupWarmUp.needed(new String[] {"trace", "vmw.o", "--function", "f"})).isTrue();
        assertThat(StartupWarmUp.needed(new String[] {"compare", "vmw.o"})).isTrue();
    }

    @Test
    void helpVersionCompletionAndStaticCommandsDoNot() {
        assertThat(StartupWarmUp.needed(new String[0])).isFalse();
        assertThat(StartupWarmUp.needed(new String[] {"--version"})).isFalse();
        assertThat(StartupWarmUp.needed(new String[] {"check", "--help"})).isFalse();
        assertThat(StartupWarmUp.needed(new String[] {"run", "-h"})).isFalse();
        assertThat(StartupWarmUp.needed(new String[] {"help", "check"})).isFalse();
        assertThat(StartupWarmUp.needed(new String[] {"generate-completion"})).isFalse();
        assertThat(StartupWarmUp.needed(new String[] {"scan", "vmw.o"})).isFalse();
        assertThat(StartupWarmUp.needed(new String[] {"merge", "a.json", "b.json"})).isFalse();
    }
}
