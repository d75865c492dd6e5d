/**
 * Loading compiled guest code: {@link io.hvprobe.loader.ImageLoader} turns an ELF object, kernel module, shared
 * object, executable or raw blob into a {@link io.hvprobe.loader.GuestImage} (sections and segments at their guest
 * addresses, symbols, stubs for undefined symbols, debug information), configured by
 * {@link io.hvprobe.loader.LoadOptions}; input it cannot load is a {@link io.hvprobe.loader.LoadException} with a
 * one-line message.
 *
 * <p><b>Stability:</b> GuestImage, GuestSymbol, LoadedSection, LoadOptions, SymbolOverride and LoadException are
 * public API (what {@code Probe} and {@code ProbeOptions} expose), stable within a
 * minor version; ImageLoader, the relocation, stub and offset-table types serve tools built on hvprobe and may
 * change in any release.
 */
package io.hvprobe.loader;
