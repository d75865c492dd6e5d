package io.hvprobe.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiles small guest functions at test time with the samples' backdoor headers ({@code firmware-samples/include}):
 * x86_64 with gcc and the port backend, arm64 with aarch64-linux-gnu-gcc and the MRS backend, both freestanding
 * and {@code -O2} like the matrix. A missing compiler fails the test (the build machine has both).
 */
enum GuestBuild {
    X86_64_PORT("x86_64", List.of("gcc"), "-DHVP_BACKEND_PORT"),
    ARM64_MRS("arm64", List.of("aarch64-linux-gnu-gcc"), "-DHVP_BACKEND_MRS");

    private final String arch;
    private final List<String> compiler;
    private final String backend;

    GuestBuild(String arch, List<String> compiler, String backend) {
        this.arch = arch;
        this.compiler = compiler;
        this.backend = backend;
    }

    /** Compiles {@code source} (C) into a relocatable object in {@code dir}. */
    Path compile(Path dir, String name, String source) throws IOException, InterruptedException {
        Path include = Path.of(System.getProperty("hvprobe.samples.dir", "../firmware-samples")).resolve("include");
        Path c = dir.resolve(name + "-" + arch + ".c");
        Path o = dir.resolve(name + "-" + arch + ".o");
        Files.writeString(c, source);
        List<String> cmd = new ArrayList<>(compiler);
        cmd.addAll(List.of("-c", "-std=gnu11", "-O2", "-ffreestanding", "-fno-builtin", "-fno-pic", "-fno-pie",
                "-fno-asynchronous-unwind-tables", "-fno-stack-protector", "-g0", "-Wall",
                "-I" + include, backend, c.toString(), "-o", o.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(cmd + " failed: " + out);
        }
        return o;
    }
}
