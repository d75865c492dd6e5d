package io.hvprobe.trap;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.DecodeDetail;
import io.hvprobe.disasm.Disassembler;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which ports of {@code in}/{@code out} a static sweep can know, as the compilers emit them. */
class StaticPortsTest {
    private static Map<Long, Integer> ports(String hex) {
        byte[] code = HexFormat.of().parseHex(hex.replace(" ", ""));
        try (Disassembler d = Disassembler.open(Arch.X86_64, DecodeDetail.TEXT)) {
            return StaticPorts.of(d, new TrapDecoder(), code, 0x1000);
        }
    }

    @Test
    void immediatePortsAndConstantsMovedIntoDxAreKnown() {
        // in al, 0x61 ; mov edx, 0x5658 ; mov eax, 0x564d5868 ; in eax, dx
        assertThat(ports("e4 61 ba 58 56 00 00 b8 68 58 4d 56 ed"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(0x1000L, 0x61, 0x100cL, 0x5658));
    }

    @Test
    void aChannelIdShiftedIntoTheHighHalfKeepsTheOredPort() {
        // shl edx, 0x10 ; or edx, 0x5659 ; movsxd rdx, edx ; rep outsb
        assertThat(ports("c1 e2 10 81 ca 59 56 00 00 48 63 d2 f3 6e")).containsEntry(0x100cL, 0x5659);
        // lea r10, [r15 + 0x5658] after shl r15, 0x10 ; mov rdx, r10 ; in eax, dx
        assertThat(ports("49 c1 e7 10 4d 8d 97 58 56 00 00 4c 89 d2 ed")).containsEntry(0x100eL, 0x5658);
    }

    @Test
    void aPortComputedFromUnknownValuesIsNotGuessed() {
        // lea edx, [rdi + 1] ; in eax, dx  (an indexed device register pair: base + 1)
        assertThat(ports("8d 57 01 ed")).isEmpty();
        // or edx, 0x5658 without a cleared low half: the low bits are unknown
        assertThat(ports("81 ca 58 56 00 00 ed")).isEmpty();
        // mov edx, 0x5658 ; call ... ; in eax, dx: the call may change rdx
        assertThat(ports("ba 58 56 00 00 e8 00 00 00 00 ed")).isEmpty();
    }
}
