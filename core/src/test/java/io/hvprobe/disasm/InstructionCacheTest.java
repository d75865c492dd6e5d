package io.hvprobe.disasm;

import io.hvprobe.arch.Arch;
import org.junit.jupiter.api.Test;

import static io.hvprobe.disasm.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

class InstructionCacheTest {

    @Test
    void secondDecodeAtAnAddressIsAHit() {
        try (Disassembler d = Disassembler.open(Arch.X86_64)) {
            Instruction first = d.decode(0x1000, bytes("ed"));
            Instruction second = d.decode(0x1000, bytes("ed 90 90"));

            assertThat(second).isSameAs(first);
            assertThat(d.cacheStatistics()).isEqualTo(new CacheStatistics(1, 1, 0, 0, 1, Disassembler.DEFAULT_CACHE_CAPACITY));
        }
    }

    @Test
    void changedBytesAtACachedAddressAreDecodedAfresh() {
        try (Disassembler d = Disassembler.open(Arch.X86_64)) {
            d.decode(0x1000, bytes("ed"));
            Instruction rewritten = d.decode(0x1000, bytes("0f01c1"));

            assertThat(rewritten.text()).isEqualTo("vmcall");
            assertThat(d.cacheStatistics().misses()).isEqualTo(2);
            assertThat(d.cacheStatistics().hits()).isZero();
        }
    }

    @Test
    void invalidationDropsOverlappingInstructionsOnly() {
        try (Disassembler d = Disassembler.open(Arch.X86_64)) {
            d.decode(0x1000, bytes("4889d8"));   // 0x1000..0x1003
            d.decode(0x1003, bytes("ed"));       // 0x1003
            d.decode(0x1010, bytes("c3"));       // 0x1010

            d.invalidate(0x1002, 1);             // hits only the mov
            assertThat(d.cacheStatistics().size()).isEqualTo(2);
            assertThat(d.cacheStatistics().invalidated()).isEqualTo(1);

            d.decode(0x1003, bytes("ed"));
            d.decode(0x1000, bytes("4889d8"));
            assertThat(d.cacheStatistics().hits()).isEqualTo(1);
            assertThat(d.cacheStatistics().misses()).isEqualTo(4);

            d.invalidate(0, 0x1_0000_0000L);     // large range: scan path
            assertThat(d.cacheStatistics().size()).isZero();
            assertThat(d.cacheStatistics().invalidated()).isEqualTo(4);
        }
    }

    @Test
    void fullCacheStartsOver() {
        try (Disassembler d = Disassembler.open(Arch.X86_64, DecodeDetail.TEXT, 2)) {
            d.decode(0x10, bytes("90"));
            d.decode(0x11, bytes("90"));
            d.decode(0x12, bytes("90"));

            assertThat(d.cacheStatistics().evicted()).isEqualTo(2);
            assertThat(d.cacheStatistics().size()).isEqualTo(1);
        }
    }

    @Test
    void undecodableBytesAreNotCached() {
        try (Disassembler d = Disassembler.open(Arch.X86_64)) {
            assertThat(d.decode(0x20, bytes("b8 01")).data()).isTrue();  // truncated mov
            assertThat(d.decode(0x20, bytes("b8 01 00 00 00")).text()).isEqualTo("mov eax, 1");
            assertThat(d.cacheStatistics().size()).isEqualTo(1);
        }
    }

    @Test
    void zeroCapacityDisablesTheCache() {
        try (Disassembler d = Disassembler.open(Arch.ARM64, DecodeDetail.TEXT, 0)) {
            d.decode(0, Hex.words(0xD503201F));
            d.decode(0, Hex.words(0xD503201F));
            assertThat(d.cacheStatistics().hits()).isZero();
            assertThat(d.cacheStatistics().size()).isZero();
        }
    }
}
