package io.hvprobe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.arch.Arch;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.Fault;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.KernelEvent;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.guest.MemoryLayout;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every entry of the built-in kernel-environment table, on both architectures: {@code kernel-env.c} (compiled
 * here with gcc and aarch64-linux-gnu-gcc) has a {@code t_SYMBOL} per entry that calls the symbol as a driver would
 * and returns 0 when the answer is the kernel's.
 */
class KernelEnvironmentTest {
    private static final long HEAP = 1 << 20;

    @TempDir
    static Path dir;

    private static final Map<Arch, GuestImage> IMAGES = new EnumMap<>(Arch.class);
    private static final Map<Arch, GuestMachine> MACHINES = new EnumMap<>(Arch.class);

    @BeforeAll
    static void build() throws Exception {
        Path src = dir.resolve("kernel-env.c");
        try (InputStream in = KernelEnvironmentTest.class.getResourceAsStream("kernel-env.c")) {
            Files.copy(in, src);
        }
        List<String> common = List.of("-std=gnu11", "-O2", "-c", "-fno-builtin", "-ffreestanding",
                "-fno-stack-protector", "-fno-pic");
        for (Arch arch : Arch.values()) {
            Path obj = dir.resolve("kernel-env-" + arch + ".o");
            List<String> cmd = new ArrayList<>(arch == Arch.X86_64
                    ? List.of("gcc", "-mcmodel=kernel", "-mno-red-zone") : List.of("aarch64-linux-gnu-gcc"));
            cmd.addAll(common);
            cmd.addAll(List.of(src.toString(), "-o", obj.toString()));
            Toolchain.run(cmd);
            IMAGES.put(arch, ImageLoader.load(obj, LoadOptions.defaults()));
            MACHINES.put(arch, machine(arch, KernelTable.builtIn()));
        }
    }

    @AfterAll
    static void close() {
        MACHINES.values().forEach(GuestMachine::close);
    }

    private static GuestMachine machine(Arch arch, KernelTable table) {
        GuestMachine m = GuestMachine.create(IMAGES.get(arch), MachineOptions.defaults());
        KernelEnvironment.install(m, table, HEAP);
        return m;
    }

    static Stream<Arguments> entries() {
        return Stream.of(Arch.values()).flatMap(arch -> KernelTable.builtIn().entries().keySet().stream()
                .map(symbol -> Arguments.of(arch, symbol)));
    }

