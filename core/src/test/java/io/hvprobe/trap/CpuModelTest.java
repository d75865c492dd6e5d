package io.hvprobe.trap;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuModelTest {

    @Test
    void answersListedLeavesAndZeroesOthers() {
        CpuModel cpu = CpuModel.defaults();

        assertThat(cpu.answer(0)).containsExactly(1, 0x756e6547, 0x6c65746e, 0x49656e69);
        assertThat(cpu.answer(1)[2] & 0x8000_0000L).as("hypervisor present").isNotZero();
        assertThat(cpu.answer(0x4000_0000L)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void cannotBeChangedThroughTheArraysItWasBuiltFromOrHandsOut() {
        long[] leaf7 = {0, 1, 2, 3};
        CpuModel cpu = new CpuModel(new HashMap<>(Map.of(7L, leaf7)));
        leaf7[1] = 99;
        cpu.leaves().get(7L)[2] = 99;
        cpu.answer(7)[3] = 99;

        assertThat(cpu.answer(7)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void rejectsALeafWithoutFourValues() {
        assertThatThrownBy(() -> new CpuModel(Map.of(0x8000_0000L, new long[] {1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CPUID leaf 0x80000000 needs 4 values (EAX, EBX, ECX, EDX)");
    }
}
