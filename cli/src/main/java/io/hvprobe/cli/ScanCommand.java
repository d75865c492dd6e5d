package io.hvprobe.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.trap.BugSite;
import io.hvprobe.trap.BugTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code hvprobe scan}: the trap sites of objects, found statically. */
@Command(name = "scan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List the trap sites (hypercall instructions) of objects without running anything:"
                + " function+offset, form, bytes, disassembly. Sites in Linux ALTERNATIVE replacement code"
                + " (.altinstr_replacement) are listed separately as alternatives; so is port I/O on a port no"
                + " hypervisor model answers hypercalls on or whose port is not known statically (device I/O), and"
                + " the kernel's BUG()/WARN() traps recorded in __bug_table.",
        footer = {"", "Examples:", "  hvprobe scan detect-port.o",
                "  hvprobe scan firmware-samples/target/matrix/x86_64/gcc/O2/*.o --format json",
                "  hvprobe scan firmware-samples/target/matrix/arm64   # every object below",
                "", "Exit status: 0 scanned, 2 usage, 3 input (with several objects: some did not load; the others are"
                        + " listed), 4 internal."})
final class ScanCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "OBJ|DIR", description = "ELF objects, or directories searched"
            + " recursively for ELF files.")
    List<String> objects;

    @Mixin
    FormatOptions.Listing format;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Paint paint = Paint.forStdout(common);
        ObjectNode root = Json.object();
        ArrayNode objs = root.putArray("objects");
        List<CheckTarget> targets = new java.util.ArrayList<>();
        for (String name : objects) {
            if (java.nio.file.Files.isDirectory(java.nio.file.Path.of(name))) {
                targets.addAll(ObjectFinder.find(List.of(name)));
            } else {
                targets.add(new CheckTarget(GuestObjects.existing(name), name, ""));
            }
        }
        int unloadable = 0;
        for (CheckTarget target : targets) {
            String name = target.label();
            GuestImage image;
            try {
                image = GuestObjects.load(target.path());
            } catch (InputError e) {
                if (targets.size() == 1) {
                    throw e; // one object: one line and the input exit status, as for a missing file
                }
                // Many objects: this one is an entry of the listing, the others are still scanned.
                unloadable++;
                if (format.json()) {
                    objs.addObject().put("object", name).put("error", e.getMessage());
                } else {
                    out.printf(Locale.ROOT, "%s: error: %s%n", paint.bold(name), e.getMessage());
                }
                continue;
            }
            List<StaticSites.Site> sites = StaticSites.scan(image);
            List<BugSite> bugs = BugTable.of(image).sites();
            String arch = image.arch().name().toLowerCase(Locale.ROOT);
            if (format.json()) {
                ObjectNode o = objs.addObject().put("object", name).put("arch", arch);
                ArrayNode arr = o.putArray("sites");
                for (StaticSites.Site s : sites) {
                    String fn = image.functions().stream().filter(f -> f.covers(s.site().address()))
                            .map(GuestSymbol::name).findFirst().orElse("");
                    arr.addObject().put("location", s.location()).put("function", fn)
                            .put("address", Values.hex(s.site().address())).put("section", s.section())
                            .put("form", s.site().form().name()).put("arch", arch)
                            .put("bytes", HexFormat.of().formatHex(s.site().bytes()))
                            .put("instruction", s.site().text())
                            .put("detail", StaticSites.detail(s.site(), s.port()))
                            .put("alternative", s.alternative()).put("kind", s.deviceIo() ? "device-io" : "hypercall");
                }
                ArrayNode bugArray = o.putArray("bugSites");
                for (BugSite b : bugs) {
                    bugArray.addObject().put("location", image.symbolize(b.address()))
                            .put("address", Values.hex(b.address())).put("kind", b.warning() ? "WARN" : "BUG")
                            .put("source", b.file().map(f -> f + (b.line() > 0 ? ":" + b.line() : "")).orElse(""));
                }
                continue;
            }
            long main = sites.stream().filter(s -> !s.alternative() && !s.deviceIo()).count();
            long device = sites.stream().filter(s -> !s.alternative() && s.deviceIo()).count();
            out.printf(Locale.ROOT, "%s (%s): %d trap site%s%s%s%n", paint.bold(name), arch, main,
                    main == 1 ? "" : "s", device == 0 ? "" : "; device I/O sites " + device,
                    bugs.isEmpty() ? "" : "; BUG/WARN sites " + bugs.size());
            for (StaticSites.Site s : sites) {
                if (!s.alternative() && !s.deviceIo()) {
                    line(out, s);
                }
            }
            if (device > 0) {
                out.printf(Locale.ROOT, "  device I/O (a port no hypervisor model answers hypercalls on, or not"
                        + " known statically; a plain device at run time unless a model claims it):%n");
                sites.stream().filter(s -> !s.alternative() && s.deviceIo()).forEach(s -> line(out, s));
            }
            if (main < sites.size()) {
                out.printf(Locale.ROOT, "  alternative variants (%s):%n", StaticSites.ALTERNATIVES);
                sites.stream().filter(StaticSites.Site::alternative).forEach(s -> line(out, s));
            }
        }
        if (format.json()) {
            out.println(Json.write(root));
        }
        out.flush();
        return unloadable == 0 ? Main.EXIT_OK : Main.EXIT_INPUT;
    }

    private static void line(PrintWriter out, StaticSites.Site s) {
        String detail = StaticSites.detail(s.site(), s.port());
        out.printf(Locale.ROOT, "  %-28s %-8s %-14s %s%s%n", s.location(), s.site().form(),
                HexFormat.ofDelimiter(" ").formatHex(s.site().bytes()), s.site().text(),
                detail.isEmpty() ? "" : "  (" + detail + ")");
    }
}
