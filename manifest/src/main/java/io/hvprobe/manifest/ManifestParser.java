package io.hvprobe.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Turns the manifest's YAML tree into entries; every error names the file and the entry. */
final class ManifestParser {
    private static final Set<String> FUNCTION_KEYS = Set.of("name", "unit", "variants", "signature", "args", "setup",
            "cpuid", "hypercalls", "return", "buffers-after", "findings", "bug", "not-manifest", "cell-findings",
            "return-if-not-manifest", "cells-return-unaffected", "qemu-vmport", "vmware-port-only", "note", "hv", "profiles");
    private static final Set<String> BLOCK_KEYS = Set.of("variants", "cpuid", "hypercalls", "return", "buffers-after",
            "findings", "not-manifest", "cell-findings", "return-if-not-manifest", "cells-return-unaffected", "note");
    private static final Set<String> HYPERCALL_KEYS = Set.of("command", "number", "sub", "arg1", "arg2", "arg3", "arg4",
            "arg5", "arg6", "out0", "out1", "out2", "out3", "out4", "out5", "repeat", "form", "port", "dx", "x7",
            "magic");
    private static final Set<String> MODELS = Set.of(Manifest.VMWARE, Manifest.KVM);
    private static final Set<String> SETUP_KEYS = Set.of("vmmouse-packets", "balloon-target", "guestinfo");
    private static final int MAX_REPEAT = 10_000;
    private static final int MAX_BUFFER = 1 << 20;

    private final String file;
    private String where = "";
    private int returnBits = 64;

    ManifestParser(String file) {
        this.file = file;
    }

    private ManifestException error(String what) {
        return new ManifestException(file + ": " + where + (where.isEmpty() ? "" : ": ") + what);
    }

