package io.hvprobe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.DecodeDetail;
import io.hvprobe.disasm.Disassembler;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.trap.TrapDecoder;
import io.hvprobe.trap.TrapSiteScanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Linux {@code .altinstructions} tables in the entry layouts kernels have used (12 bytes with a 16-bit feature,
 * 13 with a pad length, 14 with a 32-bit feature-and-flags word), built by the assembler with the relocations a
 * kernel build leaves: VMware's {@code ALTERNATIVE_2} (port I/O, VMCALL, VMMCALL), a replacement that jumps back
 * into {@code .text}, and an inverted entry.
 */
class AlternativeTableTest {
    private static final int VMCALL = 8 * 32 + 18;
    private static final int VMMCALL = 8 * 32 + 19;
    private static final int JUMP = 3 * 32 + 1;
    private static final int INVERTED = 3 * 32 + 2;

    @TempDir
    Path dir;

    /** The entry directive for {@code layout}: displacements, feature word, lengths (and a pad length for 13). */
    private static String entryMacro(int layout) {
        String feature = layout == 14 ? ".long \\feat" : ".word \\feat";
        String pad = layout == 13 ? "\n .byte 0" : "";
        return ".macro altentry orig, repl, feat, olen, rlen\n .long \\orig - .\n .long \\repl - .\n " + feature
                + "\n .byte \\olen\n .byte \\rlen" + pad + "\n.endm\n";
    }

