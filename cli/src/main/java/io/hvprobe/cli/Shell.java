package io.hvprobe.cli;

/** The shells {@code generate-completion --shell} writes a script for. */
enum Shell {
    /** Picocli's bash script plus function-name completion. */
    BASH,
    /** The bash script, which zsh loads through bashcompinit. */
    ZSH,
    /** A fish script of {@code complete} lines. */
    FISH
}
