package io.hvprobe.trap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** GCC's and Clang's {@code __builtin_trap()} are compiler traps; VMware's {@code brk #0x86} and HVC are not. */
class CompilerTrapsTest {
    private static TrapSite arm64(int word) {
        return new TrapDecoder().decodeArm64Word(0x1000, word).orElseThrow();
    }

    @Test
    void builtinTrapBrksAreCompilerTraps() {
        assertThat(CompilerTraps.isCompilerTrap(arm64(0xD4207D00))).isTrue(); // gcc: brk #0x3e8
        assertThat(CompilerTraps.isCompilerTrap(arm64(0xD4200020))).isTrue(); // clang: brk #0x1
    }

    @Test
    void hypercallsAreNot() {
        assertThat(CompilerTraps.isCompilerTrap(arm64(0xD42010C0))).isFalse(); // brk #0x86 (VMware)
        assertThat(CompilerTraps.isCompilerTrap(arm64(0xD40010C2))).isFalse(); // hvc #0x86
        assertThat(CompilerTraps.isCompilerTrap(arm64(0xD4300000))).isFalse(); // brk #0x8000
    }
}
