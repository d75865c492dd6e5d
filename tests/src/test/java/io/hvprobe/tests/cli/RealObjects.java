package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/**
 * Debian's compiled guest code, downloaded by {@code scripts/fetch-real-objects} into {@code target/real-objects}
 * (scripts/test runs it first). A missing cache fails the test with what to run: skipping would let it "pass".
 */
final class RealObjects {
    private RealObjects() {
    }

    /** {@code target/real-objects/ARCH/modules/NAME}, e.g. {@code ("amd64", "vmw_balloon.ko")}. */
    static Path module(String arch, String name) {
        Path dir = Path.of(System.getProperty("hvprobe.real.objects", "../target/real-objects"));
        Path p = dir.resolve(arch).resolve("modules").resolve(name).toAbsolutePath().normalize();
        assertThat(p).as(p + " (run scripts/fetch-real-objects first)").isRegularFile();
        return p;
    }

    /** {@code target/real-objects/ARCH/root/RELATIVE}, e.g. {@code ("arm64", "usr/bin/vmware-rpctool")}. */
    static Path root(String arch, String relative) {
        Path dir = Path.of(System.getProperty("hvprobe.real.objects", "../target/real-objects"));
        Path p = dir.resolve(arch).resolve("root").resolve(relative).toAbsolutePath().normalize();
        assertThat(p).as(p + " (run scripts/fetch-real-objects first)").isRegularFile();
        return p;
    }

    /** open-vm-tools' {@code libvmtools.so.0} of Debian's {@code arch} ({@code amd64} or {@code arm64}). */
    static Path libvmtools(String arch) {
        return root(arch, "usr/lib/" + (arch.equals("amd64") ? "x86_64" : "aarch64") + "-linux-gnu/libvmtools.so.0");
    }
}