    private static CallResult call(GuestMachine m, String function, Argument... args) throws Exception {
        return m.call(new GuestCall(function, List.of(args)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("entries")
    void everyEntryBehavesAsInAKernel(Arch arch, String symbol) throws Exception {
        GuestMachine m = MACHINES.get(arch);
        CallResult r = call(m, "t_" + symbol);
        assertThat(r).isInstanceOf(CallResult.Returned.class);
        assertThat(((CallResult.Returned) r).value()).as("t_%s's failed check", symbol).isZero();
        assertThat(r.stubCalls()).anyMatch(c -> c.name().equals(symbol));
        StubEntry entry = KernelTable.builtIn().entry(symbol).orElseThrow();
        if (entry.behaviour() == Behaviour.LOG || entry.behaviour() == Behaviour.WARN_LOG) {
            assertThat(m.events()).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(entry.behaviour() == Behaviour.LOG ? KernelEvent.Kind.LOG
                        : KernelEvent.Kind.WARN);
                assertThat(e.text()).endsWith("hvprobe log 1").doesNotContain("\n");
                assertThat(e.location()).matches("(t_|via_)" + symbol.replaceFirst("^_*", "_*") + ".*|via_\\w+\\+0x.*");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void printkLevelsComeFromTheMessageTheEntryOrTheLevelArgument(Arch arch) throws Exception {
        GuestMachine m = MACHINES.get(arch);
        call(m, "t_printk");
        assertThat(m.events().getFirst().text()).isEqualTo("err: hvprobe log 1");
        call(m, "t__dev_warn");
        assertThat(m.events().getFirst().text()).isEqualTo("warn: hvprobe log 1");
        call(m, "t__dev_printk");
        assertThat(m.events().getFirst().text()).isEqualTo("warn: hvprobe log 1");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void variadicCallsReadTheirArgumentsFromTheStackAfterTheRegisters(Arch arch) throws Exception {
        assertThat(((CallResult.Returned) call(MACHINES.get(arch), "t_snprintf_many")).value()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void zeroByteAllocationsGetZeroSizePtrAndFreeingItIsANoOp(Arch arch) throws Exception {
        GuestMachine m = MACHINES.get(arch);
        assertThat(((CallResult.Returned) call(m, "t_kmalloc_zero")).value()).isZero();
        assertThat(((CallResult.Returned) call(m, "t_kfree_null")).value()).isZero();
        assertThat(m.events()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aRefusedAllocationAndAFreeOfForeignMemoryAreHeapEvents(Arch arch) throws Exception {
        GuestMachine m = MACHINES.get(arch);
        call(m, "t_kmalloc");
        assertThat(m.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(KernelEvent.Kind.HEAP);
            assertThat(e.text()).isEqualTo("kmalloc(4294967296) refused: the 1048576-byte kernel heap has no room;"
                    + " returned NULL");
        });
        call(m, "t_kfree");
        assertThat(m.events()).singleElement().satisfies(e -> assertThat(e.text()).contains("krealloc of 0x"));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void everyCallGetsTheSameHeapAddresses(Arch arch) throws Exception {
        GuestMachine m = MACHINES.get(arch);
        CallResult first = call(m, "t_kstrdup");
        CallResult second = call(m, "t_kstrdup");
        assertThat(second.stubCalls()).isEqualTo(first.stubCalls());
        assertThat(first.stubCalls().getFirst().returned()).isEqualTo(MemoryLayout.KERNEL_HEAP_BASE);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void strlenOnUnterminatedMemoryStopsAtTheEndOfMappedMemory(Arch arch) throws Exception {
        GuestMachine m = MACHINES.get(arch);
        long tail = MemoryLayout.KERNEL_HEAP_BASE + HEAP - 8;
        call(m, "t_kstrdup"); // any call, so the heap is reset before the bytes are put in
        m.write(tail, "aaaaaaaa".getBytes());
        CallResult r = call(m, "t_strlen_unterminated", new Argument.Value(tail));
        assertThat(r).isInstanceOfSatisfying(CallResult.Faulted.class, f -> {
            assertThat(f.fault().kind()).isEqualTo(Fault.Kind.UNMAPPED_ACCESS);
            // A tail call: strlen returns straight to t_strlen_unterminated's caller.
            assertThat(f.fault().detail()).startsWith("strlen called from <return>: string at 0x"
                            + Long.toHexString(tail))
                    .contains("runs into unmapped memory at 0x" + Long.toHexString(tail + 8));
        });
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aUserTableReplacesABuiltInEntry(Arch arch) throws Exception {
        Path table = dir.resolve("mine-" + arch + ".yaml");
        Files.writeString(table, "strlen: {kind: return, value: 42}\nmy_probe_helper: {kind: return, value: 1}\n");
        try (GuestMachine m = machine(arch, KernelTable.withFiles(List.of(table)))) {
            CallResult r = call(m, "t_strlen");
            assertThat(r.stubCalls()).allMatch(c -> c.returned() == 42);
            assertThat(((CallResult.Returned) r).value()).isEqualTo(1);
        }
    }

    @Test
    void aBadTableEntryIsOneLineNamingFileAndSymbol() throws Exception {
        Path table = dir.resolve("bad.yaml");
        Files.writeString(table, "kmalloc: {kind: alloc}\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KernelTable.withFiles(List.of(table)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel table " + table + ": kmalloc: behaviour alloc needs the argument 'size'");
        Files.writeString(table, "kmalloc: {kind: allocate, size: 0}\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KernelTable.withFiles(List.of(table)))
                .hasMessage("kernel table " + table + ": kmalloc: unknown kind 'allocate'");
    }

    @Test
    void lockEntriesThatCanFailSaySoForRunsSteeredTowardsSuccess() {
        StubEntry trylock = KernelTable.builtIn().entry("mutex_trylock").orElseThrow();
        assertThat(trylock.successValue()).isEqualTo(1);
    }
}
