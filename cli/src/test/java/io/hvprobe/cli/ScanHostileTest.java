package io.hvprobe.cli;

import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfSection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scan} and {@code check} of corrupt linked files end with one line and exit 3, never exit 4. */
class ScanHostileTest {

    /** Moves {@code .text} of a gcc-linked static executable to an address no PT_LOAD segment covers. */
    @Test
    void codeOutsideEveryLoadedSegmentIsAnInputErrorForScanAndCheck(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("f.c");
        Files.writeString(src, "unsigned long f(unsigned long x) { return x * 3; }\n");
        Path exe = dir.resolve("f");
        Gcc.build(src, exe, "-O2", "-nostdlib", "-static", "-no-pie", "-fno-pie", "-Wl,-e,f");
        byte[] bytes = Files.readAllBytes(exe);
        ElfFile elf = ElfFile.parse("f", bytes);
        ElfSection text = elf.section(".text").orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long header = b.getLong(40) + 64L * text.index();
        b.putLong((int) header + 16, text.address() + 0x4000_0000L);
        Path moved = Files.write(dir.resolve("moved"), bytes);

        for (String command : new String[] {"scan", "check"}) {
            CommandLine cl = Main.commandLine();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(err));

            assertThat(cl.execute(command, moved.toString())).as(command).isEqualTo(Main.EXIT_INPUT);
            assertThat(err.toString()).isEqualTo("hvprobe: " + moved + ": section " + text.index()
                    + " (.text) at 0x" + Long.toHexString(text.address() + 0x4000_0000L) + " size 0x"
                    + Long.toHexString(text.size()) + " holds code but lies outside every loaded segment\n");
        }
    }
}
