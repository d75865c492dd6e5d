package io.hvprobe.cli;

/** The {@link HostileObjectFuzz} mutants with odd numbers. */
class HostileObjectFuzzOddTest extends HostileObjectFuzz {
    @Override
    int shard() {
        return 1;
    }
}
