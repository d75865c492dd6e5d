package io.hvprobe.loader;

/** The dynamic relocation types the loader applies to linked files. */
enum DynamicKind {
    NONE, RELATIVE, GLOB_DAT, JUMP_SLOT, ABSOLUTE64, UNSUPPORTED
}
