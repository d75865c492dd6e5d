package io.hvprobe.cli;

import io.hvprobe.report.CheckReport;
import io.hvprobe.report.FailOn;
import io.hvprobe.report.ReportSettings;
import io.hvprobe.spi.Severity;
import io.hvprobe.report.ReportFormat;
import io.hvprobe.report.Shard;
import io.hvprobe.report.ShardMerge;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.verify.VerifyOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code hvprobe check}: verify every trap function of objects and directories, write a report. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Verify every function that contains a trap site, in objects or whole directories (searched"
                + " recursively for ELF files), against one or more profiles, and write a report.",
        footer = {"",
                "Synthetic arguments: signatures are unknown, so each of the 8 argument slots gets the address of"
                        + " its own zeroed 4 KiB guest buffer; memory is lenient (unmapped data reads as zero pages)"
                        + " and the budget is 2,000,000 instructions. Faults and budget overruns of these runs are"
                        + " warnings, not errors.",
                "Variant labels: an object found under a named directory gets its parent directory relative to"
                        + " that directory (e.g. x86_64/gcc/O2).",
                "", "Examples:",
                "  hvprobe check build/vmw.o",
                "  hvprobe check firmware-samples/target/matrix --jobs 2 --format sarif \\",
                "      -o hvprobe.sarif",
                "  hvprobe check drivers/ --profile vmware --profile qemu-vmport \\",
                "      --fail-on warning",
                "  hvprobe check vmw.o --suppress hvprobe.redundant-save \\",
                "      --suppress vmware.port-wrong@probe_port",
                "  hvprobe check drivers/ --shard 2/3 --format sarif -o shard-2.sarif",
                "  hvprobe check firmware-samples/target/matrix \\",
                "      --manifest firmware-samples/manifest.yaml --jobs 2 --fail-on never",
                "", "Exit status: 0 no findings at or above --fail-on, 1 findings, 2 usage, 3 input, 4 internal."})
