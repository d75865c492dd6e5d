package io.hvprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The release bundle's list of third-party software (src/dist/THIRD-PARTY.md, which scripts/dist ships) names
 * exactly the libraries the shaded jar bundles: the build writes the runtime dependencies to
 * target/bundled-dependencies.txt (maven-dependency-plugin's {@code list}), so adding or dropping one without the
 * list fails here.
 */
class ThirdPartyNoticesTest {
    private static final Pattern RESOLVED = Pattern.compile("^\\s+([\\w.-]+:[\\w.-]+):jar:", Pattern.MULTILINE);
    private static final Pattern LISTED = Pattern.compile("^\\| `([\\w.-]+:[\\w.-]+)` \\|", Pattern.MULTILINE);

    @Test
    void theNoticesListEveryBundledLibraryAndNoOther() throws Exception {
        Set<String> bundled = artifacts(RESOLVED, Path.of("target/bundled-dependencies.txt"));
        Set<String> listed = artifacts(LISTED, Path.of("src/dist/THIRD-PARTY.md"));

        assertThat(bundled).as("the build's dependency list").contains("info.picocli:picocli");
        assertThat(listed).isEqualTo(bundled);
    }

    private static Set<String> artifacts(Pattern pattern, Path file) throws Exception {
        Matcher m = pattern.matcher(Files.readString(file));
        Set<String> found = new TreeSet<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
