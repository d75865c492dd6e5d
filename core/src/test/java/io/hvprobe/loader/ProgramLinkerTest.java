package io.hvprobe.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hvprobe.arch.Arch;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.RelocationTypes;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.kernel.KernelEnvironment;
import io.hvprobe.kernel.KernelTable;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A main shared object and the library it needs ({@code DT_NEEDED libhvdep.so.1}), built here with gcc and
 * aarch64-linux-gnu-gcc, loaded together: the main object's imports bind to the library's definitions, C-library
 * imports still get the table, the constructors come library first and the destructors run at exit main first.
 * Each object is compiled once for the class.
 */
class ProgramLinkerTest {
    @TempDir
    static Path dir;

    private static Path build(Arch arch, String source, String output, String... extra) throws Exception {
        Path src = dir.resolve(source);
        if (!Files.exists(src)) {
            try (InputStream in = ProgramLinkerTest.class.getResourceAsStream(source)) {
                Files.copy(in, src);
            }
        }
        Path out = dir.resolve(arch + "-" + output);
        if (Files.exists(out)) {
            return out;
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(arch == Arch.X86_64 ? "gcc" : "aarch64-linux-gnu-gcc",
                "-O1", "-shared", "-fPIC", "-nostdlib", "-fno-stack-protector", "-w", src.toString(), "-o",
                out.toString()));
        cmd.addAll(List.of(extra));
        Toolchain.run(cmd);
        return out;
    }

    private static LinkedProgram link(Arch arch) throws Exception {
        Path lib = build(arch, "linked-lib.c", "libhvdep.so", "-Wl,-soname,libhvdep.so.1");
        Path main = build(arch, "linked-main.c", "main.so", "-L" + dir, "-l:" + lib.getFileName(),
                "-Wl,-fini=main_fini");
        return ImageLoader.loadWith(main, List.of(lib), LoadOptions.defaults());
    }

