package io.hvprobe.guest;

import io.hvprobe.elf.Toolchain;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.hvprobe.elf.Toolchain.asmFunction;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restore made while the guest's writes are noted ({@link GuestMachine#noteGuestWrites}), after calls that all had
 * them noted since the last restore of the same snapshot, puts back exactly the pages written since — the guest's, the
 * machine's own (a call's set-up) and the host's — and looks at no other page; any call without its writes noted makes
 * the next restore compare all writable memory again.
 */
class TrackedRestoreTest {
    private static final String SOURCE = ".intel_syntax noprefix\n.text\n"
            + asmFunction("writer", "mov dword ptr [rip + cell], 0x1234\n mov dword ptr [rip + far], 0x77\n ret")
            + ".data\ncell: .long 0\n.balign 4096\nfar: .long 0\n.balign 4096\nhost: .long 0\n.balign 4096\n"
            + "behind: .long 0\n";

    @TempDir
    Path dir;

    private static long word(GuestMachine m, long address) {
        return java.nio.ByteBuffer.wrap(m.read(address, 4)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void aNotedRestorePutsBackEveryPageWrittenSinceAndLooksAtNoOther() throws Exception {
        var image = ImageLoader.load(Toolchain.assembleX86(dir, "w", SOURCE), LoadOptions.defaults());
        try (GuestMachine m = GuestMachine.create(image, MachineOptions.defaults());
             MachineSnapshot start = m.snapshot()) {
            long cell = image.address("cell").orElseThrow();
            long far = image.address("far").orElseThrow();
            long host = image.address("host").orElseThrow();
            long behind = image.address("behind").orElseThrow();
            long entry = image.address("writer").orElseThrow();
            m.instrumentation().hookMemoryWrite(1, 0, (address, size, value) -> m.noteGuestWrite(address, size));

            m.noteGuestWrites(true);
            m.restore(start); // the first restore of this snapshot compares everything
            m.call(entry, List.of());
            m.write(host, new byte[] {9});
            // Behind the machine's back (nothing but this test does that): no noted restore can know of it.
            m.engine().memWrite(behind, new byte[] {5});
            assertThat(word(m, cell)).isEqualTo(0x1234);
            m.restore(start);
            assertThat(word(m, cell)).isZero();
            assertThat(word(m, far)).isZero();
            assertThat(word(m, host)).isZero();
            assertThat(word(m, behind)).as("a page nobody noted is not compared").isEqualTo(5);

            // A call without its writes noted: the next restore compares all writable memory again.
            m.noteGuestWrites(false);
            m.call(entry, List.of());
            m.noteGuestWrites(true);
            m.restore(start);
            assertThat(word(m, cell)).isZero();
            assertThat(word(m, far)).isZero();
            assertThat(word(m, behind)).isZero();
        }
    }
}
