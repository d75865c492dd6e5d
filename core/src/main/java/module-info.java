/**
 * The hvprobe engine: loads compiled guest code into Unicorn, intercepts every hypercall, routes it to a
 * {@link io.hvprobe.spi.Hypervisor} plugin and verifies the register semantics on both sides.
 *
 * <p>Exported, each with a stability note in its package documentation: the session API ({@code io.hvprobe.api}),
 * guest calls and how they end ({@code io.hvprobe.guest}), results ({@code io.hvprobe.run}), verification
 * ({@code io.hvprobe.verify}), the report model ({@code io.hvprobe.report}), and the packages whose types those
 * expose: loaded images and load options ({@code io.hvprobe.loader}), kernel options ({@code io.hvprobe.kernel}),
 * trap sites and the CPU model ({@code io.hvprobe.trap}), source lines ({@code io.hvprobe.dwarf}) and trap-site
 * coverage ({@code io.hvprobe.coverage}). Internal: the Unicorn binding, the ELF reader, the disassembler, the
 * tracer and the HTML page.
 */
@SuppressWarnings("requires-automatic") // Capstone's jar has no module name of its own
module io.hvprobe.core {
    requires transitive io.hvprobe.spi;
    requires java.xml;
    requires com.sun.jna;
    requires capstone;
    requires org.tukaani.xz;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;

    exports io.hvprobe.api;
    exports io.hvprobe.coverage;
    exports io.hvprobe.dwarf;
    exports io.hvprobe.guest;
    exports io.hvprobe.kernel;
    exports io.hvprobe.loader;
    exports io.hvprobe.report;
    exports io.hvprobe.run;
    exports io.hvprobe.trap;
    exports io.hvprobe.verify;

    uses io.hvprobe.spi.Hypervisor;
}
