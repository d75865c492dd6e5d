package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.spi.TrapForm;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Each trap form's category: the one list of which forms are device I/O, hypercalls, CPU queries. */
class TrapFormTest {

    @Test
    void cpuQueriesAreCpuidAndRdpmcOnly() {
        assertThat(Arrays.stream(TrapForm.values()).filter(f -> f.category() == TrapForm.Category.CPU_QUERY))
                .containsExactly(TrapForm.CPUID, TrapForm.RDPMC);
    }

    @Test
    void portIoIsTheFourX86IoForms() {
        assertThat(Arrays.stream(TrapForm.values()).filter(f -> f.category() == TrapForm.Category.PORT_IO))
                .containsExactly(TrapForm.IN, TrapForm.OUT, TrapForm.INS, TrapForm.OUTS);
    }

    @Test
    void armCategoriesHoldOnlyArmForms() {
        for (TrapForm f : TrapForm.values()) {
            boolean arm = f.category() == TrapForm.Category.EXCEPTION_CALL
                    || f.category() == TrapForm.Category.SYSTEM_REGISTER;
            assertThat(f.arch()).as(f.name()).isEqualTo(arm ? Arch.ARM64 : Arch.X86_64);
        }
    }
}
