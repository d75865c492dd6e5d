package io.hvprobe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The trace writers' appenders: what a JSONL or text trace line is made of. */
class AsciiOutTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AsciiOut out = new AsciiOut(bytes);

    private String written() {
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void hexHasNoLeadingZerosAndTreatsValuesAsUnsigned() {
        out.hex(0).put(' ').hex(0xF).put(' ').hex(0x10).put(' ').hex(0x5eed_0000_0000_0100L).put(' ').hex(-1L);

        assertThat(written()).isEqualTo("0x0 0xf 0x10 0x5eed000000000100 0xffffffffffffffff");
    }

    @Test
    void keyedHexIsOneJsonMember() {
        byte[] first = "\"rax\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] next = ",\"rflags\":\"".getBytes(StandardCharsets.US_ASCII);

        out.put('{').keyedHex(first, 0x1c).keyedHex(next, 0x246).put('}');

        assertThat(written()).isEqualTo("{\"rax\":\"0x1c\",\"rflags\":\"0x246\"}");
    }

    @Test
    void decimalsOfEveryWidthAndSign() {
        out.dec(0).put(' ').dec(9).put(' ').dec(10).put(' ').dec(100_005).put(' ').dec(-42).put(' ')
                .dec(Long.MAX_VALUE).put(' ').dec(Long.MIN_VALUE);

        assertThat(written()).isEqualTo("0 9 10 100005 -42 9223372036854775807 -9223372036854775808");
    }

    @Test
    void linesLongerThanTheBufferArriveWhole() {
        StringBuilder expected = new StringBuilder();
        byte[] key = ",\"x28\":\"".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 200_000; i++) {
            out.keyedHex(key, i).dec(i);
            expected.append(",\"x28\":\"0x").append(Integer.toHexString(i)).append('"').append(i);
        }

        assertThat(written()).isEqualTo(expected.toString());
    }
}
