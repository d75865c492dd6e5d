package io.hvprobe.cli;

import io.hvprobe.guest.Argument;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuestArgumentsTest {

    @Test
    void integersInDecimalNegativeAndHexUpTo64Bits() {
        assertThat(GuestArguments.parse("42")).isEqualTo(new Argument.Value(42));
        assertThat(GuestArguments.parse("-1")).isEqualTo(new Argument.Value(-1));
        assertThat(GuestArguments.parse("0x564D5868")).isEqualTo(new Argument.Value(0x564D5868L));
        assertThat(GuestArguments.parse("0xffffffffffffffff")).isEqualTo(new Argument.Value(-1));
        assertThat(GuestArguments.parse("18446744073709551615")).isEqualTo(new Argument.Value(-1));
    }

    @Test
    void buffersAndStrings() {
        Argument.Buffer b = (Argument.Buffer) GuestArguments.parse("buf:64");
        assertThat(b.size()).isEqualTo(64);
        assertThat(b.initial()).isEmpty();
        Argument.Buffer s = (Argument.Buffer) GuestArguments.parse("str:info-get x");
        assertThat(s.size()).isEqualTo(11);
        assertThat(new String(s.initial(), StandardCharsets.UTF_8)).isEqualTo("info-get x");
    }

    @Test
    void aPointerToAnInitialisedIntegerSuchAsASizeTLength() {
        Argument.Buffer length = (Argument.Buffer) GuestArguments.parse("ptr:u64=256");
        assertThat(length).usingRecursiveComparison().isEqualTo(Argument.Buffer.integer(8, 256));
        assertThat(length.size()).isEqualTo(8);
        assertThat(length.initial()).startsWith((byte) 0x00, (byte) 0x01);
        assertThat(((Argument.Buffer) GuestArguments.parse("ptr:u16=0x1234")).initial()).containsExactly((byte) 0x34, (byte) 0x12);
    }

    @Test
    void bytesFromHexAndAZeroedStructWithSomeWordsSet() {
        assertThat(((Argument.Buffer) GuestArguments.parse("hex:666f6f00")).initial())
                .isEqualTo("foo\0".getBytes(StandardCharsets.US_ASCII));
        Argument.Buffer s = (Argument.Buffer) GuestArguments.parse("buf:32,u32@8=5,u64@0x10=-1");
        assertThat(s.size()).isEqualTo(32);
        assertThat(s).usingRecursiveComparison().isEqualTo(Argument.Buffer.zeroed(32).with(8, 4, 5).with(16, 8, -1));
        assertThat(s.initial()).hasSize(24).containsSequence(new byte[] {5, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1});
    }

    @Test
    void badPointersStructsAndHexSayWhy() {
        assertThatThrownBy(() -> GuestArguments.parse("ptr:256")).hasMessageContaining("ptr:uN=VALUE");
        assertThatThrownBy(() -> GuestArguments.parse("ptr:u24=1")).hasMessageContaining("u8, u16, u32 or u64");
        assertThatThrownBy(() -> GuestArguments.parse("buf:8,u64@4=1")).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> GuestArguments.parse("buf:8,u64=1")).hasMessageContaining("uN@OFFSET=VALUE");
        assertThatThrownBy(() -> GuestArguments.parse("hex:abc")).hasMessageContaining("pairs of hex digits");
    }

    @Test
    void badValuesSayWhich() {
        assertThatThrownBy(() -> GuestArguments.parse("0x1ffffffffffffffff")).hasMessageContaining("64 bits");
        assertThatThrownBy(() -> GuestArguments.parse("twelve")).hasMessageContaining("'twelve' is not a number");
        assertThatThrownBy(() -> GuestArguments.parse("buf:99999999")).hasMessageContaining("buffer size");
        assertThatThrownBy(() -> GuestArguments.parse("-9223372036854775809")).hasMessageContaining("64 bits");
    }

    @Test
    void atMostEightValues() {
        assertThat(GuestArguments.parse(java.util.Collections.nCopies(8, "1"))).hasSize(8);
        assertThatThrownBy(() -> GuestArguments.parse(java.util.Collections.nCopies(9, "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("at most 8 --arg values (got 9)");
    }
}
