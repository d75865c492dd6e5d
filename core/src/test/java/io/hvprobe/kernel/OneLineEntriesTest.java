package io.hvprobe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in tables read without the YAML parser give the very tree the YAML parser gives, and a line the
 * one-line reader cannot vouch for sends the whole table to the YAML parser.
 */
class OneLineEntriesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @ValueSource(strings = {"kernel-environment.yaml", "c-library.yaml"})
    void aBuiltInTableReadsAsYamlReadsIt(String resource) throws Exception {
        String text;
        try (InputStream in = KernelTable.class.getResourceAsStream(resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(OneLineEntries.read(text)).as("every line of %s in the one-line form", resource)
                .contains(YAML.readTree(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "f: {kind: return, value: 0x10}",   // YAML 1.1 reads hexadecimal
        "f: {kind: return, value: 010}",    // and octal
        "f: {kind: return, level: no}",     // and booleans
        "f: {kind: return, level: null}",
        "f: {kind: 'return'}",              // quoted scalars
        "f:\n  kind: return",               // block style
        "f:{kind: return}",                 // a plain scalar, not a mapping
        "f: {kind: return} # why",
        "f: {}",
    })
    void anythingElseIsLeftToTheYamlParser(String text) {
        assertThat(OneLineEntries.read("# table\ng: {kind: return}\n" + text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"f: {kind: alloc, size: 0}", "f: {kind: delay, amount: 0, scale: 1000000000}",
        "f: {kind: return, value: -22}", "f:  {kind: log,  level: warn , format: 1}\nf: {kind: free, pointer: 0}"})
    void theOneLineFormReadsAsYaml(String text) throws Exception {
        assertThat(OneLineEntries.read(text)).contains(YAML.readTree(text));
    }
}