    List<FunctionEntry> functions(JsonNode root) throws ManifestException {
        where = "";
        if (root == null || !root.isObject()) {
            throw error("not a YAML mapping");
        }
        String schema = root.path("schema").asText("");
        if (!schema.equals(Manifest.SCHEMA)) {
            throw error("schema is '" + schema + "', expected " + Manifest.SCHEMA);
        }
        JsonNode fns = root.get("functions");
        if (fns == null || !fns.isArray()) {
            throw error("'functions' must be a list");
        }
        List<FunctionEntry> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < fns.size(); i++) {
            JsonNode f = fns.get(i);
            where = "functions[" + i + "]" + (f.hasNonNull("name") ? " (" + f.get("name").asText() + ")" : "");
            FunctionEntry e = function(i, f);
            for (String v : e.variants()) {
                if (!seen.add(e.unit() + "-" + v + ":" + e.name())) {
                    throw error("duplicate entry for " + e.unit() + "-" + v + ".o");
                }
            }
            out.add(e);
        }
        return out;
    }

    private FunctionEntry function(int index, JsonNode f) throws ManifestException {
        if (!f.isObject()) {
            throw error("an entry must be a mapping");
        }
        checkKeys(f, FUNCTION_KEYS, "entry");
        String name = text(f, "name");
        String unit = text(f, "unit");
        List<String> variants = strings(f.get("variants"), "variants");
        for (String v : variants) {
            if (Manifest.archOf(v).isEmpty()) {
                throw error("unknown variant '" + v + "' (port, vmcall, vmmcall, tdx, mrs, hvc)");
            }
        }
        String signature = text(f, "signature");
        List<ArgumentSpec> args = args(f.get("args"));
        Map<String, String> setup = setup(f.get("setup"));
        returnBits = returnBits(signature);
        Expectations base = block(f, "");
        String hv = f.hasNonNull("hv") ? f.get("hv").asText() : Manifest.VMWARE;
        if (!MODELS.contains(hv)) {
            throw error("unknown hv '" + hv + "' (vmware, kvm)");
        }
        Map<String, Expectations> profiles = hv.equals(Manifest.VMWARE) ? vmwareBlocks(f) : modelProfiles(f, hv, setup);
        Optional<String> bug = f.hasNonNull("bug") ? Optional.of(f.get("bug").asText()) : Optional.empty();
        return new FunctionEntry(index, name, unit, variants, signature, returnBits(signature), args, setup, base,
                profiles, bug, hv);
    }

    /** A {@code vmware} entry's {@code qemu-vmport}/{@code vmware-port-only} blocks. */
    private Map<String, Expectations> vmwareBlocks(JsonNode f) throws ManifestException {
        if (f.has("profiles")) {
            throw error("'profiles' is for hv: kvm entries; a vmware entry uses qemu-vmport/vmware-port-only blocks");
        }
        Map<String, Expectations> profiles = new LinkedHashMap<>();
        for (String p : List.of(Manifest.QEMU_VMPORT, Manifest.VMWARE_PORT_ONLY)) {
            if (f.has(p)) {
                JsonNode b = f.get(p);
                if (!b.isObject()) {
                    throw error(p + " must be a mapping");
                }
                checkKeys(b, BLOCK_KEYS, p);
                profiles.put(p, block(b, p + "."));
            }
        }
        return profiles;
    }

    /**
     * Another model's entry: its {@code profiles:} map, profile name to block. The VMware blocks and set-up
     * vocabulary do not apply; the model itself rejects a profile it does not have when the scenario runs.
     */
    private Map<String, Expectations> modelProfiles(JsonNode f, String hv, Map<String, String> setup)
            throws ManifestException {
        for (String vmwareOnly : List.of(Manifest.QEMU_VMPORT, Manifest.VMWARE_PORT_ONLY)) {
            if (f.has(vmwareOnly)) {
                throw error("'" + vmwareOnly + "' is a vmware block; an hv: " + hv + " entry lists 'profiles'");
            }
        }
        if (!setup.isEmpty()) {
            throw error("setup is vmware model state; an hv: " + hv + " entry has none");
        }
        vmwareCallKeys(f, hv, "");
        JsonNode ps = f.get("profiles");
        if (ps == null || !ps.isObject() || ps.isEmpty()) {
            throw error("an hv: " + hv + " entry needs 'profiles', a mapping of profile name to expectations");
        }
        Map<String, Expectations> profiles = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            if (!p.getValue().isObject()) {
                throw error("profiles." + p.getKey() + " must be a mapping");
            }
            checkKeys(p.getValue(), BLOCK_KEYS, "profiles." + p.getKey());
            vmwareCallKeys(p.getValue(), hv, "profiles." + p.getKey() + ".");
            profiles.put(p.getKey(), block(p.getValue(), "profiles." + p.getKey() + "."));
        }
        return profiles;
    }

    private Expectations block(JsonNode b, String prefix) throws ManifestException {
        Optional<List<String>> variants = prefix.isEmpty() || !b.has("variants") ? Optional.empty()
                : Optional.of(strings(b.get("variants"), prefix + "variants"));
        Map<String, List<Long>> cpuid = new LinkedHashMap<>();
        if (b.has("cpuid")) {
            JsonNode c = b.get("cpuid");
            if (!c.isObject()) {
                throw error(prefix + "cpuid must map variants to leaf lists");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                cpuid.put(e.getKey(), numbers(e.getValue(), prefix + "cpuid." + e.getKey()));
            }
        }
        Optional<List<HypercallExpectation>> hypercalls = b.has("hypercalls")
                ? Optional.of(hypercalls(b.get("hypercalls"), prefix + "hypercalls")) : Optional.empty();
        ReturnExpectation ret = returns(b.get("return"), prefix + "return");
        Map<String, BufferExpectation> buffers = new LinkedHashMap<>();
        if (b.has("buffers-after")) {
            JsonNode ba = b.get("buffers-after");
            if (!ba.isObject()) {
                throw error(prefix + "buffers-after must map argument names to text or word lists");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = ba.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                buffers.put(e.getKey(), e.getValue().isArray()
                        ? new BufferExpectation.Words(numbers(e.getValue(), prefix + "buffers-after." + e.getKey()))
                        : new BufferExpectation.Text(e.getValue().asText()));
            }
        }
        Optional<List<FindingExpectation>> findings = b.has("findings")
                ? Optional.of(findings(b.get("findings"), prefix + "findings")) : Optional.empty();
        List<Expectations.CellRule> notManifest = new ArrayList<>();
        for (JsonNode n : list(b.get("not-manifest"), prefix + "not-manifest")) {
            notManifest.add(new Expectations.CellRule(cells(n, prefix + "not-manifest"), n.path("reason").asText("")));
        }
        List<Expectations.CellFindings> cellFindings = new ArrayList<>();
        for (JsonNode n : list(b.get("cell-findings"), prefix + "cell-findings")) {
            cellFindings.add(new Expectations.CellFindings(cells(n, prefix + "cell-findings"),
                    findings(n.get("findings"), prefix + "cell-findings.findings"), n.path("reason").asText("")));
        }
        OptionalLong rinm = b.hasNonNull("return-if-not-manifest")
                ? OptionalLong.of(number(b.get("return-if-not-manifest"), prefix + "return-if-not-manifest"))
                : OptionalLong.empty();
        List<String> unaffected = b.has("cells-return-unaffected")
                ? strings(b.get("cells-return-unaffected"), prefix + "cells-return-unaffected") : List.of();
        return new Expectations(variants, cpuid, hypercalls, ret, buffers, findings, notManifest, cellFindings, rinm,
                unaffected);
    }

    /** {@code hypercalls} and {@code cpuid} are checked in VMware backdoor terms (ECX command, EBX arg1 ...). */
    private void vmwareCallKeys(JsonNode b, String hv, String prefix) throws ManifestException {
        for (String key : List.of("hypercalls", "cpuid")) {
            if (b.has(key)) {
                throw error(prefix + key + " lists VMware backdoor calls; an hv: " + hv + " entry cannot list them");
            }
        }
    }

    private List<String> cells(JsonNode n, String key) throws ManifestException {
        if (!n.isObject() || !n.has("cells")) {
            throw error(key + " entries need 'cells'");
        }
        return strings(n.get("cells"), key + ".cells");
    }

    private List<ArgumentSpec> args(JsonNode a) throws ManifestException {
        List<ArgumentSpec> out = new ArrayList<>();
        for (JsonNode n : list(a, "args")) {
            String name = text(n, "name");
            String kind = n.path("kind").asText("");
            String key = "args." + name;
            switch (kind) {
                case "int" -> out.add(new ArgumentSpec.IntArg(name, number(n.get("value"), key + ".value")));
                case "buffer" -> {
                    long size = number(n.get("size"), key + ".size");
                    if (size <= 0 || size > MAX_BUFFER) {
                        throw error(key + ".size must be 1.." + MAX_BUFFER);
                    }
                    byte[] init;
                    if (n.has("init")) {
                        init = n.get("init").asText().getBytes(StandardCharsets.ISO_8859_1);
                        if (init.length > size) {
                            throw error(key + ".init is longer than the buffer");
                        }
                    } else {
                        long fill = n.has("fill") ? number(n.get("fill"), key + ".fill") : 0;
                        if (fill < 0 || fill > 0xFF) {
                            throw error(key + ".fill must be a byte");
                        }
                        init = new byte[(int) size];
                        java.util.Arrays.fill(init, (byte) fill);
                    }
                    long align = n.has("align") ? number(n.get("align"), key + ".align") : 16;
                    if (align < 1 || align > 4096 || Long.bitCount(align) != 1) {
                        throw error(key + ".align must be a power of two up to 4096");
                    }
                    out.add(new ArgumentSpec.BufferArg(name, (int) size, init, (int) Math.max(align, 16)));
                }
                default -> throw error(key + ".kind must be int or buffer, got '" + kind + "'");
            }
        }
        return out;
    }

    private Map<String, String> setup(JsonNode s) throws ManifestException {
        Map<String, String> out = new LinkedHashMap<>();
        if (s == null || s.isNull()) {
            return out;
        }
        if (!s.isObject()) {
            throw error("setup must be a mapping");
        }
        checkKeys(s, SETUP_KEYS, "setup");
        if (s.has("balloon-target")) {
            out.put("balloon-target", Long.toString(number(s.get("balloon-target"), "setup.balloon-target")));
        }
        if (s.has("vmmouse-packets")) {
            List<String> packets = new ArrayList<>();
            for (JsonNode p : list(s.get("vmmouse-packets"), "setup.vmmouse-packets")) {
                List<Long> words = numbers(p, "setup.vmmouse-packets");
                if (words.size() != 4) {
                    throw error("setup.vmmouse-packets: a packet is 4 words (buttons, x, y, wheel)");
                }
                packets.add(String.join(",", words.stream().map(w -> "0x" + Long.toHexString(w)).toList()));
            }
            out.put("vmmouse-packets", String.join(";", packets));
        }
        if (s.has("guestinfo")) {
            JsonNode g = s.get("guestinfo");
            if (!g.isObject()) {
                throw error("setup.guestinfo must be a mapping of guestinfo.<name> to a value");
            }
            List<String> entries = new ArrayList<>();
            for (var it = g.fields(); it.hasNext(); ) {
                var kv = it.next();
                String value = kv.getValue().asText();
                if (!kv.getKey().startsWith("guestinfo.") || kv.getKey().contains("=") || value.contains(";")) {
                    throw error("setup.guestinfo: keys are guestinfo.<name> and values hold no ';', got '"
                            + kv.getKey() + "'");
                }
                entries.add(kv.getKey() + "=" + value);
            }
            out.put("guestinfo", String.join(";", entries));
        }
        return out;
    }

    private List<HypercallExpectation> hypercalls(JsonNode h, String key) throws ManifestException {
        List<HypercallExpectation> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : list(h, key)) {
            String k = key + "[" + i++ + "]";
            if (!n.isObject()) {
                throw error(k + " must be a mapping");
            }
            checkKeys(n, HYPERCALL_KEYS, k);
            String command = text(n, "command");
            OptionalLong sub = OptionalLong.empty();
            if (n.has("sub")) {
                JsonNode s = n.get("sub");
                sub = s.isTextual() && !s.asText().matches("-?(0x)?[0-9a-fA-F_]+")
                        ? Subcommands.messageNumber(s.asText()) : OptionalLong.of(number(s, k + ".sub"));
                if (sub.isEmpty()) {
                    throw error(k + ".sub: unknown MESSAGE sub-command '" + s.asText() + "'");
                }
            }
            Map<Integer, Value> in = new LinkedHashMap<>();
            Map<Integer, Value> outs = new LinkedHashMap<>();
            for (int a = 1; a <= 6; a++) {
                if (n.has("arg" + a)) {
                    in.put(a, value(n.get("arg" + a), k + ".arg" + a));
                }
            }
            for (int o = 0; o <= 5; o++) {
                if (n.has("out" + o)) {
                    outs.put(o, value(n.get("out" + o), k + ".out" + o));
                }
            }
            Optional<String> form = n.has("form") ? Optional.of(n.get("form").asText().toUpperCase(Locale.ROOT))
                    : Optional.empty();
            if (form.isPresent() && !Set.of("VMCALL", "VMMCALL", "TDCALL", "IN", "OUT", "MRS", "HVC").contains(form.get())) {
                throw error(k + ".form: unknown form '" + form.get() + "'");
            }
            long repeat = n.has("repeat") ? number(n.get("repeat"), k + ".repeat") : 1;
            if (repeat < 1 || repeat > MAX_REPEAT) {
                throw error(k + ".repeat must be 1.." + MAX_REPEAT);
            }
            HypercallExpectation e = new HypercallExpectation(command, optNumber(n, "number", k), sub, in, outs, form,
                    optNumber(n, "port", k), optNumber(n, "dx", k), optNumber(n, "x7", k), optNumber(n, "magic", k));
            for (int r = 0; r < repeat; r++) {
                out.add(e);
            }
        }
        return out;
    }

    private List<FindingExpectation> findings(JsonNode f, String key) throws ManifestException {
        List<FindingExpectation> out = new ArrayList<>();
        for (JsonNode n : list(f, key)) {
            if (!n.isObject() || !n.hasNonNull("rule")) {
                throw error(key + ": every finding needs a rule");
            }
            List<String> rules = new ArrayList<>();
            rules.add(n.get("rule").asText());
            if (n.has("or")) {
                rules.addAll(strings(n.get("or"), key + ".or"));
            }
            String reg = n.path("register").asText("none").toLowerCase(Locale.ROOT);
            out.add(new FindingExpectation(rules, reg.equals("none") ? Optional.empty() : Optional.of(reg)));
        }
        return out;
    }

    private ReturnExpectation returns(JsonNode r, String key) throws ManifestException {
        if (r == null || r.isNull()) {
            return new ReturnExpectation.Unspecified();
        }
        if (r.isTextual() && r.asText().equals("any")) {
            return new ReturnExpectation.Any();
        }
        if (r.isTextual() && r.asText().equals("never")) {
            return new ReturnExpectation.Never();
        }
        return new ReturnExpectation.Exactly(number(r, key), returnBits);
    }

    private Value value(JsonNode n, String key) throws ManifestException {
        if (n.isTextual()) {
            String t = n.asText().trim();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(hi32|lo32|addr)\\((\\w+)\\)").matcher(t);
            if (m.matches()) {
                return switch (m.group(1)) {
                    case "hi32" -> new Value.Hi32(m.group(2));
                    case "lo32" -> new Value.Lo32(m.group(2));
                    default -> new Value.Addr(m.group(2));
                };
            }
            switch (t) {
                case "chan" -> {
                    return new Value.FromOpen(Value.FromOpen.Kind.CHAN);
                }
                case "cookie_hi" -> {
                    return new Value.FromOpen(Value.FromOpen.Kind.COOKIE_HI);
                }
                case "cookie_lo" -> {
                    return new Value.FromOpen(Value.FromOpen.Kind.COOKIE_LO);
                }
                default -> {
                }
            }
        }
        return new Value.Literal(number(n, key));
    }

    // ---- scalar helpers -----------------------------------------------------------------------------

    private OptionalLong optNumber(JsonNode n, String field, String key) throws ManifestException {
        return n.has(field) ? OptionalLong.of(number(n.get(field), key + "." + field)) : OptionalLong.empty();
    }

    long number(JsonNode n, String key) throws ManifestException {
        if (n == null || n.isNull()) {
            throw error(key + ": a number is required");
        }
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue().longValue();
        }
        String t = n.asText().trim().replace("_", "").toLowerCase(Locale.ROOT);
        try {
            boolean neg = t.startsWith("-");
            String d = neg ? t.substring(1) : t;
            long v = d.startsWith("0x") ? Long.parseUnsignedLong(d.substring(2), 16) : Long.parseLong(d);
            return neg ? -v : v;
        } catch (NumberFormatException e) {
            throw error(key + ": not a number: '" + n.asText() + "'");
        }
    }

    private List<Long> numbers(JsonNode n, String key) throws ManifestException {
        List<Long> out = new ArrayList<>();
        for (JsonNode x : list(n, key)) {
            out.add(number(x, key));
        }
        return out;
    }

    private String text(JsonNode n, String field) throws ManifestException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            throw error("'" + field + "' is required");
        }
        return v.asText();
    }

    private List<String> strings(JsonNode n, String key) throws ManifestException {
        List<String> out = new ArrayList<>();
        for (JsonNode x : list(n, key)) {
            out.add(x.asText());
        }
        return out;
    }

    private List<JsonNode> list(JsonNode n, String key) throws ManifestException {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw error(key + " must be a list");
        }
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    private void checkKeys(JsonNode n, Set<String> known, String what) throws ManifestException {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw error("unknown key '" + k + "' in " + what);
            }
        }
    }

    /** 32 for an {@code int}/{@code unsigned int} (or narrower) return type, else 64. */
    static int returnBits(String signature) {
        int paren = signature.indexOf('(');
        String head = (paren < 0 ? signature : signature.substring(0, paren)).trim();
        int sp = head.lastIndexOf(' ');
        String type = sp < 0 ? head : head.substring(0, sp).trim();
        return type.contains("long") || type.contains("64") || type.contains("*") || type.contains("size_t") ? 64 : 32;
    }
}
