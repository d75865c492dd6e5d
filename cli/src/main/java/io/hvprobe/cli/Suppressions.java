package io.hvprobe.cli;

import io.hvprobe.spi.RuleDescriptor;

import java.util.List;
import java.util.function.Function;

/** Checks {@code --suppress RULE[@FUNCTION]} words against the rules that exist, so a typo does not hide nothing. */
final class Suppressions {
    private Suppressions() {
    }

    /** Throws {@code error(message)} when {@code suppression}'s rule is not one of {@code rules}. */
    static void requireKnown(String suppression, List<RuleDescriptor> rules,
                             Function<String, ? extends RuntimeException> error) {
        String rule = suppression.contains("@") ? suppression.substring(0, suppression.indexOf('@')) : suppression;
        List<String> ids = rules.stream().map(RuleDescriptor::id).toList();
        if (!ids.contains(rule)) {
            throw error.apply("unknown rule '" + rule + "' in --suppress" + DidYouMean.hint(rule, ids)
                    + "; the rules are listed in docs/RULES.md");
        }
    }
}
