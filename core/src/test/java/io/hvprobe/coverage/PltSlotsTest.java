package io.hvprobe.coverage;

import io.hvprobe.elf.Toolchain;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.loader.LoadedSection;
import io.hvprobe.loader.Stub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** A call to {@code foo@plt} is known to end in {@code foo}'s stub, on both arches' PLT shapes. */
class PltSlotsTest {
    private static final String SOURCE = """
            #include <stdio.h>
            #include <stdlib.h>
            void fail(int x) { if (x) abort(); puts("fine"); }
            """;

    /** The stub names the PLT entries of {@code so} lead to (every 16-byte slot of the PLT sections tried). */
    private static Set<String> pltTargets(Path so) throws Exception {
        GuestImage image = ImageLoader.load(so, LoadOptions.defaults());
        Set<String> names = new TreeSet<>();
        for (LoadedSection s : image.sections()) {
            if (s.name().startsWith(".plt")) {
                for (long at = s.address(); at < s.address() + s.size(); at += 16) {
                    PltSlots.stubCalled(image, at).map(Stub::name).ifPresent(names::add);
                }
            }
        }
        return names;
    }

    private static Path build(Path dir, String compiler) throws Exception {
        Path src = dir.resolve("fail.c");
        Files.writeString(src, SOURCE);
        Path so = dir.resolve(compiler + ".so");
        Toolchain.run(List.of(compiler, "-O2", "-shared", "-fPIC", src.toString(), "-o", so.toString()));
        return so;
    }

    @Test
    void x86PltEntriesLeadToTheirStubs(@TempDir Path dir) throws Exception {
        assertThat(pltTargets(build(dir, "gcc"))).contains("abort", "puts");
    }

    @Test
    void arm64PltEntriesLeadToTheirStubs(@TempDir Path dir) throws Exception {
        assertThat(pltTargets(build(dir, "aarch64-linux-gnu-gcc"))).contains("abort", "puts");
    }
}
