package io.hvprobe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A project's {@code .hvprobe.yaml}, found in the working directory or the nearest directory above it: the
 * defaults {@code check} uses when the command line does not say otherwise.
 *
 * <pre>
 * profiles: [vmware, qemu-vmport]      # --profile
 * suppress: [hvprobe.redundant-save]    # added to --suppress
 * fail-on: warning                      # --fail-on
 * min-severity: warning                 # --min-severity
 * include: ["**&#47;*.o"]                   # globs over the objects found in directories
 * exclude: ["**&#47;test/**"]
 * </pre>
 *
 * @param file        where it was read from
 * @param profiles    default profiles
 * @param suppress    suppressions
 * @param failOn      default {@code --fail-on}, or null
 * @param minSeverity default {@code --min-severity}, or null
 * @param include     globs an object path (as labelled, e.g. {@code matrix/x86_64/gcc/O2/a.o}) must match, if any
 * @param exclude     globs of object paths to skip
 */
record ProjectConfig(Path file, List<String> profiles, List<String> suppress, String failOn, String minSeverity,
                     List<String> include, List<String> exclude) {
    /** The file name looked for. */
    static final String NAME = ".hvprobe.yaml";
    private static final Set<String> KEYS = Set.of("profiles", "suppress", "fail-on", "min-severity", "include",
            "exclude");

    /** The nearest {@value #NAME} from {@code dir} upward, if any. */
    static Optional<ProjectConfig> find(Path dir) {
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            Path f = d.resolve(NAME);
            if (Files.isRegularFile(f)) {
                return Optional.of(read(f));
            }
        }
        return Optional.empty();
    }

    /** Reads {@code file}; an input error naming its path when it is not a valid configuration. */
    static ProjectConfig read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new InputError(file + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ProjectConfig(file, List.of(), List.of(), null, null, List.of(), List.of());
        }
        if (!root.isObject()) {
            throw new InputError(file + ": expected a mapping of " + String.join(", ", KEYS.stream().sorted().toList()));
        }
        root.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                throw new InputError(file + ": unknown key '" + k + "'" + DidYouMean.hint(k, KEYS));
            }
        });
        return new ProjectConfig(file, words(file, root, "profiles"), words(file, root, "suppress"),
                word(file, root, "fail-on"), word(file, root, "min-severity"), words(file, root, "include"),
                words(file, root, "exclude"));
    }

    /** Whether the object labelled {@code path} is checked under the include/exclude globs. */
    boolean selects(String path) {
        Path p = Path.of(path).normalize();
        return (include.isEmpty() || include.stream().anyMatch(g -> matcher(g).matches(p)))
                && exclude.stream().noneMatch(g -> matcher(g).matches(p));
    }

    private static PathMatcher matcher(String glob) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }

    private static List<String> words(Path file, JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.asText());
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                if (!e.isValueNode()) {
                    throw new InputError(file + ": '" + key + "' must be a list of words");
                }
                out.add(e.asText());
            }
        } else {
            throw new InputError(file + ": '" + key + "' must be a list of words");
        }
        return List.copyOf(out);
    }

    private static String word(Path file, JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw new InputError(file + ": '" + key + "' must be a word");
        }
        return n.asText();
    }
}