final class CheckCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Objects or directories.")
    List<String> paths;

    @Mixin
    FormatOptions.Report format;

    @Option(names = "--fail-on", paramLabel = "LEVEL", converter = EnumWords.FailOnLevels.class,
            completionCandidates = EnumWords.FailOnLevels.class,
            description = "${COMPLETION-CANDIDATES} (default: .hvprobe.yaml's fail-on, else error).")
    FailOn failOn;

    @Option(names = "--min-severity", paramLabel = "LEVEL", converter = EnumWords.Severities.class,
            completionCandidates = EnumWords.Severities.class,
            description = "Leave findings below LEVEL (${COMPLETION-CANDIDATES}) out of the report and the exit"
                    + " status (default: .hvprobe.yaml's min-severity, else note).")
    Severity minSeverity;

    @Option(names = "--baseline", paramLabel = "SARIF",
            description = "Report only findings that are not in SARIF, an earlier report (matched by fingerprint).")
    String baseline;

    @Option(names = "--source-root", paramLabel = "DIR",
            description = "SARIF paths are relative to DIR (uriBaseId SRCROOT; default: the working directory).")
    String sourceRoot;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Project configuration (default: the nearest .hvprobe.yaml from the working directory"
                    + " upward).")
    String config;

    @Option(names = "--no-config", description = "Ignore .hvprobe.yaml.")
    boolean noConfig;

    @Option(names = {"-j", "--jobs"}, defaultValue = "1", paramLabel = "N",
            description = "Objects checked in parallel (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Check only shard I of N: the objects sorted by path, cut into N contiguous"
                    + " runs whose sizes differ by at most one; shard I takes run I. The report carries the mark I/N;"
                    + " 'hvprobe merge' joins the N reports (JSON, SARIF, JUnit) into the report of the unsharded"
                    + " check (docs/ci.md).")
    String shard;

    @Mixin
    HypervisorOption hv;

    @Mixin
    CompanionProfileOption companions;

    @Option(names = "--variants",
            description = "Check every variant a Linux object carries in .altinstructions: the code as compiled,"
                    + " then the code patched as on a CPU with each feature whose replacement puts in a hypercall"
                    + " (e.g. port, vmcall, vmmcall); findings name their variant. Without it only the code as"
                    + " compiled runs.")
    boolean variants;

    @Option(names = "--deep",
            description = "Run every object that holds a trap site. Without it an object whose trap sites are all"
                    + " device I/O no model answers (an immediate port that is not a hypercall port, or a port in DX"
                    + " in an object that holds no hypercall magic) is listed with its sites, not run.")
    boolean deep;

    @Option(names = "--profile", paramLabel = "NAME|FILE",
            description = "Profile to check against (repeat for several; default: .hvprobe.yaml's profiles, else the"
                    + " model's default profile).")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--suppress", paramLabel = "RULE[@FUNCTION]", completionCandidates = RuleIds.class,
            description = "Drop findings of RULE (everywhere, or in FUNCTION only). Repeatable; adds to"
                    + " .hvprobe.yaml's suppress.")
    List<String> suppress = new ArrayList<>();

    @Mixin
    WorkBudgetOption workBudget;

    @Mixin
    LibraryOption libs;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE.")
    String output;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Run the scenarios of a samples manifest (arguments, set-up, profiles, expected results and"
                    + " seeded bugs) instead of synthetic calls; each PATH is a matrix directory. --profile then"
                    + " restricts the manifest's profiles.")
    String manifest;

    @Mixin
    KernelFlags kernel;

    @Mixin
    HostStateFlags host;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private ReportSettings settings;
    /** The core's rules and the model's, which suppressions must name. */
    private List<RuleDescriptor> rules = List.of();
    private java.util.Optional<ProjectConfig> selection = java.util.Optional.empty();

    /** The plan deciding what runs; the synthetic plan unless a scenario source replaces it. */
    FunctionPlan plan() {
        return new SyntheticPlan();
    }

    @Override
    public Integer call() throws Exception {
        prepare();
        return write(check());
    }

    /**
     * A finished check: its report and what the text format prints after the findings (the summary table and what
     * the plan adds) for the report as finally set. Rendering it once more, in another format or with other report
     * settings, does not run the check again.
     */
    record Checked(CheckReport report, java.util.function.BiConsumer<CheckReport, PrintWriter> summary,
            List<io.hvprobe.spi.CommandDescriptor> catalogue) {
    }

    /**
     * Checks the options and reads the project configuration: the report settings, the profiles and suppressions
     * the check uses. Before {@link #check()} and {@link #write(Checked)}.
     */
    void prepare() {
        if (jobs < 1 || jobs > 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--jobs must be 1..64");
        }
        java.util.Optional<Shard> part = shard();
        rules = new ArrayList<>(io.hvprobe.run.CoreRule.descriptors());
        rules.addAll(hv.model().rules());
        java.util.Optional<ProjectConfig> project = noConfig ? java.util.Optional.empty()
                : config != null ? java.util.Optional.of(ProjectConfig.read(java.nio.file.Path.of(config)))
                : ProjectConfig.find(java.nio.file.Path.of(""));
        List<String> allSuppressed = new ArrayList<>(project.map(ProjectConfig::suppress).orElse(List.of()));
        allSuppressed.addAll(suppress);
        for (String s : suppress) {
            Suppressions.requireKnown(s, rules, id -> new CommandLine.ParameterException(spec.commandLine(), id));
        }
        for (String s : project.map(ProjectConfig::suppress).orElse(List.of())) {
            Suppressions.requireKnown(s, rules, m -> new InputError(project.get().file() + ": " + m));
        }
        settings = settings(project);
        if (profiles.isEmpty()) {
            profiles = new ArrayList<>(project.map(ProjectConfig::profiles).orElse(List.of()));
        }
        suppress = allSuppressed;
        selection = project;
        OutputTarget.requireWritable(output);
        if (manifest != null && part.isPresent()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--shard does not combine with --manifest");
        }
        if (manifest != null && !companions.byModel.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--hv-profile does not combine with --manifest (the manifest names each entry's model)");
        }
    }

    /** Runs the check {@link #prepare()} set up: the manifest's scenarios, or synthetic calls. */
    Checked check() throws Exception {
        if (manifest != null) {
            return manifestCheck(rules);
        }
        java.util.Optional<Shard> part = shard();
        var model = hv.model();
        java.util.Map<String, HypervisorOptions> companionOptions = companions.options(hv.name);
        List<CheckRunner.ProfileChoice> choices = new ArrayList<>();
        for (String p : profiles.isEmpty() ? List.of("") : new LinkedHashSet<>(profiles)) {
            HypervisorOptions o = host.applyTo(Models.options(p));
            try {
                model.openSession(o).close();
            } catch (IllegalArgumentException e) {
                throw new InputError(e.getMessage(), e);
            }
            choices.add(new CheckRunner.ProfileChoice(hv.name, o, companionOptions));
        }
        List<CheckTarget> targets = ObjectFinder.find(paths).stream()
                .filter(t -> selection.map(c -> c.selects(t.label())).orElse(true)).toList();
        if (targets.isEmpty()) {
            throw new InputError("no ELF objects found in " + String.join(", ", paths));
        }
        if (part.isPresent()) {
            targets = part.get().of(targets.stream().sorted(java.util.Comparator.comparing(CheckTarget::label)).toList());
        }
        FunctionPlan plan = plan();
        Set<String> suppressed = new LinkedHashSet<>(suppress);
        CheckRunner runner = new CheckRunner(plan, workBudget.verifyOptions().withSuppressed(suppressed),
                choices, kernel.kernelOptions(), variants, libs.existing(), deep);
        CheckRunner.Outcome outcome = runner.run(targets, jobs, Progress.start(targets.size(), common.quiet));

        CheckReport report = new CheckReport(Version.current(), outcome.results(), rules, settings,
                outcome.coverage());
        List<io.hvprobe.spi.CommandDescriptor> catalogue = new ArrayList<>();
        choices.forEach(c -> catalogue.addAll(hv.model().catalog(c.options())));
        return new Checked(report, (r, pw) -> {
            SummaryTable.print(r, outcome.objects(), choices.size(), pw);
            plan.summarize(r, pw);
        }, catalogue);
    }

    /**
     * Writes {@code checked}'s report with this command's report settings, in its format, to its output; the exit
     * status. {@link #prepare()} first.
     */
    int write(Checked checked) {
        CheckReport report = checked.report().with(settings);
        emit(format.format, report, checked.catalogue(), pw -> checked.summary().accept(report, pw));
        return exit(report);
    }

    /** {@code --shard} parsed; a usage error when it is not I/N with 1 <= I <= N. */
    private java.util.Optional<Shard> shard() {
        if (shard == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Shard.parse(shard).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "--shard must be I/N with 1 <= I <= N <= " + Shard.MAX_COUNT + ", got '" + shard
                + "'")));
    }

    /**
     * The exit status; with {@code -o} (and without {@code -q}) one stderr line says what was written and why the
     * status is what it is, since stdout stays empty.
     */
    private int exit(CheckReport report) {
        boolean fails = report.fails();
        if (!OutputTarget.isStdout(output) && !common.quiet) {
            java.util.Map<Severity, Long> by = new java.util.EnumMap<>(Severity.class);
            report.reported().forEach(f -> by.merge(f.finding().severity(), 1L, Long::sum));
            String counts = report.reported().size() + " finding(s): " + by.getOrDefault(Severity.ERROR, 0L)
                    + " error(s), " + by.getOrDefault(Severity.WARNING, 0L) + " warning(s), "
                    + by.getOrDefault(Severity.NOTE, 0L) + " note(s)";
            String level = report.settings().failOn().name().toLowerCase(Locale.ROOT);
            spec.commandLine().getErr().println("hvprobe: wrote " + output + " (" + counts + "); exit "
                    + (fails ? Main.EXIT_FINDINGS + ": findings at or above --fail-on " + level
                    : Main.EXIT_OK + ": none at or above --fail-on " + level));
            spec.commandLine().getErr().flush();
        }
        return fails ? Main.EXIT_FINDINGS : Main.EXIT_OK;
    }

    /** The report settings: command line first, then the project configuration, then the defaults. */
    private ReportSettings settings(java.util.Optional<ProjectConfig> project) {
        FailOn fail = failOn != null ? failOn
                : configured(project, "fail-on", ProjectConfig::failOn, FailOn.class).orElse(FailOn.ERROR);
        Severity min = minSeverity != null ? minSeverity
                : configured(project, "min-severity", ProjectConfig::minSeverity, Severity.class).orElse(Severity.NOTE);
        ReportSettings s = ReportSettings.defaults().withFailOn(fail).withMinSeverity(min).withVerbose(common.verbose);
        if (sourceRoot != null) {
            java.nio.file.Path root = java.nio.file.Path.of(sourceRoot);
            if (!java.nio.file.Files.isDirectory(root)) {
                throw new InputError("--source-root " + sourceRoot + ": no such directory");
            }
            s = s.withSourceRoot(root);
        }
        if (baseline != null) {
            s = s.withBaseline(Baseline.read(java.nio.file.Path.of(baseline)));
        }
        return s;
    }

    /**
     * The project configuration's word for {@code key} as a constant of {@code type}, if it gives one; an input
     * error naming the file when the word is not one of {@code type}'s.
     */
    private static <E extends Enum<E>> java.util.Optional<E> configured(java.util.Optional<ProjectConfig> project,
            String key, java.util.function.Function<ProjectConfig, String> value, Class<E> type) {
        return project.flatMap(p -> java.util.Optional.ofNullable(value.apply(p))
                .map(word -> EnumWords.parse(type, word).orElseThrow(() -> new InputError(p.file() + ": unknown "
                        + key + " '" + word + "' (one of " + String.join(", ", EnumWords.words(type)) + ")"))));
    }

    /**
     * Writes the report to stdout or {@code -o}; the text format gets coloured severities on a terminal and
     * {@code summary} (the table and what the plan adds) after the findings.
     */
    private void emit(ReportFormat rf, CheckReport report, List<io.hvprobe.spi.CommandDescriptor> catalogue,
            java.util.function.Consumer<PrintWriter> summary) {
        try (Writer w = OutputTarget.writer(output)) {
            if (rf == ReportFormat.TEXT) {
                TextReport.write(report, w, OutputTarget.isStdout(output) ? Paint.forStdout(common)
                        : new Paint(false));
                PrintWriter pw = new PrintWriter(w);
                summary.accept(pw);
                pw.flush();
                if (pw.checkError()) {
                    throw new java.io.IOException("write error");
                }
            } else if (shard().isPresent()) {
                java.io.StringWriter whole = new java.io.StringWriter();
                rf.write(report, catalogue, whole);
                w.write(ShardMerge.mark(rf, whole.toString(), shard().get()));
            } else {
                rf.write(report, catalogue, w);
            }
        } catch (java.io.IOException e) {
            throw OutputTarget.writeFailure(output, new java.io.UncheckedIOException(e));
        }
    }

    private Checked manifestCheck(List<RuleDescriptor> rules) throws Exception {
        VerifyOptions verify = workBudget.verifyOptions().withSuppressed(new LinkedHashSet<>(suppress));
        ManifestCheck check = ManifestCheck.load(manifest, verify, new LinkedHashSet<>(profiles));
        ManifestCheck.Outcome outcome = check.run(paths, jobs, common.quiet);
        CheckReport report = new CheckReport(Version.current(), outcome.results(), rules, settings);
        return new Checked(report, (r, pw) -> {
            SummaryTable.print(r, outcome.objects(), outcome.profiles(), pw);
            ManifestCheck.summarize(outcome.tally(), pw);
        }, List.of());
    }
}
