package io.hvprobe.verify;

import io.hvprobe.arch.Arch;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Advice is true for the architecture: x86 compilers always assume asm clobbers the flags, arm64 ones do not. */
class AdviceTest {

    @Test
    void x86FlagsAdviceExplainsThatTheAssemblyItselfCarriesTheFlags() {
        assertThat(Advice.flags(Arch.X86_64)).doesNotContain("add \"cc\"").contains("the assembly itself");
    }

    @Test
    void arm64FlagsAdviceAsksForCcOnlyWhereTheAsmLacksIt() {
        assertThat(Advice.flags(Arch.ARM64)).startsWith("if the asm does not list \"cc\" among its clobbers, add it;")
                .contains("if it does, the compiler did not carry NZCV across it");
    }
}
