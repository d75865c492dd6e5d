package io.hvprobe.disasm;

import com.sun.jna.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapstoneLibraryTest {

    /** The installed runtime library, wherever the distribution keeps it. */
    private static Path installedLibrary() {
        return Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
                        "/usr/local/lib")
                .map(dir -> Path.of(dir, CapstoneLibrary.SONAME))
                .filter(Files::exists)
                .findFirst().orElse(null);
    }

    @Test
    void missingLibraryGivesOneClearLine() {
        assertThatThrownBy(() -> CapstoneLibrary.open(List.of("/nonexistent/libcapstone.so.4", "hvprobe-no-such-lib")))
                .isInstanceOf(DisassemblerUnavailableException.class)
                .hasMessage("libcapstone.so.4 not found: apt-get install libcapstone4");
    }

    @Test
    void aVersionedFileWithoutUnversionedLinkLoadsByItsFullName(@TempDir Path dir) throws Exception {
        Path real = installedLibrary();
        assertTrue(real != null, "libcapstone.so.4 not installed: apt-get install libcapstone4");
        // Only the versioned name exists in dir, as with Debian's libcapstone4 without libcapstone-dev.
        Path alias = Files.createSymbolicLink(dir.resolve("libhvprobecsalias.so.4"), real);

        NativeLibrary lib = CapstoneLibrary.open(List.of("/nonexistent/libcapstone.so.4", alias.toString()));

        assertThat(lib.getFile().toPath()).isEqualTo(alias);
    }

    @Test
    void jnaMatchesAVersionedFileForAShortNameOnLinux(@TempDir Path dir) throws Exception {
        Path real = installedLibrary();
        assertTrue(real != null, "libcapstone.so.4 not installed: apt-get install libcapstone4");
        Files.createSymbolicLink(dir.resolve("libhvprobecsshort.so.4"), real);
        NativeLibrary.addSearchPath("hvprobecsshort", dir.toString());

        // No libhvprobecsshort.so anywhere: JNA falls back to matching libhvprobecsshort.so.* on Linux,
        // which is also how the plain name "capstone" finds a lone libcapstone.so.4.
        NativeLibrary lib = CapstoneLibrary.open(List.of("hvprobecsshort"));

        assertThat(lib.getFile().getName()).isEqualTo("libhvprobecsshort.so.4");
    }

    @Test
    void candidatesPreferTheVersionedSoname() {
        assertThat(CapstoneLibrary.candidates()).containsSubsequence("libcapstone.so.4", "capstone");
    }
}
