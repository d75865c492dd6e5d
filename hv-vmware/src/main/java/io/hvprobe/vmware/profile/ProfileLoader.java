package io.hvprobe.vmware.profile;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hvprobe.spi.HypervisorOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves {@link HypervisorOptions} into a {@link VmwareProfile}: the built-in profile (named by
 * the options, or by the file's {@code base} key, default {@code vmware}), then the profile file's
 * settings, then the individual settings.
 */
public final class ProfileLoader {
    private static final long MAX_FILE_BYTES = 1 << 20;

    private ProfileLoader() {
    }

    /**
     * The profile {@code options} describe.
     *
     * @throws IllegalArgumentException one line naming the file, the setting and what is wrong
     */
    public static VmwareProfile load(HypervisorOptions options) {
        JsonNode file = null;
        if (options.profileFile().isPresent()) {
            file = readTree(options.profileFile().get());
        }
        ProfileBuilder builder;
        if (file == null) {
            builder = ProfileBuilder.builtIn(options.profile().orElse(ProfileBuilder.VMWARE));
        } else {
            Path path = options.profileFile().get();
            try {
                String base = options.profile().orElse(file.has("base") ? scalar("base", file.get("base"))
                        : ProfileBuilder.VMWARE);
                builder = ProfileBuilder.builtIn(base);
                apply(builder, file);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("profile file " + path + ": " + e.getMessage(), e);
            }
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(options.settings()).entrySet()) {
            builder.set(e.getKey(), e.getValue());
        }
        return builder.build();
    }

    /** Reads a JSON ({@code .json}) or YAML (anything else) profile file into a tree. */
    static JsonNode readTree(Path path) {
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("profile file " + path + ": larger than 1 MiB");
            }
            boolean json = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
            ObjectMapper mapper = json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
            JsonNode tree = mapper.readTree(path.toFile());
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException("profile file " + path + ": expected a mapping of settings at the top level");
            }
            return tree;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("profile file " + path + ": not valid "
                    + (path.toString().endsWith(".json") ? "JSON" : "YAML") + " (" + e.getOriginalMessage() + ")", e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("profile file " + path + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("profile file " + path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static void apply(ProfileBuilder builder, JsonNode tree) {
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            switch (key) {
                case "base" -> { }
                case "name" -> builder.name(scalar(key, value));
                case "fixed-answers" -> forEachField(key, value, (cmd, v) -> {
                    if (!v.isObject()) {
                        throw new IllegalArgumentException("setting 'fixed-answers." + cmd + "': expected a mapping reg: value");
                    }
                    StringBuilder spec = new StringBuilder();
                    v.properties().forEach(r -> spec.append(r.getKey()).append('=').append(scalar(key, r.getValue())).append(','));
                    builder.set("fixed-answer." + cmd, spec.toString());
                });
                case "severity" -> forEachField(key, value, (rule, v) -> builder.set("severity." + rule, scalar(key, v)));
                default -> builder.set(key, scalar(key, value));
            }
        }
    }

    private static void forEachField(String key, JsonNode value, java.util.function.BiConsumer<String, JsonNode> action) {
        if (!value.isObject()) {
            throw new IllegalArgumentException("setting '" + key + "': expected a mapping");
        }
        value.properties().forEach(e -> action.accept(e.getKey(), e.getValue()));
    }

    private static String scalar(String key, JsonNode value) {
        if (!value.isValueNode() || value.isNull()) {
            throw new IllegalArgumentException("setting '" + key + "': expected a single value");
        }
        return value.asText();
    }
}
