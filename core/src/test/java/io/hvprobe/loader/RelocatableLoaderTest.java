package io.hvprobe.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hvprobe.arch.Arch;
import io.hvprobe.elf.ElfConstants;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfSection;
import io.hvprobe.elf.ElfSymbol;
import io.hvprobe.elf.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Laying out compiled objects: segments, sections, symbols, stubs, thunks, overrides and errors. */
class RelocatableLoaderTest {
    @TempDir
    Path dir;

    private Path module(Toolchain tc, String... extra) throws Exception {
        List<String> flags = new java.util.ArrayList<>(List.of("-c", "-O2", "-ffreestanding"));
        if (tc.arch() == Arch.X86_64) {
            flags.addAll(List.of("-mcmodel=kernel", "-mno-red-zone", "-fno-pic"));
        }
        flags.addAll(List.of(extra));
        return tc.compile(dir, "module.c", tc.name() + ".o", flags.toArray(String[]::new));
    }

    private Path assemble(Toolchain tc, String name, String source) throws Exception {
        Files.writeString(dir.resolve(name), source);
        return tc.compile(dir, name, name + ".o", "-c");
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void everyAllocatableSectionIsPlacedInASegmentWithItsPermissions(Toolchain tc) throws Exception {
        Path obj = module(tc);
        GuestImage image = ImageLoader.load(obj);
        ElfFile elf = ElfFile.parse("m.o", Files.readAllBytes(obj));

        assertThat(image.kind()).isEqualTo(ImageKind.RELOCATABLE);
        assertThat(image.arch()).isEqualTo(tc.arch());
        assertThat(image.segments().getFirst().address()).isEqualTo(LoadOptions.DEFAULT_BASE);
        long previousEnd = 0;
        for (Segment s : image.segments()) {
            assertThat(s.address() % 4096).isZero();
            assertThat(s.size() % 4096).isZero();
            assertThat(s.address()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(s.end()).isLessThanOrEqualTo(1L << 31);
            previousEnd = s.end();
        }
        List<ElfSection> allocated = elf.sections().stream().filter(ElfSection::isAllocated).toList();
        assertThat(allocated).extracting(ElfSection::name).contains(".text", ".data", ".bss", ".init.text",
                ".data..percpu");
        for (ElfSection s : allocated) {
            LoadedSection placed = image.section(s.name()).orElseThrow();
            assertThat(placed.size()).isEqualTo(s.size());
            assertThat(placed.address() % Math.max(1, s.alignment())).isZero();
            Segment segment = image.segmentAt(placed.address()).orElseThrow();
            assertThat(segment.sectionNames()).contains(s.name());
            assertThat(segment.permissions()).isEqualTo(s.isExecutable() ? Permissions.READ_EXECUTE
                    : s.isWritable() ? Permissions.READ_WRITE : Permissions.READ_ONLY);
            if (s.isNoBits()) {
                assertThat(image.read(placed.address(), (int) s.size())).containsOnly(0);
            } else if (elf.relocationSections().stream().noneMatch(r -> r.targetSection() == s.index())) {
                assertThat(image.read(placed.address(), (int) s.size())).isEqualTo(elf.contents(s));
            }
        }
        assertThat(image.sections()).extracting(LoadedSection::name).doesNotContain(".symtab", ".strtab",
                ".comment");
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void functionsAndSymbolsMatchTheSymbolTable(Toolchain tc) throws Exception {
        Path obj = module(tc);
        GuestImage image = ImageLoader.load(obj);
        var oracle = net.fornwall.jelf.ElfFile.from(Files.readAllBytes(obj));
        Map<String, Long> expected = new HashMap<>();
        for (var s : oracle.getSymbolTableSection().symbols) {
            if (s.getType() == ElfConstants.STT_FUNC && s.st_size > 0) {
                String section = oracle.getSection(Short.toUnsignedInt(s.st_shndx)).header.getName();
                expected.put(s.getName(), image.section(section).orElseThrow().address() + s.st_value);
            }
        }
        assertThat(expected).containsKeys("probe", "init_module", "use_table", "big_switch");
        Map<String, Long> actual = new HashMap<>();
        image.functions().forEach(f -> actual.put(f.name(), f.address()));
        assertThat(actual).isEqualTo(expected);
        GuestSymbol probe = image.symbol("probe").orElseThrow();
        assertThat(probe.binding()).isEqualTo(SymbolBinding.GLOBAL);
        assertThat(image.symbol("counter")).hasValueSatisfying(c -> {
            assertThat(c.binding()).isEqualTo(SymbolBinding.LOCAL);
            assertThat(c.section()).isEqualTo(".bss");
        });
        assertThat(image.symbol("my_ops").orElseThrow().type()).isEqualTo(SymbolType.OBJECT);
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void undefinedSymbolsBecomeFunctionStubsOrDataCellsByUse(Toolchain tc) throws Exception {
        GuestImage image = ImageLoader.load(module(tc));
        Stub printk = image.stub("printk").orElseThrow();
        Stub kmalloc = image.stub("kmalloc").orElseThrow();
        Stub jiffies = image.stub("jiffies").orElseThrow();
        assertThat(printk.kind()).isEqualTo(StubKind.FUNCTION);
        assertThat(kmalloc.kind()).isEqualTo(StubKind.FUNCTION);
        assertThat(jiffies.kind()).isEqualTo(StubKind.DATA);
        assertThat(jiffies.size()).isEqualTo(LoadOptions.DEFAULT_DATA_CELL_SIZE);
        byte[] ret = tc.arch() == Arch.X86_64 ? new byte[] {(byte) 0xc3}
                : new byte[] {(byte) 0xc0, 0x03, 0x5f, (byte) 0xd6};
        assertThat(image.read(printk.address(), ret.length)).isEqualTo(ret);
        assertThat(image.segmentAt(printk.address()).orElseThrow().permissions()).isEqualTo(Permissions.READ_EXECUTE);
        assertThat(image.segmentAt(jiffies.address()).orElseThrow().permissions()).isEqualTo(Permissions.READ_WRITE);
        assertThat(image.read(jiffies.address(), 4096)).containsOnly(0);
        assertThat(image.symbolize(printk.address())).isEqualTo("printk");
        assertThat(image.symbolize(jiffies.address() + 8)).isEqualTo("jiffies+0x8");
    }

    @Test
    void x86CallToAStubLandsOnTheStub() throws Exception {
        GuestImage image = ImageLoader.load(module(Toolchain.GCC_X86_64));
        long probe = image.symbol("probe").orElseThrow().address();
        long printk = image.stub("printk").orElseThrow().address();
        byte[] code = image.read(probe, (int) image.symbol("probe").orElseThrow().size());
        boolean found = false;
        for (int i = 0; i + 5 <= code.length; i++) {
            if ((code[i] & 0xff) == 0xe8 || (code[i] & 0xff) == 0xe9) {
                int rel = java.nio.ByteBuffer.wrap(code, i + 1, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
                found |= probe + i + 5 + rel == printk;
            }
        }
        assertThat(found).as("a call/jmp rel32 in probe() targets the printk stub").isTrue();
    }

    @Test
    void x86ThunksGetRealCode() throws Exception {
        String[] regs = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12",
                "r13", "r14", "r15"};
        StringBuilder src = new StringBuilder(".text\n.globl f\nf:\n");
        for (String r : regs) {
            src.append("\tcall __x86_indirect_thunk_").append(r).append('\n');
            src.append("\tjmp __x86_indirect_jump_thunk_").append(r).append('\n');
        }
        src.append("\tcall __fentry__\n\tcall __stack_chk_fail\n\tjmp __x86_return_thunk\n");
        GuestImage image = ImageLoader.load(assemble(Toolchain.GCC_X86_64, "thunks.s", src.toString()));
        for (int reg = 0; reg < 16; reg++) {
            byte modrm = (byte) (0xe0 | (reg & 7));
            byte[] jmp = reg < 8 ? new byte[] {(byte) 0xff, modrm} : new byte[] {0x41, (byte) 0xff, modrm};
            for (String prefix : List.of("__x86_indirect_thunk_", "__x86_indirect_jump_thunk_")) {
                Stub thunk = image.stub(prefix + regs[reg]).orElseThrow();
                assertThat(thunk.kind()).isEqualTo(StubKind.THUNK);
                assertThat(image.read(thunk.address(), jmp.length)).as(thunk.name()).isEqualTo(jmp);
            }
        }
        assertThat(image.read(image.stub("__x86_indirect_thunk_rax").orElseThrow().address(), 2))
                .containsExactly(0xff, 0xe0);
        assertThat(image.stub("__fentry__").orElseThrow().kind()).isEqualTo(StubKind.THUNK);
        assertThat(image.stub("__x86_return_thunk").orElseThrow().kind()).isEqualTo(StubKind.THUNK);
        assertThat(image.read(image.stub("__x86_return_thunk").orElseThrow().address(), 1)).containsExactly(0xc3);
        assertThat(image.stub("__stack_chk_fail").orElseThrow().kind()).isEqualTo(StubKind.FUNCTION);
    }

    @Test
    void overridesReplaceTheDefaultStubs() throws Exception {
        LoadOptions options = LoadOptions.defaults()
                .withStubReturnValue(-1)
                .withOverride("printk", new SymbolOverride.FunctionStub(42))
                .withOverride("jiffies", new SymbolOverride.DataCell(16, new byte[] {1, 2, 3}))
                .withOverride("kmalloc", new SymbolOverride.Absolute(0x2000_0000L));
        GuestImage image = ImageLoader.load(module(Toolchain.GCC_X86_64), options);
        assertThat(image.stub("printk").orElseThrow().returnValue()).isEqualTo(42);
        Stub jiffies = image.stub("jiffies").orElseThrow();
        assertThat(jiffies.size()).isEqualTo(16);
        assertThat(image.read(jiffies.address(), 4)).containsExactly(1, 2, 3, 0);
        assertThat(image.stub("kmalloc")).isEmpty();
        assertThat(image.address("kmalloc")).hasValue(0x2000_0000L);

        GuestImage defaults = ImageLoader.load(module(Toolchain.GCC_X86_64), LoadOptions.defaults()
                .withStubReturnValue(-1));
        assertThat(defaults.stub("printk").orElseThrow().returnValue()).isEqualTo(-1);
    }

    @Test
    void symbolizeNamesFunctionOffsetsAndFallsBackToHex() throws Exception {
        GuestImage image = ImageLoader.load(module(Toolchain.GCC_X86_64));
        GuestSymbol probe = image.symbol("probe").orElseThrow();
        assertThat(image.symbolize(probe.address())).isEqualTo("probe");
        assertThat(image.symbolize(probe.address() + 0x3)).isEqualTo("probe+0x3");
        assertThat(image.symbolize(0x1234)).isEqualTo("0x1234");
    }

    @Test
    void baseAddressIsConfigurable() throws Exception {
        GuestImage image = ImageLoader.load(module(Toolchain.GCC_ARM64), LoadOptions.defaults()
                .withBaseAddress(0x4000_0000L));
        assertThat(image.segments().getFirst().address()).isEqualTo(0x4000_0000L);
    }

    @Test
    void imageIsImmutable() throws Exception {
        GuestImage image = ImageLoader.load(module(Toolchain.GCC_X86_64));
        Segment text = image.segments().getFirst();
        byte[] copy = text.bytes();
        copy[0] ^= 0x55;
        assertThat(text.bytes()[0]).isNotEqualTo(copy[0]);
        assertThatThrownBy(() -> image.segments().add(text)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void debugInfoRelocationsAreIgnored() throws Exception {
        GuestImage image = ImageLoader.load(module(Toolchain.GCC_X86_64, "-g"));
        assertThat(image.sections()).extracting(LoadedSection::name).noneMatch(n -> n.startsWith(".debug"));
        assertThat(image.symbol("probe")).isPresent();
    }

    @Test
    void hugeBssIsRejectedByTheCap() throws Exception {
        Path obj = assemble(Toolchain.GCC_X86_64, "big.s", ".bss\n.globl big\nbig:\n.skip 0x20000000\n");
        assertThatThrownBy(() -> ImageLoader.load(obj))
                .isInstanceOf(LoadException.class)
                .hasMessageStartingWith("big.s.o: ")
                .hasMessageContaining("(.bss)").hasMessageContaining("exceeds the image cap of 0x10000000");
        Path small = assemble(Toolchain.GCC_X86_64, "mid.s", ".bss\n.globl mid\nmid:\n.skip 0x300000\n");
        assertThat(ImageLoader.load(small).mappedSize()).isEqualTo(0x300000);
        assertThatThrownBy(() -> ImageLoader.load(small, LoadOptions.defaults().withMaxImageSize(1 << 20)))
                .isInstanceOf(LoadException.class).hasMessageContaining("cap");
    }

    @Test
    void unsupportedRelocationNamesTypeSectionOffsetAndSymbol() throws Exception {
        Path obj = assemble(Toolchain.GCC_X86_64, "gotoff.s",
                ".text\nf:\n\tnop\n\t.reloc ., R_X86_64_GOTOFF64, foo\n\t.quad 0\n");
        assertThatThrownBy(() -> ImageLoader.load(obj)).isInstanceOf(LoadException.class)
                .hasMessage("gotoff.s.o: R_X86_64_GOTOFF64 at .text+0x1 against 'foo': unsupported relocation type");
    }

    @Test
    void overflowingRelocationNamesTypeSectionOffsetAndSymbol() throws Exception {
        Path obj = assemble(Toolchain.GCC_X86_64, "far.s", ".text\nf:\n\tnop\n\tcall far_away\n");
        LoadOptions options = LoadOptions.defaults().withOverride("far_away",
                new SymbolOverride.Absolute(0x7fff_0000_0000L));
        assertThatThrownBy(() -> ImageLoader.load(obj, options)).isInstanceOf(LoadException.class)
                .hasMessageStartingWith("far.s.o: R_X86_64_PLT32 at .text+0x2 against 'far_away': value 0x")
                .hasMessageEndingWith("does not fit in signed 32 bits");
        // Above 4 GiB, R_X86_64_32 cannot reach the data any more: why the default base is below 2 GiB.
        Path abs = assemble(Toolchain.GCC_X86_64, "abs.s", ".text\n\tmovl $d, %eax\n.data\nd: .long 1\n");
        assertThatThrownBy(() -> ImageLoader.load(abs, LoadOptions.defaults().withBaseAddress(0x1_0000_0000L)))
                .isInstanceOf(LoadException.class).hasMessageContaining("R_X86_64_32 at .text+0x1")
                .hasMessageContaining("unsigned 32 bits");
    }

    @Test
    void arm64BranchOutOfRangeIsAnError() throws Exception {
        Path obj = assemble(Toolchain.GCC_ARM64, "b.s", ".text\nf:\n\tbl far_fn\n");
        LoadOptions options = LoadOptions.defaults().withOverride("far_fn",
                new SymbolOverride.Absolute(0x4000_0000_0000L));
        assertThatThrownBy(() -> ImageLoader.load(obj, options)).isInstanceOf(LoadException.class)
                .hasMessageContaining("R_AARCH64_CALL26 at .text+0x0 against 'far_fn'")
                .hasMessageContaining("signed 28 bits");
    }

    @Test
    void commonSymbolsAreAllocated() throws Exception {
        Path obj = assemble(Toolchain.GCC_X86_64, "common.s",
                ".text\nf:\n\tmovl shared(%rip), %eax\n\tret\n.comm shared, 64, 32\n");
        GuestImage image = ImageLoader.load(obj);
        GuestSymbol shared = image.symbol("shared").orElseThrow();
        assertThat(shared.address() % 32).isZero();
        assertThat(shared.size()).isEqualTo(64);
        assertThat(image.segmentAt(shared.address()).orElseThrow().permissions()).isEqualTo(Permissions.READ_WRITE);
    }

    @Test
    void sectionSymbolsOfStringLiteralsResolve() throws Exception {
        Path obj = module(Toolchain.GCC_X86_64);
        GuestImage image = ImageLoader.load(obj);
        ElfFile elf = ElfFile.parse("m.o", Files.readAllBytes(obj));
        // my_ops.name points into .rodata.str1.1 via a section symbol + addend
        GuestSymbol ops = image.symbol("my_ops").orElseThrow();
        long name = java.nio.ByteBuffer.wrap(image.read(ops.address() + 8, 8))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(new String(image.read(name, 3))).isEqualTo("vmw");
        assertThat(elf.staticSymbols().orElseThrow().symbols()).extracting(ElfSymbol::type)
                .contains(ElfConstants.STT_SECTION);
    }
}
