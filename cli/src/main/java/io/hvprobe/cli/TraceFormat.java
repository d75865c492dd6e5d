package io.hvprobe.cli;

/** What trace writes: {@code --format text|jsonl}. */
enum TraceFormat {
    /** Aligned text lines, one per instruction. */
    TEXT,
    /** One JSON object per line. */
    JSONL
}
