package io.hvprobe.cli;

/** The {@link HostileObjectFuzz} mutants with even numbers. */
class HostileObjectFuzzEvenTest extends HostileObjectFuzz {
    @Override
    int shard() {
        return 0;
    }
}
