/**
 * hvprobe in JUnit 5 tests: the {@code @HvprobeTest} and {@code @HvprobeMatrix} annotations, the extension that
 * opens a probe per test and injects it, and fluent assertions on runs. Reads the session API of
 * {@code io.hvprobe.core} and JUnit's extension API, and passes both on to the tests that use it.
 */
module io.hvprobe.junit {
    requires transitive io.hvprobe.core;
    requires transitive org.junit.jupiter.api;

    exports io.hvprobe.junit;
}
