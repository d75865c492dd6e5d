package io.hvprobe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.arch.Arch;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.KernelEvent;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.ImageKind;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Every entry of the built-in C-library table, on both architectures: {@code c-library.c} (a shared object built
 * here with gcc and aarch64-linux-gnu-gcc) has a {@code t_SYMBOL} per entry that calls the symbol as user-space code
 * would and returns 0 when the answer is the C library's; output entries leave one captured line.
 */
class CLibraryTest {
    @TempDir
    static Path dir;

    private static final Map<Arch, GuestMachine> MACHINES = new EnumMap<>(Arch.class);

    @BeforeAll
    static void build() throws Exception {
        Path src = dir.resolve("c-library.c");
        try (InputStream in = CLibraryTest.class.getResourceAsStream("c-library.c")) {
            Files.copy(in, src);
        }
        for (Arch arch : Arch.values()) {
            Path so = dir.resolve("c-library-" + arch + ".so");
            Toolchain.run(List.of(arch == Arch.X86_64 ? "gcc" : "aarch64-linux-gnu-gcc", "-std=gnu11", "-O2",
                    "-shared", "-fPIC", "-nostdlib", "-fno-builtin", "-fno-stack-protector", "-w", src.toString(),
                    "-o", so.toString()));
            GuestImage image = ImageLoader.load(so, LoadOptions.defaults());
            GuestMachine m = GuestMachine.create(image, MachineOptions.defaults());
            KernelEnvironment.install(m, KernelTable.forImage(image.kind(), List.of()), 1 << 20);
            MACHINES.put(arch, m);
        }
    }

    @AfterAll
    static void close() {
        MACHINES.values().forEach(GuestMachine::close);
    }

    static Stream<Arguments> entries() {
        return Stream.of(Arch.values()).flatMap(arch -> KernelTable.cLibrary().entries().keySet().stream()
                .map(symbol -> Arguments.of(arch, symbol)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("entries")
    void everyEntryBehavesAsTheCLibrary(Arch arch, String symbol) throws Exception {
        GuestMachine m = MACHINES.get(arch);
        CallResult r = m.call(GuestCall.of("t_" + symbol));
        assertThat(r).isInstanceOf(CallResult.Returned.class);
        StubEntry entry = KernelTable.cLibrary().entry(symbol).orElseThrow();
        // exit(0) ends the call with status 0; abort() with its entry's value (128 + SIGABRT).
        long expectedValue = entry.behaviour() == Behaviour.EXIT && entry.role("status").isEmpty() ? entry.value() : 0;
        assertThat(((CallResult.Returned) r).value()).as("t_%s's failed check", symbol).isEqualTo(expectedValue);
        assertThat(r.stubCalls()).anyMatch(c -> c.name().equals(symbol));
        KernelEvent.Kind expected = switch (entry.behaviour()) {
            case PRINT, PUTS, WRITE -> symbol.startsWith("f") || symbol.startsWith("__f") || symbol.startsWith("vf")
                    || symbol.startsWith("__vf") || symbol.equals("g_printerr")
                    ? KernelEvent.Kind.STDERR : KernelEvent.Kind.STDOUT;
            case LOG -> KernelEvent.Kind.LOG;
            default -> null;
        };
        if (expected == null) {
            assertThat(m.events()).as("events of %s", symbol).isEmpty();
        } else {
            assertThat(m.events()).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(expected);
                assertThat(e.text()).endsWith("hvprobe out 1");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Arch.class)
    void aFaultIsDeliveredToTheInstalledHandlerAsLinuxDoes(Arch arch) throws Exception {
        GuestMachine m = MACHINES.get(arch);
        CallResult out = m.call(GuestCall.of("sig_jump_out"));
        assertThat(out).isInstanceOfSatisfying(CallResult.Returned.class, r -> assertThat(r.value()).isZero());
        assertThat(m.events()).hasSize(2).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(KernelEvent.Kind.SIGNAL);
            assertThat(e.text()).startsWith("SIGILL delivered to the handler at ");
        });
        CallResult back = m.call(GuestCall.of("sig_return"));
        assertThat(back).isInstanceOfSatisfying(CallResult.Returned.class, r -> assertThat(r.value()).isZero());
        // Each call is a new process: the handlers installed before are gone.
        CallResult unhandled = m.call(GuestCall.of("sig_unhandled"));
        assertThat(unhandled).isInstanceOfSatisfying(CallResult.Faulted.class,
                f -> assertThat(f.fault().kind()).isEqualTo(arch == Arch.X86_64
                        ? io.hvprobe.guest.Fault.Kind.INVALID_INSTRUCTION // ud2
                        : io.hvprobe.guest.Fault.Kind.UNEXPECTED_INTERRUPT)); // UNDEF
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Arch.class)
    void mainsReturnIsExitAndRunsTheHandlersMainRegistered(Arch arch) throws Exception {
        CallResult r = MACHINES.get(arch).call(GuestCall.of("start_main_runs_exit_handlers"));
        assertThat(r).isInstanceOfSatisfying(CallResult.Returned.class, x -> assertThat(x.value()).isZero());
        assertThat(r.stubCalls()).extracting(io.hvprobe.guest.StubCall::name).containsSubsequence("atexit", "_exit");
    }

    @Test
    void getenvAnswersTheGivenEnvironmentAndNothingElse() throws Exception {
        Path so = dir.resolve("c-library-" + Arch.X86_64 + ".so");
        GuestImage image = ImageLoader.load(so, LoadOptions.defaults());
        try (GuestMachine m = GuestMachine.create(image, MachineOptions.defaults())) {
            KernelEnvironment.install(m, KernelTable.forImage(image.kind(), List.of()), 1 << 20,
                    List.of("HOME=/root", "HOME=/other"));
            CallResult r = m.call(GuestCall.of("t_getenv"));
            long value = r.stubCalls().getFirst().returned();
            assertThat(new String(m.read(value, 6), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("/root\0");
        }
    }

    @Test
    void anEnvironmentEntryWithoutAnEqualsSignIsRefused() throws Exception {
        GuestMachine m = MACHINES.get(Arch.X86_64);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KernelEnvironment.install(m,
                KernelTable.cLibrary(), 1 << 20, List.of("HOME"))).hasMessageContaining("not KEY=VALUE");
    }

    @Test
    void errnoIsAThreadLocalOfTheImage() throws Exception {
        GuestMachine m = MACHINES.get(Arch.X86_64);
        CallResult r = m.call(GuestCall.of("t___errno_location"));
        long errno = r.stubCalls().getFirst().returned();
        assertThat(m.image().section(".hvprobe.tls").orElseThrow().contains(errno)).isTrue();
    }

    @Test
    void sharedObjectsAndExecutablesGetTheCLibraryAndModulesTheKernel() {
        assertThat(KernelTable.forImage(ImageKind.SHARED_OBJECT, List.of()).entry("malloc")).isPresent();
        assertThat(KernelTable.forImage(ImageKind.EXECUTABLE, List.of()).entry("kmalloc")).isEmpty();
        assertThat(KernelTable.forImage(ImageKind.RELOCATABLE, List.of()).entry("kmalloc")).isPresent();
        assertThat(KernelTable.forImage(ImageKind.RELOCATABLE, List.of()).entry("malloc")).isEmpty();
    }
}
