package io.hvprobe.spi;

/**
 * A finding rule a plugin or the verifier can raise, for report metadata (SARIF rules, docs).
 *
 * @param id              the stable rule id
 * @param defaultSeverity its default severity
 * @param description     one sentence
 */
public record RuleDescriptor(String id, Severity defaultSeverity, String description) {
}