    private static long call(GuestMachine m, String function) throws Exception {
        CallResult r = m.call(GuestCall.of(function));
        assertThat(r).as("%s", r).isInstanceOf(CallResult.Returned.class);
        return ((CallResult.Returned) r).value();
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void importsBindAcrossObjectsAndConstructorsRunLibraryFirst(Arch arch) throws Exception {
        LinkedProgram p = link(arch);
        GuestImage image = p.image();
        assertThat(image.stub("lib_value")).as("bound to the library, not a stub").isEmpty();
        assertThat(image.stub("lib_counter")).isEmpty();
        assertThat(image.stub("strdup")).as("the C library still answers").isPresent();
        assertThat(p.notes()).isEmpty();
        long libValue = image.symbols().all().stream().filter(s -> s.name().equals("lib_value")).findFirst()
                .orElseThrow().address();
        assertThat(libValue).isGreaterThanOrEqualTo(ProgramLinker.LIBRARY_BASE);
        try (GuestMachine m = GuestMachine.create(image, MachineOptions.defaults())) {
            KernelEnvironment.install(m, KernelTable.forImage(image.kind(), List.of()), 1 << 20);
            for (long c : p.constructors()) {
                assertThat(m.call(c, List.of())).isInstanceOf(CallResult.Returned.class);
            }
            assertThat(call(m, "t_order")).as("main's constructor saw the library's done").isEqualTo(42);
            assertThat(call(m, "t_linked")).isEqualTo(42 + 5);
            assertThat(call(m, "t_clibrary")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void exitRunsTheAtexitHandlersThenTheDestructorsMainFirstAndUnderscoreExitNone(Arch arch) throws Exception {
        LinkedProgram p = link(arch);
        GuestImage image = p.image();
        assertThat(p.destructors()).hasSize(4); // main: two DT_FINI_ARRAY slots and DT_FINI; the library: one
        long trail = image.symbols().all().stream().filter(s -> s.name().equals("lib_trail")).findFirst()
                .orElseThrow().address();
        try (GuestMachine m = GuestMachine.create(image, MachineOptions.defaults())) {
            KernelEnvironment.install(m, KernelTable.forImage(image.kind(), List.of()), 1 << 20)
                    .runAtExit(p.destructors());
            assertThat(call(m, "t_exit")).as("exit's status").isZero();
            assertThat(new String(m.read(trail, 5), java.nio.charset.StandardCharsets.US_ASCII))
                    .as("atexit handler, main's DT_FINI_ARRAY (last first), main's DT_FINI, the library's")
                    .isEqualTo("a21fl");
            assertThat(call(m, "t_underscore_exit")).as("_exit's status").isEqualTo(3);
            assertThat(m.read(trail, 1)).as("_exit runs neither handlers nor destructors").containsExactly(0);
        }
    }

    static Stream<Arguments> tlsDialects() {
        return Stream.of(
                // x86_64's default dialect in both: DTPMOD64 and DTPOFF64 through __tls_get_addr
                Arguments.of(Arch.X86_64, "-mtls-dialect=gnu", "-mtls-dialect=gnu", "R_X86_64_DTPMOD64"),
                // the main object with descriptors (gnu2), resolving the library's variables and its own
                Arguments.of(Arch.X86_64, "-mtls-dialect=gnu", "-mtls-dialect=gnu2", "R_X86_64_TLSDESC"),
                // arm64's default is descriptors; the library with the traditional dialect (TLS_DTPMOD64/DTPREL64)
                Arguments.of(Arch.ARM64, "-mtls-dialect=trad", "-mtls-dialect=desc", "R_AARCH64_TLSDESC"));
    }

    @ParameterizedTest
    @MethodSource("tlsDialects")
    void eachObjectsThreadLocalsAreItsOwnModuleInOneStaticBlockAndResolveAcrossObjects(Arch arch, String libDialect,
            String mainDialect, String mainRelocation) throws Exception {
        Path lib = build(arch, "tls-lib.c", "libhvtls" + libDialect + ".so", "-Wl,-soname,libhvtls.so.1", libDialect);
        Path main = build(arch, "tls-main.c", "tls-main" + mainDialect + ".so", "-L" + dir, "-l:" + lib.getFileName(),
                mainDialect);
        ElfFile mainElf = ElfFile.parse(main.toString(), Files.readAllBytes(main));
        assertThat(mainElf.relocationSections().stream().flatMap(rs -> rs.relocations().stream())
                .map(r -> RelocationTypes.name(arch, r.type())))
                .as("the main object's relocations").contains(mainRelocation);
        LinkedProgram p = ImageLoader.loadWith(main, List.of(lib), LoadOptions.defaults());
        GuestImage image = p.image();
        long tp = image.threadPointer().orElseThrow();
        try (GuestMachine m = GuestMachine.create(image, MachineOptions.defaults())) {
            KernelEnvironment.install(m, KernelTable.forImage(image.kind(), List.of()), 1 << 20);
            assertThat(call(m, "t_tls")).as("t_tls's failed check").isZero();
            long mainInit = call(m, "main_tls_address_for_test");
            long libInit = call(m, "lib_tls_address");
            if (arch == Arch.X86_64) { // variant II: module 1 (main) nearest below FS base, the library below it
                assertThat(mainInit).isLessThan(tp);
                assertThat(libInit).isLessThan(mainInit);
            } else { // variant I: the 16-byte TCB at TPIDR_EL0, module 1 after it, the library after that
                assertThat(mainInit).isGreaterThanOrEqualTo(tp + 16);
                assertThat(libInit).isGreaterThan(mainInit);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aNeededLibraryNotGivenIsANoteAndItsFunctionsStayStubs(Arch arch) throws Exception {
        link(arch);
        Path main = dir.resolve(arch + "-main.so");
        LinkedProgram p = ImageLoader.loadWith(main, List.of(), LoadOptions.defaults());
        assertThat(p.notes()).singleElement().asString().contains("needs libhvdep.so.1, which no --lib gives");
        assertThat(p.image().stub("lib_value")).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aLibraryOfTheOtherArchitectureIsRefused(Arch arch) throws Exception {
        Arch other = arch == Arch.X86_64 ? Arch.ARM64 : Arch.X86_64;
        Path lib = build(other, "linked-lib.c", "libhvdep.so", "-Wl,-soname,libhvdep.so.1");
        Path main = build(arch, "linked-main.c", "main-alone.so");
        assertThatThrownBy(() -> ImageLoader.loadWith(main, List.of(lib), LoadOptions.defaults()))
                .isInstanceOf(LoadException.class).hasMessageContaining("is " + other);
    }
}
