package io.hvprobe.guest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line's argument forms and their Java twins are one definition. */
class ArgumentSyntaxTest {

    private static void assertSameBuffer(Argument parsed, Argument.Buffer built) {
        assertThat(parsed).isInstanceOf(Argument.Buffer.class);
        Argument.Buffer b = (Argument.Buffer) parsed;
        assertThat(b.size()).isEqualTo(built.size());
        assertThat(b.initial()).containsExactly(built.initial());
        assertThat(b.alignment()).isEqualTo(built.alignment());
    }

    @Test
    void eachTextFormHasAJavaFactory() {
        assertThat(Argument.parse("0x564D5868")).isEqualTo(Argument.value(0x564D5868L));
        assertSameBuffer(Argument.parse("str:info-get"), Argument.string("info-get"));
        assertSameBuffer(Argument.parse("ptr:u64=256"), Argument.pointerTo(8, 256));
        assertSameBuffer(Argument.parse("hex:666f6f00"), Argument.bytes((byte) 'f', (byte) 'o', (byte) 'o', (byte) 0));
        assertSameBuffer(Argument.parse("buf:64,u32@8=5"), Argument.buffer(64).with(8, 4, 5));
    }

    @Test
    void aStringIsNulTerminatedUtf8() {
        Argument.Buffer s = Argument.string("grüß");
        assertThat(s.size()).isEqualTo("grüß".getBytes(StandardCharsets.UTF_8).length + 1);
        assertThat(new String(s.initial(), StandardCharsets.UTF_8)).isEqualTo("grüß");
    }

    @Test
    void aBadValueIsQuotedWithTheExpectedForm() {
        assertThatThrownBy(() -> Argument.parse("ptr:256")).hasMessage(
                "'ptr:256': a pointer to an integer is ptr:uN=VALUE (N = 8, 16, 32 or 64), e.g. ptr:u64=256");
        assertThatThrownBy(() -> Argument.parse("twelve")).hasMessageStartingWith("'twelve' is not a number");
        assertThatThrownBy(() -> Argument.parse("buf:99999999")).hasMessageContaining("buffer size must be 0..65536");
    }
}