    private GuestImage[] build(int layout, ElfFile[] elf) throws Exception {
        Toolchain.GCC_X86_64.requireAvailable();
        String inverted = layout == 14 ? "(1 << 16) | " + INVERTED : String.valueOf(INVERTED);
        String source = entryMacro(layout) + """
                    .text
                    .globl hc
                    .type hc, @function
                hc:
                661: movw $0x5658, %dx
                    inl (%dx), %eax
                    ret
                    .size hc, .-hc
                    .globl jumper
                    .type jumper, @function
                jumper:
                663: nop; nop; nop; nop; nop
                    mov $1, %eax
                    ret
                target:
                    mov $2, %eax
                    ret
                    .size jumper, .-jumper
                    .pushsection .altinstr_replacement, "ax"
                671: vmcall
                672: vmmcall
                673: .byte 0xe9
                    .long target - . - 4
                674: ud2
                    .popsection
                    .pushsection .altinstructions, "a"
                    altentry 661b, 671b, VMCALL, 5, 3
                    altentry 661b, 672b, VMMCALL, 5, 3
                    altentry 663b, 673b, JUMP, 5, 5
                    altentry 663b, 674b, INVERTED, 5, 2
                    .popsection
                """.replace("VMMCALL", String.valueOf(VMMCALL)).replace("VMCALL", String.valueOf(VMCALL))
                .replace("JUMP", String.valueOf(JUMP)).replace("INVERTED", inverted);
        Path src = dir.resolve("alt" + layout + ".s");
        Files.writeString(src, source);
        Path obj = dir.resolve("alt" + layout + ".o");
        Toolchain.run(List.of("gcc", "-c", src.toString(), "-o", obj.toString()));
        elf[0] = ElfFile.parse(obj.toString(), Files.readAllBytes(obj));
        return new GuestImage[] {ImageLoader.load(obj)};
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 13, 14})
    void readsEveryLayoutFromTheRelocationStride(int layout) throws Exception {
        ElfFile[] elf = new ElfFile[1];
        GuestImage image = build(layout, elf)[0];
        AlternativeTable table = AlternativeTable.of(elf[0], image);
        assertThat(table.unreadable()).isEmpty();
        assertThat(table.entries()).extracting(Alternative::feature).containsExactly(VMCALL, VMMCALL, JUMP, INVERTED);
        assertThat(table.entries().get(0).site()).isEqualTo(image.address("hc").getAsLong());
        assertThat(table.entries()).extracting(Alternative::siteLength).containsOnly(5);
        assertThat(table.entries()).extracting(Alternative::replacementLength).containsExactly(3, 3, 5, 2);
        assertThat(table.entries().get(3).inverted()).isEqualTo(layout == 14);
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 14})
    void namesTheFeaturesThatPutInATrapAndPatchesEachAlone(int layout) throws Exception {
        ElfFile[] elf = new ElfFile[1];
        GuestImage image = build(layout, elf)[0];
        AlternativeTable table = AlternativeTable.of(elf[0], image);
        try (Disassembler d = Disassembler.open(Arch.X86_64, DecodeDetail.TEXT)) {
            TrapSiteScanner scanner = TrapSiteScanner.x86(d, new TrapDecoder());
            AlternativeTable.FormScanner forms = (code, at) -> scanner.scan(code, at).stream().map(t -> t.form()).toList();
            Map<Integer, Set<TrapForm>> features = table.trapFeatures(image, forms);
            assertThat(features).containsOnlyKeys(VMCALL, VMMCALL);
            assertThat(features.get(VMCALL)).containsExactly(TrapForm.VMCALL);
            assertThat(features.get(VMMCALL)).containsExactly(TrapForm.VMMCALL);
            assertThat(table.originalForms(image, forms, features.keySet())).containsExactly(TrapForm.IN);
        }
        long hc = image.address("hc").getAsLong();
        assertThat(HexFormat.of().formatHex(table.withFeature(image, VMCALL).read(hc, 5))).isEqualTo("0f01c19090");
        assertThat(HexFormat.of().formatHex(table.withFeature(image, VMMCALL).read(hc, 5))).isEqualTo("0f01d99090");
        assertThat(HexFormat.of().formatHex(image.read(hc, 5))).isEqualTo("66ba5856ed");
    }

    @Test
    void anInvertedEntryIsWhatACpuWithoutTheFeatureRunsSoNotPatchedForIt() throws Exception {
        ElfFile[] elf = new ElfFile[1];
        GuestImage image = build(14, elf)[0];
        long jumper = image.address("jumper").getAsLong();
        assertThat(AlternativeTable.of(elf[0], image).withFeature(image, INVERTED).read(jumper, 5))
                .isEqualTo(image.read(jumper, 5));
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 14})
    void aReplacementJumpIntoTextStillReachesItsTargetAfterTheMove(int layout) throws Exception {
        ElfFile[] elf = new ElfFile[1];
        GuestImage image = build(layout, elf)[0];
        GuestImage patched = AlternativeTable.of(elf[0], image).withFeature(image, JUMP);
        try (GuestMachine original = GuestMachine.create(image, MachineOptions.defaults());
             GuestMachine moved = GuestMachine.create(patched, MachineOptions.defaults())) {
            assertThat(((CallResult.Returned) original.call(GuestCall.of("jumper"))).value()).isEqualTo(1);
            assertThat(((CallResult.Returned) moved.call(GuestCall.of("jumper"))).value()).isEqualTo(2);
        }
    }

    @Test
    void aTableWithoutItsRelocationsIsUnreadableWithAReason() throws Exception {
        Toolchain.GCC_X86_64.requireAvailable();
        Path src = dir.resolve("bare.s");
        Files.writeString(src, """
                    .text
                    .globl f
                f:  ret
                    .pushsection .altinstructions, "a"
                    .long 0, 0, 0, 0
                    .popsection
                """);
        Path obj = dir.resolve("bare.o");
        Toolchain.run(List.of("gcc", "-c", src.toString(), "-o", obj.toString()));
        AlternativeTable table = AlternativeTable.of(ElfFile.parse(obj.toString(), Files.readAllBytes(obj)),
                ImageLoader.load(obj));
        assertThat(table.entries()).isEmpty();
        assertThat(table.unreadable()).hasValueSatisfying(r -> assertThat(r).contains("no relocations"));
    }
}
