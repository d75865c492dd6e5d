package io.hvprobe.unicorn;

import static io.hvprobe.unicorn.GuestCode.CODE;
import static io.hvprobe.unicorn.GuestCode.DATA;
import static io.hvprobe.unicorn.GuestCode.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hvprobe.arch.Arch;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Engine lifecycle, memory management, errors and hook failures. */
class UnicornEngineTest {
    private static final byte[] X86_NOP_NOP = {(byte) 0x90, (byte) 0x90};

    @Test
    void reportsTheInstalledLibraryVersion() {
        assertThat(Unicorn.libraryVersion()).startsWith("2.");
    }

    @Test
    void missingLibraryGivesOneLineInstallHint() {
        assertThatThrownBy(() -> UnicornLibrary.find(List.of("libunicorn-does-not-exist.so.9")))
                .isInstanceOf(UnicornUnavailableException.class)
                .hasMessage("libunicorn.so.2 not found: apt-get install libunicorn2");
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseIsRejected() {
        Unicorn uc = Unicorn.open(Arch.X86_64);
        uc.close();
        uc.close();

        assertThat(uc.isClosed()).isTrue();
        assertThatThrownBy(() -> uc.regRead(UcX86Reg.RAX)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void memoryMapsReadWriteAndListsRegions() {
        try (Unicorn uc = Unicorn.open(Arch.X86_64); Arena arena = Arena.ofConfined()) {
            uc.memMap(CODE, 2 * PAGE, UcProt.READ | UcProt.EXEC);
            uc.memMap(DATA, PAGE, UcProt.ALL);
            uc.memProtect(CODE + PAGE, PAGE, UcProt.READ);

            uc.memWrite(DATA + 0x10, new byte[] {1, 2, 3});
            assertThat(uc.memRead(DATA + 0x0F, 5)).containsExactly(0, 1, 2, 3, 0);

            MemorySegment native8 = arena.allocate(8);
            native8.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0x1122_3344_5566_7788L);
            uc.memWrite(DATA + 0x100, native8);
            MemorySegment back = arena.allocate(8);
            uc.memRead(DATA + 0x100, back);
            assertThat(back.get(ValueLayout.JAVA_LONG_UNALIGNED, 0)).isEqualTo(0x1122_3344_5566_7788L);

            assertThat(uc.memRegions()).containsExactly(
                    new MemoryRegion(CODE, CODE + PAGE - 1, UcProt.READ | UcProt.EXEC),
                    new MemoryRegion(CODE + PAGE, CODE + 2 * PAGE - 1, UcProt.READ),
                    new MemoryRegion(DATA, DATA + PAGE - 1, UcProt.ALL));

            uc.memUnmap(DATA, PAGE);
            assertThat(uc.memRegions()).extracting(MemoryRegion::begin).containsExactly(CODE, CODE + PAGE);
            assertThatThrownBy(() -> uc.memRead(DATA, 1)).isInstanceOfSatisfying(UnicornException.class,
                    e -> assertThat(e.error()).isEqualTo(UcError.READ_UNMAPPED));
        }
    }

    @Test
    void overlappingMapIsATypedError() {
        try (Unicorn uc = Unicorn.open(Arch.ARM64)) {
            uc.memMap(CODE, PAGE, UcProt.ALL);
            assertThatThrownBy(() -> uc.memMap(CODE, PAGE, UcProt.ALL))
                    .isInstanceOfSatisfying(UnicornException.class, e -> assertThat(e.error()).isEqualTo(UcError.MAP))
                    .hasMessageStartingWith("uc_mem_map: ");
        }
    }

    @Test
    void unalignedMapIsRejectedBeforeReachingUnicorn() {
        try (Unicorn uc = Unicorn.open(Arch.X86_64)) {
            assertThatThrownBy(() -> uc.memMap(0x1001, PAGE, UcProt.ALL)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void exceptionInAHookSurfacesAfterEmuStartAndTheEngineStaysUsable() {
        try (Unicorn uc = GuestCode.load(Arch.X86_64, X86_NOP_NOP)) {
            Hook failing = uc.hookCode(CODE + 1, CODE + 1, (u, address, size) -> {
                throw new IllegalStateException("model bug at " + Long.toHexString(address));
            });

            assertThatThrownBy(() -> uc.emuStart(CODE, CODE + 2, 0, 0))
                    .isInstanceOf(HookFailedException.class)
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseMessage("model bug at 10001");
            assertThat(uc.pc()).as("stopped at the hooked instruction").isEqualTo(CODE + 1);

            uc.hookDelete(failing);
            assertThat(uc.emuStart(CODE, CODE + 2, 0, 0)).isEqualTo(StopReason.REACHED_END);
        }
    }

    @Test
    void anErrorInAHookAlsoSurfacesAfterEmuStart() {
        try (Unicorn uc = GuestCode.load(Arch.ARM64, GuestCode.arm64(0xd503201f, 0xd503201f))) {
            uc.hookCode(CODE, CODE, (u, address, size) -> recurse(0));

            assertThatThrownBy(() -> uc.emuStart(CODE, CODE + 8, 0, 0))
                    .isInstanceOf(HookFailedException.class).hasMessageStartingWith("code hook threw")
                    .hasCauseInstanceOf(StackOverflowError.class);
            assertThat(uc.emuStart(CODE + 4, CODE + 8, 0, 0)).isEqualTo(StopReason.REACHED_END);
        }
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @Test
    void closingOrRestartingFromInsideAHookIsReportedNotCrashing() {
        try (Unicorn uc = GuestCode.load(Arch.X86_64, X86_NOP_NOP)) {
            uc.hookCode(CODE, CODE, (u, address, size) -> u.close());

            assertThatThrownBy(() -> uc.emuStart(CODE, CODE + 2, 0, 0))
                    .isInstanceOf(HookFailedException.class).hasRootCauseMessage("close() called from inside a hook");
            assertThat(uc.isClosed()).isFalse();
        }
    }

    @Test
    void hooksOfOneEngineCannotBeDeletedOnAnother() {
        try (Unicorn a = Unicorn.open(Arch.X86_64); Unicorn b = Unicorn.open(Arch.X86_64)) {
            Hook hook = a.hookCode(1, 0, (u, address, size) -> { });
            assertThatThrownBy(() -> b.hookDelete(hook)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void batchedRegisterAccessAllocatesNothingOnTheJavaHeap() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (Unicorn uc = Unicorn.open(Arch.X86_64)) {
            int[] ids = GuestRegisterIds.snapshotOrder(Arch.X86_64);
            long[] values = new long[ids.length];
            for (int i = 0; i < 50_000; i++) { // let the JIT compile the path
                uc.regReadBatch(ids, values);
                uc.regWriteBatch(ids, values);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                uc.regReadBatch(ids, values);
                uc.regWriteBatch(ids, values);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(allocated).as("bytes allocated by 20,000 batch calls").isLessThan(20_000);
        }
    }

    /**
     * An engine that is not closed keeps about 3 MiB resident (the emulated CPU, its translation cache and guest
     * RAM), so 1,000 leaked engines would add gigabytes; 32 MiB leaves room for the JVM's own growth. The binding's
     * own native memory (a few KiB of buffers and the upcall stubs per engine) is below that noise, so the test also
     * checks that every engine released its arena.
     */
    @Test
    void thousandOpenCloseCyclesDoNotGrowNativeMemory() throws IOException {
        runCycles(100); // warm-up: JIT, heap sizing, allocator arenas
        long before = residentKib();

        List<Unicorn> closed = runCycles(1_000);

        long growthKib = residentKib() - before;
        assertThat(growthKib).as("RSS growth in KiB over 1,000 cycles").isLessThan(32 * 1024);
        assertThat(closed).noneMatch(Unicorn::ownsNativeMemory);
    }

    /** Each cycle initialises a CPU, maps and runs code and registers a hook (creating an upcall stub). */
    private static List<Unicorn> runCycles(int n) {
        List<Unicorn> engines = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try (Unicorn uc = GuestCode.load(i % 2 == 0 ? Arch.X86_64 : Arch.ARM64,
                    i % 2 == 0 ? X86_NOP_NOP : GuestCode.arm64(0xd503201f))) { // arm64: nop
                uc.hookCode(CODE, CODE, (u, address, size) -> { });
                uc.emuStart(CODE, CODE + (i % 2 == 0 ? 2 : 4), 0, 0);
                uc.readSnapshot();
                assertThat(uc.ownsNativeMemory()).isTrue();
                engines.add(uc);
            }
        }
        return engines;
    }

    private static long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
