package io.hvprobe.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The kernel-environment table: external symbol → {@link StubEntry}. The built-in table is the resource
 * {@code kernel-environment.yaml}; users add files of the same format, whose entries replace built-in ones of the
 * same name. Format (docs/kernel-environment.md):
 *
 * <pre>
 * __kmalloc_noprof: {kind: alloc, size: 0}
 * snprintf:         {kind: snprintf, buffer: 0, limit: 1, format: 2}
 * mutex_trylock:    {kind: return, value: 0, success: 1}
 * </pre>
 */
public final class KernelTable {
    private static final String BUILT_IN = "kernel-environment.yaml";
    /** The built-in table for user-space code (shared objects and executables): the C library and GLib. */
    private static final String C_LIBRARY = "c-library.yaml";
    private static final List<String> FIELDS = List.of("kind", "value", "success", "scale", "divisor", "level");

    private final Map<String, StubEntry> entries;

    /** The YAML reader, made only when a table is not in {@link OneLineEntries}' form (user files). */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
    }

    private KernelTable(Map<String, StubEntry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /**
     * The built-in kernel table.
     *
     * @return the table, parsed from the resource on each call (immutable)
     */
    public static KernelTable builtIn() {
        return resource(BUILT_IN);
    }

    /**
     * The built-in C-library table (libc and the GLib basics), for user-space code.
     *
     * @return the table, parsed from the resource on each call (immutable)
     */
    public static KernelTable cLibrary() {
        return resource(C_LIBRARY);
    }

    /**
     * The built-in table for code of {@code kind} — the C-library table for shared objects and executables, the
     * kernel table for everything else — with the entries of {@code files} added (later files win).
     *
     * @param kind  what the image is
     * @param files extra table files, possibly empty
     * @return the table
     * @throws IllegalArgumentException for an unreadable file or a bad entry (one line naming file and symbol)
     */
    public static KernelTable forImage(io.hvprobe.loader.ImageKind kind, List<Path> files) {
        KernelTable base = switch (kind) {
            case SHARED_OBJECT, EXECUTABLE -> cLibrary();
            case RELOCATABLE, RAW -> builtIn();
        };
        return base.plus(files);
    }

    private static KernelTable resource(String name) {
        try (InputStream in = KernelTable.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the build");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Optional<JsonNode> oneLine = OneLineEntries.read(text);
            return new KernelTable(parse(oneLine.isPresent() ? oneLine.get() : Yaml.MAPPER.readTree(text), name));
        } catch (IOException e) {
            throw new IllegalStateException("built-in " + name + " unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * The built-in table with the entries of {@code files} added (later files win).
     *
     * @param files extra table files, possibly empty
     * @return the table
     * @throws IllegalArgumentException for an unreadable file or a bad entry (one line naming file and symbol)
     */
    public static KernelTable withFiles(List<Path> files) {
        return builtIn().plus(files);
    }

    private KernelTable plus(List<Path> files) {
        Map<String, StubEntry> all = new LinkedHashMap<>(entries);
        for (Path f : files) {
            JsonNode root;
            try {
                root = Yaml.MAPPER.readTree(Files.readString(f));
            } catch (IOException e) {
                throw new IllegalArgumentException("kernel table " + f + ": " + e.getMessage().lines().findFirst()
                        .orElse("unreadable"));
            }
            all.putAll(parse(root, f.toString()));
        }
        return new KernelTable(all);
    }

    /**
     * The entry for {@code symbol}, if the table has one.
     *
     * @param symbol an external function's name
     * @return the entry, or empty when calling {@code symbol} is not modelled
     */
    public Optional<StubEntry> entry(String symbol) {
        return Optional.ofNullable(entries.get(symbol));
    }

    /** {@return every entry, by symbol, in table order (immutable)} */
    public Map<String, StubEntry> entries() {
        return entries;
    }

    private static Map<String, StubEntry> parse(JsonNode root, String source) {
        Map<String, StubEntry> out = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return out;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("kernel table " + source + ": expected a map of symbol to entry");
        }
        for (var it = root.fields(); it.hasNext(); ) {
            var field = it.next();
            try {
                out.put(field.getKey(), entry(field.getKey(), field.getValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kernel table " + source + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static StubEntry entry(String symbol, JsonNode n) {
        if (!n.isObject() || !n.path("kind").isTextual()) {
            throw new IllegalArgumentException(symbol + ": expected {kind: ..., ...}");
        }
        String kind = n.get("kind").asText();
        Behaviour behaviour;
        try {
            behaviour = Behaviour.valueOf(kind.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(symbol + ": unknown kind '" + kind + "'");
        }
        Map<String, Integer> roles = new LinkedHashMap<>();
        for (var it = n.fields(); it.hasNext(); ) {
            var f = it.next();
            if (FIELDS.contains(f.getKey())) {
                continue;
            }
            if (!f.getValue().canConvertToInt()) {
                throw new IllegalArgumentException(symbol + ": argument '" + f.getKey() + "' must be an integer");
            }
            roles.put(f.getKey(), f.getValue().intValue());
        }
        return new StubEntry(symbol, behaviour, roles, number(symbol, n, "value").orElse(0),
                number(symbol, n, "success"), number(symbol, n, "scale").orElse(1),
                number(symbol, n, "divisor").orElse(1), n.path("level").asText(""));
    }

    private static OptionalLong number(String symbol, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null) {
            return OptionalLong.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(symbol + ": '" + field + "' must be an integer");
        }
        return OptionalLong.of(v.longValue());
    }
}
