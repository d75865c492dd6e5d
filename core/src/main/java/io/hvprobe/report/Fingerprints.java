package io.hvprobe.report;

import io.hvprobe.run.LocatedFinding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Fingerprints of findings that survive a rebuild: addresses and offsets move when code changes elsewhere, so
 * only the rule, the object, the variant, the function, the command and the register (when the evidence names
 * them) and the source file go in; findings alike in all of these get occurrence numbers in report order.
 */
final class Fingerprints {
    private static final List<String> EVIDENCE = List.of("command", "register", "poison", "call");

    private final Map<String, Integer> seen = new HashMap<>();

    /** The fingerprint of {@code f}, the next of its kind; call in report order. */
    String next(LocatedFinding f, String object) {
        StringBuilder key = new StringBuilder();
        key.append(f.finding().ruleId()).append('\0').append(object).append('\0').append(f.site().variant())
                .append('\0').append(f.site().function());
        f.site().source().ifPresent(s -> key.append('\0').append(s.file()).append('\0').append(s.function()));
        for (String e : EVIDENCE) {
            key.append('\0').append(f.finding().evidence().getOrDefault(e, ""));
        }
        String hash = sha256(key.toString()).substring(0, 32);
        int n = seen.merge(hash, 1, Integer::sum);
        return hash + ":" + n;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
