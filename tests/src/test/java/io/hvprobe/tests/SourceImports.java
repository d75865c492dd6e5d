package io.hvprobe.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The package dependencies of Java sources as written: imports (static ones too) and fully qualified names.
 * Bytecode cannot show them all: a use of a compile-time constant ({@code Backdoor.MAGIC},
 * {@code UcProt.WRITE}) is inlined and leaves no trace in the class file, so ArchUnit alone misses it.
 *
 * <pre>{@code
 * SourceImports s = SourceImports.of(Path.of("hv-vmware/src/main/java"));
 * s.cycles();                               // [] when the packages are acyclic
 * s.uses("io.hvprobe.verify");              // the packages io.hvprobe.verify's sources refer to
 * }</pre>
 */
record SourceImports(Map<String, Set<String>> edges) {
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(io\\.hvprobe(?:\\.\\w+)+)");

    /** Reads every {@code .java} file under {@code roots}. */
    static SourceImports of(Path... roots) {
        Map<String, List<String>> references = new TreeMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new IllegalStateException("no source directory " + root);
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(f);
                    Matcher p = PACKAGE.matcher(text);
                    String pkg = p.find() ? p.group(1) : "";
                    List<String> refs = references.computeIfAbsent(pkg, k -> new ArrayList<>());
                    IMPORT.matcher(text).results().forEach(m -> refs.add(m.group(1)));
                    QUALIFIED.matcher(text).results().forEach(m -> refs.add(m.group(1)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Set<String>> edges = new TreeMap<>();
        for (var e : references.entrySet()) {
            Set<String> to = new TreeSet<>();
            for (String ref : e.getValue()) {
                String target = packageOf(ref, references.keySet());
                if (target != null && !target.equals(e.getKey())) {
                    to.add(target);
                }
            }
            edges.put(e.getKey(), to);
        }
        return new SourceImports(edges);
    }

    /**
     * The package a reference names: the longest prefix that is a package of the sources and is followed by a
     * type (capitalised); outside packages are kept by their lower-case prefix ({@code io.hvprobe.unicorn}).
     */
    private static String packageOf(String ref, Set<String> known) {
        String[] parts = ref.split("\\.");
        for (int i = parts.length - 1; i > 0; i--) {
            if (!parts[i].isEmpty() && Character.isUpperCase(parts[i].charAt(0))
                    && !Character.isUpperCase(parts[i - 1].charAt(0))) {
                String pkg = String.join(".", java.util.Arrays.copyOf(parts, i));
                return known.contains(pkg) || pkg.startsWith("io.hvprobe") ? pkg : null;
            }
        }
        return null;
    }

    /** The packages {@code pkg}'s sources refer to (other than itself). */
    Set<String> uses(String pkg) {
        return edges.getOrDefault(pkg, Set.of());
    }

    /** Every group of two or more packages that import each other in a cycle (Tarjan's strongly connected components). */
    List<Set<String>> cycles() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                         Set<String> onStack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : uses(v)) {
            if (!edges.containsKey(w)) {
                continue; // outside the sources read
            }
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }
}
