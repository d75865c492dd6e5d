package io.hvprobe.dwarf;

import io.hvprobe.arch.Arch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test oracle: binutils' {@code addr2line -a -f -i} ({@code aarch64-linux-gnu-addr2line} for arm64), and the
 * same answer from hvprobe's reader in the same shape, so the two compare as lists of frames.
 */
public final class Addr2Line {
    /** One line of {@code addr2line -f -i}: a function and its position ({@code ??}, {@code ??:0} when unknown). */
    public record Frame(String function, String file, int line) {
        @Override
        public String toString() {
            return function + " " + file + ":" + line;
        }
    }

    private Addr2Line() {
    }

    /** The tool for {@code arch}. */
    public static String tool(Arch arch) {
        return switch (arch) {
            case X86_64 -> "addr2line";
            case ARM64 -> "aarch64-linux-gnu-addr2line";
        };
    }

    /**
     * Frames per offset, innermost first, for offsets relative to {@code section} ({@code -j}; relocatable
     * objects) or absolute addresses ({@code section} null).
     */
    public static List<List<Frame>> lookup(Arch arch, Path object, String section, List<Long> offsets)
            throws IOException {
        List<List<Frame>> out = new ArrayList<>();
        for (int from = 0; from < offsets.size(); from += 2000) {
            List<String> cmd = new ArrayList<>(List.of(tool(arch), "-a", "-f", "-i", "-e", object.toString()));
            if (section != null) {
                cmd.addAll(List.of("-j", section));
            }
            for (long o : offsets.subList(from, Math.min(offsets.size(), from + 2000))) {
                cmd.add("0x" + Long.toHexString(o));
            }
            out.addAll(parseOutput(run(cmd)));
        }
        if (out.size() != offsets.size()) {
            throw new IOException(tool(arch) + " answered " + out.size() + " of " + offsets.size() + " addresses");
        }
        return out;
    }

    /** Parses {@code -a -f -i} output: one frame list per address. */
    public static List<List<Frame>> parseOutput(String text) {
        List<List<Frame>> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; ) {
            if (!lines[i].startsWith("0x")) {
                throw new IllegalStateException("unexpected addr2line line: " + lines[i]);
            }
            i++;
            List<Frame> frames = new ArrayList<>();
            while (i + 1 < lines.length + 1 && i < lines.length && !lines[i].startsWith("0x")) {
                String function = lines[i];
                String position = lines[i + 1].replaceAll(" \\(discriminator \\d+\\)$", "");
                int colon = position.lastIndexOf(':');
                String lineText = position.substring(colon + 1);
                frames.add(new Frame(function, position.substring(0, colon),
                        lineText.equals("?") ? 0 : Integer.parseInt(lineText)));
                i += 2;
            }
            out.add(frames);
        }
        return out;
    }

    /** hvprobe's answer in addr2line's shape ({@code ?? ??:0} when there is no line). */
    public static List<Frame> frames(java.util.Optional<SourceLine> source) {
        if (source.isEmpty()) {
            return List.of(new Frame("??", "??", 0));
        }
        SourceLine s = source.get();
        List<Frame> frames = new ArrayList<>();
        frames.add(new Frame(s.function().isEmpty() ? "??" : s.function(), s.file(), s.line()));
        for (InlinedCall c : s.inlinedFrom()) {
            frames.add(new Frame(c.function().isEmpty() ? "??" : c.function(), c.file(), c.line()));
        }
        return frames;
    }

    /**
     * Runs {@code cmd} and returns its output; fails on a non-zero exit or after two minutes. Core's tests have
     * the same runner in {@code Toolchain}; this module cannot reach it, because core publishes no test jar.
     */
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
}
