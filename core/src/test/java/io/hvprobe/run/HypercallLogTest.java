package io.hvprobe.run;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.spi.TrapOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The hypercall log stays bounded however many calls, and however much memory they write, a guest makes. */
class HypercallLogTest {
    private static final RegisterSnapshot REGISTERS =
            RegisterSnapshot.of(Arch.X86_64, new long[X86Register.values().length]);

    private static HypercallRecord writing(long sequence, int bytes) {
        TrapEvent event = new TrapEvent(sequence, TrapForm.VMCALL, 0x1000, new byte[] {0x0F, 0x01, (byte) 0xC1},
                "vmcall", "f", REGISTERS, new TrapDetail.Hypercall());
        List<MemoryWrite> memory = bytes == 0 ? List.of() : List.of(new MemoryWrite(0x2000, new byte[bytes]));
        TrapOutcome.Handled outcome = new TrapOutcome.Handled("HB_IN", List.of(), memory, List.of(),
                Optional.empty(), "");
        return new HypercallRecord(event, Optional.of("test"), Optional.of(outcome), REGISTERS, List.of());
    }

    @Test
    void recordsPastTheCapacityAreCountedNotKept() {
        HypercallLog log = new HypercallLog(3);
        for (int i = 0; i < 5; i++) {
            log.add(writing(i, 0));
        }
        assertThat(log.records()).extracting(r -> r.event().sequence()).containsExactly(0L, 1L, 2L);
        assertThat(log.count()).isEqualTo(5);
        assertThat(log.truncated()).isTrue();
    }

    @Test
    void recordsStopBeingKeptOnceTheirMemoryWritesReachTheBound() {
        HypercallLog log = new HypercallLog(1000, 200_000);
        for (int i = 0; i < 100; i++) {
            log.add(writing(i, 65_536));                      // a guest looping on 64 KiB HB receives
        }
        log.add(writing(100, 0));

        assertThat(log.records()).as("a prefix of the run, within the byte bound").hasSize(3);
        assertThat(log.count()).isEqualTo(101);
        assertThat(log.truncated()).isTrue();

        log.clear();
        log.add(writing(0, 65_536));
        assertThat(log.records()).as("clear() starts a fresh budget").hasSize(1);
    }

    @Test
    void theDefaultLogBoundsMemoryWriteBytesToo() {
        HypercallLog log = new HypercallLog();
        for (int i = 0; i < 1_100; i++) {               // 68.75 MiB in all
            log.add(writing(i, 65_536));
        }
        long kept = log.records().stream().mapToLong(r -> r.outcome().orElseThrow().memoryWrites().getFirst().length())
                .sum();
        assertThat(kept).isLessThanOrEqualTo(HypercallLog.DEFAULT_MAX_MEMORY_BYTES);
        assertThat(log.count()).isEqualTo(1_100);
        assertThat(log.truncated()).isTrue();
    }
}
