package io.hvprobe.elf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hvprobe.arch.Arch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Compilers and binutils used at test time; a missing tool skips the test with an assumption message. */
public enum Toolchain {
    GCC_X86_64(Arch.X86_64, List.of("gcc")),
    CLANG_X86_64(Arch.X86_64, List.of("clang")),
    GCC_ARM64(Arch.ARM64, List.of("aarch64-linux-gnu-gcc")),
    CLANG_ARM64(Arch.ARM64, List.of("clang", "--target=aarch64-linux-gnu"));

    private final Arch arch;
    private final List<String> command;

    Toolchain(Arch arch, List<String> command) {
        this.arch = arch;
        this.command = command;
    }

    public Arch arch() {
        return arch;
    }

    /** Fails the calling test, clearly, when this compiler is not installed (scripts/test installs it). */
    public void requireAvailable() {
        assertTrue(onPath(command.getFirst()), command.getFirst() + " not installed: scripts/test installs it");
    }

    /**
     * Compiles {@code source} (a classpath resource under {@code io/hvprobe/loader/}) into {@code dir} and returns
     * the output path; {@code flags} go before the source file.
     */
    public Path compile(Path dir, String resource, String output, String... flags) throws IOException {
        requireAvailable();
        Path src = dir.resolve(resource);
        if (!Files.exists(src)) {
            try (var in = Toolchain.class.getResourceAsStream("/io/hvprobe/loader/" + resource)) {
                if (in == null) {
                    throw new IOException("missing test resource " + resource);
                }
                Files.copy(in, src);
            }
        }
        Path out = dir.resolve(output);
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of(src.toString(), "-o", out.toString()));
        run(cmd);
        return out;
    }

    /** Runs a command and returns its standard output; fails on a non-zero exit. */
    public static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }

    /** Whether {@code tool} is an executable on the PATH. */
    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Assembles x86_64 {@code source} (GNU as) into {@code dir/name.o} and returns the object's path; fails the
     * calling test, clearly, when GNU as is not installed.
     */
    public static Path assembleX86(Path dir, String name, String source) throws IOException {
        assertTrue(onPath("as"), "GNU as not installed: apt-get install binutils");
        Path src = dir.resolve(name + ".s");
        Files.writeString(src, source);
        Path object = dir.resolve(name + ".o");
        run(List.of("as", "--64", src.toString(), "-o", object.toString()));
        return object;
    }

    /**
     * Assembles arm64 {@code source} (GNU as syntax, clang's integrated assembler) into {@code dir/name.o} and returns
     * the object's path; fails the calling test, clearly, when clang is not installed.
     */
    public static Path assembleArm64(Path dir, String name, String source) throws IOException {
        CLANG_ARM64.requireAvailable();
        Path src = dir.resolve(name + ".s");
        Files.writeString(src, source);
        Path object = dir.resolve(name + ".o");
        run(List.of("clang", "--target=aarch64-linux-gnu", "-c", src.toString(), "-o", object.toString()));
        return object;
    }

    /** A global function {@code name} with {@code body}, sized for the symbol table, in GNU as syntax. */
    public static String asmFunction(String name, String body) {
        return ".globl " + name + "\n.type " + name + ", @function\n" + name + ":\n " + body + "\n.size " + name
                + ", . - " + name + "\n";
    }

    /** readelf for this toolchain's architecture (the host one reads both). */
    public static String readelf(String... args) throws IOException {
        assertTrue(onPath("readelf"), "readelf not installed: apt-get install binutils");
        List<String> cmd = new ArrayList<>(List.of("readelf", "-W"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }
}
