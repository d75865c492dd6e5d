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
