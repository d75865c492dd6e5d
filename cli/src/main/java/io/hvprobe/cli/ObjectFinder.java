package io.hvprobe.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Expands the paths given to {@code check}: a file is checked as it is (it must be ELF); a directory is searched
 * recursively for ELF files ({@code *.o}, {@code *.ko}, executables: anything starting with the ELF magic),
 * silently skipping everything else. Each object
 * found in a directory gets the variant label of its parent directory relative to the named one, e.g.
 * {@code x86_64/gcc/O2} for {@code matrix/x86_64/gcc/O2/detect-port.o} under {@code matrix}.
 */
final class ObjectFinder {
    private ObjectFinder() {
    }

    static List<CheckTarget> find(List<String> paths) {
        Map<Path, CheckTarget> found = new LinkedHashMap<>();
        for (String name : paths) {
            Path p = Path.of(name);
            if (!Files.exists(p)) {
                throw new InputError("no such file: " + name);
            }
            if (Files.isDirectory(p)) {
                for (Path f : walk(p)) {
                    Path rel = p.relativize(f);
                    String variant = rel.getParent() == null ? "" : slashes(rel.getParent());
                    found.putIfAbsent(f.toAbsolutePath().normalize(),
                            new CheckTarget(f, slashes(p.resolve(rel)), variant));
                }
            } else {
                if (!GuestObjects.isElf(p)) {
                    throw new InputError(name + ": not an ELF file (no \\x7fELF magic)");
                }
                found.putIfAbsent(p.toAbsolutePath().normalize(), new CheckTarget(p, name, ""));
            }
        }
        return new ArrayList<>(found.values());
    }

    private static List<Path> walk(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(ObjectFinder::candidate)
                    .sorted(Comparator.comparing(ObjectFinder::slashes)).toList();
        } catch (IOException e) {
            throw new InputError("cannot read directory " + dir + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new InputError("cannot read directory " + dir + ": " + e.getCause().getMessage(), e);
        }
    }

    private static boolean candidate(Path f) {
        return GuestObjects.isElf(f);
    }

    private static String slashes(Path p) {
        return p.toString().replace('\\', '/');
    }
}
