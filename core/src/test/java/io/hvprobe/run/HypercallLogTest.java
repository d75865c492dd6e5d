package io.hvprobe.run;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.Severity;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.spi.TrapOutcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

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

    /** A mix the compact columns must give back exactly: sites, arches, unhandled calls, gaps in the sequence. */
    private static List<HypercallRecord> variedRun() {
        SplittableRandom random = new SplittableRandom(18);
        List<HypercallRecord> run = new ArrayList<>();
        long[] x86 = new long[X86Register.values().length];
        long[] arm = new long[Arm64Register.values().length];
        for (int i = 0; i < 100; i++) {
            boolean arm64 = i >= 60 && i < 80;
            long[] regs = arm64 ? arm : x86;
            for (int k = 0; k < (i % 7 == 0 ? regs.length : 3); k++) {
                regs[random.nextInt(regs.length)] = random.nextLong();
            }
            RegisterSnapshot before = RegisterSnapshot.of(arm64 ? Arch.ARM64 : Arch.X86_64, regs);
            long sequence = i < 90 ? i : i * 3L;
            TrapEvent event = arm64
                    ? new TrapEvent(sequence, TrapForm.HVC, 0x4000 + (i % 2) * 4, new byte[] {2, 0, 0, (byte) 0xD4},
                    "hvc #0", "g+0x" + (i % 2) * 4, before, new TrapDetail.ExceptionCall(0))
                    : new TrapEvent(sequence, TrapForm.VMCALL, 0x1000 + (i % 3) * 3, new byte[] {0x0F, 0x01, (byte) 0xC1},
                    "vmcall", "f+0x" + (i % 3) * 3, before, new TrapDetail.Hypercall());
            if (i % 11 == 5) {
                run.add(new HypercallRecord(event, Optional.empty(), Optional.empty(), before, List.of()));
                continue;
            }
            var register = arm64 ? Arm64Register.X0 : X86Register.RAX;
            List<RegisterWrite> writes = List.of(RegisterWrite.w32(register, i % 4));
            TrapOutcome.Handled outcome = new TrapOutcome.Handled("CALL" + i % 4, writes, List.of(), List.of(),
                    Optional.empty(), "answer " + i % 4);
            RegisterSnapshot after = before.with(register, i % 4).with(arm64 ? Arm64Register.PC : X86Register.RIP,
                    event.pc() + event.length());
            run.add(new HypercallRecord(event, Optional.of(i % 2 == 0 ? "one" : "two"), Optional.of(outcome), after,
                    writes));
        }
        return run;
    }

    @Test
    void recordsReadBackAsTheyWereLogged() {
        HypercallLog log = new HypercallLog();
        List<HypercallRecord> run = variedRun();
        run.forEach(log::add);

        List<HypercallRecord> kept = log.records();
        assertThat(kept).hasSize(run.size());
        for (int i = 0; i < run.size(); i++) {
            HypercallRecord want = run.get(i);
            HypercallRecord got = kept.get(i);
            TrapEvent w = want.event();
            TrapEvent g = got.event();
            assertThat(List.of(g.sequence(), g.form(), g.pc(), g.disassembly(), g.location(), g.registers(), g.detail()))
                    .as("event %d", i)
                    .isEqualTo(List.of(w.sequence(), w.form(), w.pc(), w.disassembly(), w.location(), w.registers(),
                            w.detail()));
            assertThat(g.bytes()).isEqualTo(w.bytes());
            assertThat(List.of(got.plugin(), got.outcome(), got.after(), got.applied())).as("record %d", i)
                    .isEqualTo(List.of(want.plugin(), want.outcome(), want.after(), want.applied()));
        }
    }

    /** A record's fields, comparable with {@code equals} (an event's bytes are an array). */
    private static List<Object> fields(HypercallRecord r) {
        TrapEvent e = r.event();
        return List.of(e.sequence(), e.form(), e.pc(), java.util.HexFormat.of().formatHex(e.bytes()), e.disassembly(),
                e.location(), e.registers(), e.detail(), r.plugin(), r.outcome(), r.after(), r.applied());
    }

    @Test
    void recordsGivenByTheirPartsReadBackAsTheRecordsWould() {
        HypercallLog byRecord = new HypercallLog();
        HypercallLog byParts = new HypercallLog(95); // the bound counts the same way too
        List<HypercallRecord> run = variedRun();
        for (HypercallRecord r : run) {
            byRecord.add(r);
            if (r.outcome().isPresent()) { // the handled ones: their registers after are what the parts make
                byParts.add(r.event(), r.plugin(), r.outcome(), new ArrayList<>(r.applied()), true);
            } else {
                byParts.add(r);
            }
        }

        assertThat(byParts.records()).extracting(HypercallLogTest::fields)
                .isEqualTo(byRecord.records().subList(0, 95).stream().map(HypercallLogTest::fields).toList());
        assertThat(byParts.count()).isEqualTo(run.size());
        assertThat(byParts.truncated()).isTrue();
    }

    @Test
    void aLogLongerThanAColumnChunkReadsBackAsLogged() {
        List<HypercallRecord> varied = variedRun();
        HypercallLog log = new HypercallLog();
        int n = 2 * LongColumn.CHUNK + 300;
        for (int i = 0; i < n; i++) {
            log.add(varied.get(i % varied.size()));
        }
        List<HypercallRecord> kept = log.records();
        assertThat(kept).hasSize(n);
        for (int i : new int[] {0, LongColumn.CHUNK - 1, LongColumn.CHUNK, LongColumn.CHUNK + 1, n - 1}) {
            assertThat(fields(kept.get(i))).as("record %d", i).isEqualTo(fields(varied.get(i % varied.size())));
        }
    }

    @Test
    void aCallThatDoesNotReturnKeepsItsProgramCounterAtTheTrap() {
        HypercallRecord handled = variedRun().get(1);
        HypercallLog log = new HypercallLog();
        log.add(handled.event(), handled.plugin(), handled.outcome(), handled.applied(), false);
        log.add(handled.event(), handled.plugin(), handled.outcome(), handled.applied(), true);

        assertThat(log.records().get(0).after())
                .isEqualTo(handled.after().with(X86Register.RIP, handled.event().pc()));
        assertThat(log.records().get(1).after()).isEqualTo(handled.after());
    }

    @Test
    void aSiteRewrittenInPlaceIsAnotherSite() {
        HypercallRecord r = variedRun().get(1);
        TrapEvent e = r.event();
        TrapEvent rewritten = new TrapEvent(e.sequence() + 1, e.form(), e.pc(), new byte[] {0x0F, 0x01, (byte) 0xD9},
                e.disassembly(), e.location(), e.registers(), e.detail());
        HypercallLog log = new HypercallLog();
        log.add(r);
        log.add(new HypercallRecord(rewritten, r.plugin(), r.outcome(), r.after(), r.applied()));

        assertThat(log.records()).extracting(k -> java.util.HexFormat.of().formatHex(k.event().bytes()))
                .containsExactly("0f01c1", "0f01d9");
    }

    @Test
    void aListOfRecordsStaysAsItWasWhileTheLogGoesOn() {
        HypercallLog log = new HypercallLog();
        List<HypercallRecord> run = variedRun();
        run.subList(0, 40).forEach(log::add);
        List<HypercallRecord> first = log.records();

        run.subList(40, 100).forEach(log::add);
        log.clear();
        log.add(run.get(99));

        assertThat(first).hasSize(40);
        assertThat(first.get(39).after()).isEqualTo(run.get(39).after());
        assertThat(log.records()).singleElement().extracting(r -> r.event().registers())
                .isEqualTo(run.get(99).event().registers());
    }

    @Test
    void recordsWithFindingsAreFoundWithoutReadingTheOthers() {
        HypercallLog log = new HypercallLog();
        for (int i = 0; i < 40; i++) {
            HypercallRecord r = writing(i, 0);
            if (i == 3 || i == 33) {
                TrapOutcome.Handled h = r.outcome().orElseThrow();
                r = new HypercallRecord(r.event(), r.plugin(), Optional.of(new TrapOutcome.Handled(h.command(),
                        h.registerWrites(), h.memoryWrites(), List.of(Finding.of("x.bad", Severity.ERROR, "bad " + i)),
                        h.contract(), h.summary())), r.after(), r.applied());
            }
            log.add(r);
        }
        assertThat(log.records().withFindings()).extracting(r -> r.event().sequence()).containsExactly(3L, 33L);
    }

    @Test
    void aCursorReadsWhatTheRecordsHoldFromAnyRecordOnAcrossPrefixes() {
        List<HypercallRecord> run = variedRun();
        HypercallLog first = new HypercallLog();
        run.subList(0, 30).forEach(first::add);
        HypercallLog second = new HypercallLog();
        second.continueAfter(first.prefix().orElseThrow()); // a rerun continuing after the first 30 records
        run.subList(30, 70).forEach(second::add);
        HypercallLog third = new HypercallLog();
        third.continueAfter(second.prefix().orElseThrow());
        run.subList(70, 100).forEach(third::add);
        HypercallRecords records = third.records();

        for (int from = 0; from <= records.size(); from++) {
            HypercallRecords.Cursor c = records.cursor(from);
            List<List<Object>> read = new ArrayList<>();
            while (c.next()) {
                List<Object> fields = new ArrayList<>(List.of(c.command(), c.outcome()));
                HypercallRecord want = run.get(read.size() + from);
                for (var r : want.event().arch().registers()) {
                    fields.add(c.before(r));
                }
                read.add(fields);
            }
            List<List<Object>> want = run.subList(from, run.size()).stream().map(r -> {
                List<Object> fields = new ArrayList<>(List.of(r.command(), r.outcome()));
                for (var reg : r.event().arch().registers()) {
                    fields.add(r.event().registers().get(reg));
                }
                return fields;
            }).toList();
            assertThat(read).as("from %d", from).isEqualTo(want);
        }
    }
}
