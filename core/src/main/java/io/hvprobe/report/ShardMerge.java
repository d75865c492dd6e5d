package io.hvprobe.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.spi.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shard reports and their merge. A check run with {@code --shard I/N} writes its report as usual plus a mark naming
 * the shard ({@link #mark}): a top-level {@code "shard": "I/N"} in JSON, {@code runs[0].properties.shard} in SARIF,
 * an XML comment after the declaration in JUnit. {@link #merge} takes the N shard reports of one format in any
 * order and gives the bytes an unsharded check writes: every report lists its entries sorted by object first and a
 * shard holds a contiguous run of the sorted objects ({@link Shard}), so the entries are the shards' entries in shard
 * order; only totals (JSON summary, JUnit counts) and SARIF's rule table (rules in order of first use, results
 * pointing into it by index) are computed again.
 */
public final class ShardMerge {
    /** The JSON key (top level in JSON, in {@code runs[0].properties} in SARIF) holding {@code I/N}. */
    public static final String KEY = "shard";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final Pattern JUNIT_MARK = Pattern.compile("<!--hvprobe shard ([0-9]+/[0-9]+)-->\n");
    private static final Pattern JUNIT = Pattern.compile("<testsuites name=\"hvprobe\" tests=\"([0-9]+)\""
            + " failures=\"([0-9]+)\" errors=\"0\" time=\"0\">((?s).*)\n</testsuites>\n");

    /** A report that cannot be merged, with one line saying why. */
    public static final class MergeException extends Exception {
        /**
         * An exception with {@code message} as its one-line reason.
         *
         * @param message why, one line
         */
        public MergeException(String message) {
            super(message);
        }
    }

    /**
     * A merged report.
     *
     * @param format the format of the shards and of {@code text}
     * @param text   the report as an unsharded check writes it
     * @param fails  whether it fails the check: a finding at or above the fail-on level given to {@link #merge}
     *               (JSON, SARIF), or a failure counted by the shards (JUnit, whose failures the shards' own
     *               {@code --fail-on} decided)
     */
    public record Merged(ReportFormat format, String text, boolean fails) {
    }

    /**
     * One input: its name for messages and its text.
     *
     * @param name the input's name for messages, e.g. its file name
     * @param text the whole report as a shard wrote it
     */
    public record Input(String name, String text) {
    }

    private ShardMerge() {
    }

    /**
     * {@code report}, written in {@code format} by an unsharded writer, with the mark of {@code shard}.
     *
     * @param format the format {@code report} is written in
     * @param report a whole report as an unsharded writer wrote it
     * @param shard  the shard it is part of
     * @return the report with the shard mark {@link #merge} looks for
     */
    public static String mark(ReportFormat format, String report, Shard shard) {
        return switch (format) {
            case JSON -> {
                ObjectNode root = (ObjectNode) parse(report);
                ObjectNode marked = MAPPER.createObjectNode();
                root.properties().forEach(e -> {
                    marked.set(e.getKey(), e.getValue());
                    if (e.getKey().equals("tool")) {
                        marked.put(KEY, shard.toString());
                    }
                });
                yield write(marked);
            }
            case SARIF -> {
                ObjectNode root = (ObjectNode) parse(report);
                ((ObjectNode) root.get("runs").get(0)).putObject("properties").put(KEY, shard.toString());
                yield write(root);
            }
            case JUNIT -> report.startsWith(XML_DECLARATION)
                    ? XML_DECLARATION + "<!--hvprobe shard " + shard + "-->\n" + report.substring(XML_DECLARATION.length())
                    : report;
            case TEXT, HTML -> report; // text and HTML reports are for people; they are not merged
        };
    }

    /**
     * Joins the reports of all shards of one check (any order) into the report of the unsharded check.
     *
     * @param inputs the shard reports, in any order, all of one format
     * @param failOn decides {@link Merged#fails()} for JSON and SARIF
     * @return the merged report and whether it fails
     * @throws MergeException when an input is no shard report, formats or tool versions differ, or shards are missing
     *                        or repeated
     */
    public static Merged merge(List<Input> inputs, FailOn failOn) throws MergeException {
        if (inputs.isEmpty()) {
            throw new MergeException("no reports to merge");
        }
        ReportFormat format = formatOf(inputs.getFirst());
        for (Input in : inputs) {
            if (formatOf(in) != format) {
                throw new MergeException(in.name() + ": a " + word(formatOf(in)) + " report; the others are "
                        + word(format));
            }
        }
        return switch (format) {
            case JSON -> mergeJson(inputs, failOn);
            case SARIF -> mergeSarif(inputs, failOn);
            case JUNIT -> mergeJunit(inputs);
            case TEXT, HTML -> throw new MergeException(inputs.getFirst().name()
                    + ": not a JSON, SARIF or JUnit report (text and HTML reports cannot be merged)");
        };
    }

    // ---- JSON ----------------------------------------------------------------------------------------------

    private static Merged mergeJson(List<Input> inputs, FailOn failOn) throws MergeException {
        List<ObjectNode> shards = new ArrayList<>();
        Map<ObjectNode, Shard> which = new IdentityHashMap<>();
        for (Input in : inputs) {
            ObjectNode root = (ObjectNode) parse(in.text());
            which.put(root, shardOf(in, root.path(KEY)));
            root.remove(KEY);
            shards.add(root);
        }
        shards = ordered(inputs, shards, which, r -> r.path("tool"));
        ObjectNode out = MAPPER.createObjectNode();
        out.set("tool", shards.getFirst().get("tool"));
        ArrayNode results = out.putArray("results");
        ArrayNode objects = MAPPER.createArrayNode();
        long hypercalls = 0;
        long findings = 0;
        Map<String, Long> byRule = new TreeMap<>();
        boolean fails = false;
        for (ObjectNode s : shards) {
            s.path("results").forEach(results::add);
            s.path("objects").forEach(objects::add);
            JsonNode summary = s.path("summary");
            hypercalls += summary.path("hypercalls").asLong();
            findings += summary.path("findings").asLong();
            summary.path("byRule").properties().forEach(e -> byRule.merge(e.getKey(), e.getValue().asLong(),
                    Long::sum));
            for (JsonNode r : s.path("results")) {
                for (JsonNode f : r.path("findings")) {
                    fails |= severity(f.path("severity").asText()).filter(failOn::fails).isPresent();
                }
            }
        }
        if (shards.stream().anyMatch(s -> s.has("objects"))) {
            out.set("objects", objects);
        }
        ObjectNode summary = out.putObject("summary");
        summary.put("functions", results.size());
        summary.put("hypercalls", hypercalls);
        summary.put("findings", (int) findings);
        ObjectNode rules = summary.putObject("byRule");
        byRule.forEach(rules::put);
        return new Merged(ReportFormat.JSON, write(out), fails);
    }

    // ---- SARIF ---------------------------------------------------------------------------------------------

    private static Merged mergeSarif(List<Input> inputs, FailOn failOn) throws MergeException {
        List<ObjectNode> runs = new ArrayList<>();
        Map<ObjectNode, Shard> which = new IdentityHashMap<>();
        ObjectNode first = null;
        for (Input in : inputs) {
            ObjectNode root = (ObjectNode) parse(in.text());
            first = first == null ? root : first;
            ObjectNode run = (ObjectNode) root.path("runs").path(0);
            ObjectNode props = (ObjectNode) run.path("properties");
            which.put(run, shardOf(in, props.path(KEY)));
            run.remove("properties");
            runs.add(run);
        }
        runs = ordered(inputs, runs, which, r -> r.path("tool").path("driver").path("version"));
        for (int i = 1; i < runs.size(); i++) {
            if (!runs.get(i).path("originalUriBaseIds").equals(runs.getFirst().path("originalUriBaseIds"))) {
                throw new MergeException("the shards' SARIF source roots (SRCROOT) differ; run every shard with the"
                        + " same --source-root");
            }
        }
        Map<String, JsonNode> knownRules = new LinkedHashMap<>();
        List<ObjectNode> findings = new ArrayList<>();
        List<ObjectNode> unreached = new ArrayList<>();
        boolean fails = false;
        for (ObjectNode run : runs) {
            run.path("tool").path("driver").path("rules").forEach(r -> knownRules.putIfAbsent(r.path("id").asText(), r));
            for (JsonNode r : run.path("results")) {
                if (r.path("ruleId").asText().equals(ObjectCoverage.UNREACHED_RULE)) {
                    unreached.add((ObjectNode) r);
                } else {
                    findings.add((ObjectNode) r);
                    fails |= level(r.path("level").asText()).filter(failOn::fails).isPresent();
                }
            }
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        findings.forEach(r -> index.putIfAbsent(r.path("ruleId").asText(), index.size()));
        if (!unreached.isEmpty()) {
            index.putIfAbsent(ObjectCoverage.UNREACHED_RULE, index.size());
        }
        ObjectNode root = MAPPER.createObjectNode();
        first.properties().forEach(e -> {
            if (!e.getKey().equals("runs")) {
                root.set(e.getKey(), e.getValue());
            }
        });
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode template = runs.getFirst();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        template.path("tool").path("driver").properties().forEach(e -> {
            if (!e.getKey().equals("rules")) {
                driver.set(e.getKey(), e.getValue());
            }
        });
        ArrayNode rules = driver.putArray("rules");
        for (String id : index.keySet()) {
            JsonNode rule = knownRules.get(id);
            if (rule == null) {
                throw new MergeException("rule " + id + " is used but described in no shard's rule table");
            }
            rules.add(rule);
        }
        run.set("originalUriBaseIds", template.path("originalUriBaseIds"));
        ArrayNode results = run.putArray("results");
        for (ObjectNode r : findings) {
            results.add(r.put("ruleIndex", index.get(r.path("ruleId").asText())));
        }
        for (ObjectNode r : unreached) {
            results.add(r.put("ruleIndex", index.get(ObjectCoverage.UNREACHED_RULE)));
        }
        return new Merged(ReportFormat.SARIF, write(root), fails);
    }

    // ---- JUnit ---------------------------------------------------------------------------------------------

    private static Merged mergeJunit(List<Input> inputs) throws MergeException {
        record Part(Shard shard, long tests, long failures, String suites) {
        }
        List<Part> parts = new ArrayList<>();
        for (Input in : inputs) {
            String rest = in.text().substring(XML_DECLARATION.length());
            Matcher mark = JUNIT_MARK.matcher(rest);
            if (!mark.lookingAt()) {
                throw notShard(in);
            }
            Shard shard = Shard.parse(mark.group(1)).orElseThrow(() -> notShard(in));
            Matcher m = JUNIT.matcher(rest.substring(mark.end()));
            if (!m.matches()) {
                throw new MergeException(in.name() + ": not a JUnit report written by hvprobe check");
            }
            parts.add(new Part(shard, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3)));
        }
        Map<Part, Shard> which = new IdentityHashMap<>();
        parts.forEach(p -> which.put(p, p.shard()));
        parts = ordered(inputs, parts, which, p -> MAPPER.nullNode());
        long tests = parts.stream().mapToLong(Part::tests).sum();
        long failures = parts.stream().mapToLong(Part::failures).sum();
        StringBuilder b = new StringBuilder(XML_DECLARATION).append("<testsuites name=\"hvprobe\" tests=\"")
                .append(tests).append("\" failures=\"").append(failures).append("\" errors=\"0\" time=\"0\">");
        parts.forEach(p -> b.append(p.suites()));
        b.append("\n</testsuites>\n");
        return new Merged(ReportFormat.JUNIT, b.toString(), failures > 0);
    }

    // ---- shared --------------------------------------------------------------------------------------------

    /**
     * {@code parts} in shard order; a {@link MergeException} unless they are shards 1..N of one N, each once, all
     * with the same {@code tool} (version).
     */
    private static <T> List<T> ordered(List<Input> inputs, List<T> parts, Map<T, Shard> which,
                                       java.util.function.Function<T, JsonNode> tool) throws MergeException {
        int count = which.get(parts.getFirst()).count();
        Map<Integer, String> seen = new TreeMap<>();
        for (int i = 0; i < parts.size(); i++) {
            Shard s = which.get(parts.get(i));
            String name = inputs.get(i).name();
            if (s.count() != count) {
                throw new MergeException(name + ": shard " + s + ", but " + inputs.getFirst().name() + " is one of "
                        + count);
            }
            String before = seen.put(s.index(), name);
            if (before != null) {
                throw new MergeException(name + " and " + before + " are both shard " + s);
            }
            if (!tool.apply(parts.get(i)).equals(tool.apply(parts.getFirst()))) {
                throw new MergeException(name + ": written by another hvprobe version than " + inputs.getFirst().name());
            }
        }
        if (seen.size() != count) {
            List<Integer> missing = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                if (!seen.containsKey(i)) {
                    missing.add(i);
                }
            }
            throw new MergeException("missing shard" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing.stream().map(i -> i + "/" + count).toList()));
        }
        return parts.stream().sorted(Comparator.comparingInt(p -> which.get(p).index())).toList();
    }

    private static Shard shardOf(Input in, JsonNode mark) throws MergeException {
        if (!mark.isTextual()) {
            throw notShard(in);
        }
        return Shard.parse(mark.asText()).orElseThrow(() -> notShard(in));
    }

    private static MergeException notShard(Input in) {
        return new MergeException(in.name() + ": not a shard report (no shard mark; write it with check --shard I/N)");
    }

    /** The format of a report: JUnit XML, SARIF (JSON with {@code $schema} and {@code runs}) or hvprobe JSON. */
    private static ReportFormat formatOf(Input in) throws MergeException {
        String t = in.text();
        if (t.startsWith(XML_DECLARATION)) {
            return ReportFormat.JUNIT;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(t);
        } catch (JsonProcessingException e) {
            throw new MergeException(in.name() + ": neither JSON nor JUnit XML ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
        if (root instanceof ObjectNode o && o.has("$schema") && o.path("runs").path(0).isObject()) {
            return ReportFormat.SARIF;
        }
        if (root instanceof ObjectNode o && o.path("tool").isObject() && o.path("results").isArray()) {
            return ReportFormat.JSON;
        }
        return ReportFormat.TEXT;
    }

    private static String word(ReportFormat f) {
        return f.name().toLowerCase(Locale.ROOT);
    }

    private static Optional<Severity> severity(String word) {
        return switch (word) {
            case "error" -> Optional.of(Severity.ERROR);
            case "warning" -> Optional.of(Severity.WARNING);
            case "note" -> Optional.of(Severity.NOTE);
            default -> Optional.empty();
        };
    }

    private static Optional<Severity> level(String word) {
        return severity(word);
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }
}
