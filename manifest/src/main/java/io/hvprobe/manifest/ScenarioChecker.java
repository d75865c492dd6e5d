package io.hvprobe.manifest;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Severity;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Compares one verification with its scenario (docs/samples.md semantics). */
final class ScenarioChecker {
    private static final int MAX_MISMATCHES = 40;
    private static final List<GuestRegister> X86_ARGS = List.of(X86Register.RAX, X86Register.RBX, X86Register.RCX,
            X86Register.RDX, X86Register.RSI, X86Register.RDI, X86Register.RBP);
    private static final List<GuestRegister> TDX_ARGS = List.of(X86Register.R12, X86Register.RBX, X86Register.R13,
            X86Register.RDX, X86Register.RSI, X86Register.RDI);
    private static final List<GuestRegister> ARM64_ARGS = List.of(Arm64Register.X0, Arm64Register.X1, Arm64Register.X2,
            Arm64Register.X3, Arm64Register.X4, Arm64Register.X5, Arm64Register.X6);

    private final Scenario s;
    private final Verifier verifier;
    private final Probe probe;
    private final Verification v;
    private final RunResult run;
    private final Arch arch;
    private final List<Mismatch> mismatches = new ArrayList<>();
    /** Mismatches an unconfirmed finding can explain (return value, buffers). */
    private final List<Mismatch> explainable = new ArrayList<>();
    private boolean expectationFailed;
    private long chan = -1;
    private long cookieHi = -1;
    private long cookieLo = -1;

    ScenarioChecker(Scenario s, Verifier verifier, Probe probe, Verification v) {
        this.s = s;
        this.verifier = verifier;
        this.probe = probe;
        this.v = v;
        this.run = v.run();
        this.arch = probe.machine().arch();
    }

    ScenarioResult check() throws UnknownFunctionException {
        if (run.inconclusive()) {
            // The wall-clock guard ended the run: no expectation is checked, the result carries the note only.
            return new ScenarioResult(s, Optional.of(v), List.of(), v.findings(), List.of(), List.of(), List.of(),
                    List.of());
        }
        checkReturn();
        checkBuffers();
        checkCpuid();
        checkHypercalls();
        List<LocatedFinding> findings = new ArrayList<>(v.findings().stream().filter(ScenarioChecker::reported).toList());
        List<LocatedFinding> promoted = List.of();
        if (expectationFailed && !v.unconfirmed().isEmpty()) {
            promoted = verifier.explain(probe, s.call(), v.unconfirmed(), this::intendedOutcome);
            findings.addAll(promoted);
        }
        List<FindingExpectation> found = new ArrayList<>();
        List<FindingExpectation> missing = new ArrayList<>();
        for (FindingExpectation e : s.findings()) {
            (findings.stream().anyMatch(f -> e.matches(f, arch)) ? found : missing).add(e);
        }
        List<LocatedFinding> unexpected = findings.stream()
                .filter(f -> s.findings().stream().noneMatch(e -> e.matches(f, arch))).toList();
        boolean explained = unexpected.stream().anyMatch(promoted::contains);
        List<Mismatch> all = new ArrayList<>();
        if (!explained) {
            all.addAll(explainable);
        }
        all.addAll(mismatches);
        for (FindingExpectation e : missing) {
            all.add(new Mismatch(s.id(), "finding", e.toString(), "no such finding" + seenRules(e)));
        }
        for (LocatedFinding f : unexpected) {
            all.add(new Mismatch(s.id() + " at " + f.site().location(), "finding", "none",
                    f.finding().ruleId() + register(f) + (promoted.contains(f) ? " (promoted: the call's result differs)" : "")
                            + ": " + f.finding().message() + evidence(f)));
        }
        if (all.size() > MAX_MISMATCHES) {
            int more = all.size() - MAX_MISMATCHES;
            all = new ArrayList<>(all.subList(0, MAX_MISMATCHES));
            all.add(new Mismatch(s.id(), "more", "-", more + " further mismatches"));
        }
        // Notes about limits the analysis hit are no expectation's business, but the report must say them.
        findings.addAll(v.findings().stream().filter(ScenarioChecker::limitNote).toList());
        return new ScenarioResult(s, Optional.of(v), all, findings, promoted, found, missing, unexpected);
    }

    /** What correct code would do: return the intended value and leave the expected buffer contents. */
    private boolean intendedOutcome(RunResult r) {
        if (s.intendedReturn() instanceof ReturnExpectation.Never) {
            return r.call() instanceof CallResult.Faulted f
                    && f.fault().kind() == io.hvprobe.guest.Fault.Kind.NO_RETURN;
        }
        if (!(r.call() instanceof CallResult.Returned ret)) {
            return false;
        }
        if (s.intendedReturn() instanceof ReturnExpectation.Exactly i && !i.matches(ret.value())) {
            return false;
        }
        for (Map.Entry<String, BufferExpectation> e : s.buffersAfter().entrySet()) {
            int idx = s.argumentIndex(e.getKey());
            byte[] b = idx < 0 ? null : r.call().buffers().get(idx);
            if (b == null || !e.getValue().matches(b)) {
                return false;
            }
        }
        return true;
    }

    private String seenRules(FindingExpectation e) {
        List<String> same = v.findings().stream().filter(f -> e.rules().contains(f.finding().ruleId()))
                .map(f -> f.finding().ruleId() + register(f)).distinct().toList();
        return same.isEmpty() ? "" : " (saw " + String.join(", ", same) + ")";
    }

    /** The evidence that says why, for findings whose message alone does not. */
    private static String evidence(LocatedFinding f) {
        String d = f.finding().evidence().get("difference");
        return d == null ? "" : " [" + d + "; consumed at " + f.finding().evidence().get("consumed-at") + "]";
    }

    private static String register(LocatedFinding f) {
        String r = f.finding().evidence().get("register");
        return r == null ? "" : "@" + r;
    }

    /** The note a work budget or the wall-clock guard leaves when it ends an analysis early. */
    private static boolean limitNote(LocatedFinding f) {
        String rule = f.finding().ruleId();
        return rule.equals(io.hvprobe.verify.VerifyOptions.WORK_BUDGET_RULE) || rule.equals(RunResult.INCONCLUSIVE_RULE);
    }

    /** Errors and warnings count; notes (cost) never do. */
    private static boolean reported(LocatedFinding f) {
        return f.finding().severity() != Severity.NOTE;
    }

    // ---- return value and buffers ------------------------------------------------------------------

    private void checkReturn() {
        if (!(run.call() instanceof CallResult.Returned ret)) {
            CallResult.Faulted f = (CallResult.Faulted) run.call();
            boolean noReturn = f.fault().kind() == io.hvprobe.guest.Fault.Kind.NO_RETURN;
            if (s.expectedReturn() instanceof ReturnExpectation.Never) {
                if (!noReturn) {
                    expectationFailed = true;
                    mismatches.add(new Mismatch(s.id(), "return", "never (a call that does not return)",
                            "no return: " + f.fault().describe()));
                }
                return;
            }
            boolean faultExpected = s.findings().stream().anyMatch(e -> e.rules().stream()
                    .anyMatch(r -> r.equals("hvprobe.fault") || r.equals("hvprobe.budget")
                            || r.equals("hvprobe.unhandled-trap")));
            if (!faultExpected && s.expectedReturn().checked()) {
                expectationFailed = true;
                mismatches.add(new Mismatch(s.id(), "return", show(s.expectedReturn(), 0),
                        "no return: " + f.fault().describe()));
            }
            return;
        }
        long raw = ret.value();
        if (s.expectedReturn() instanceof ReturnExpectation.Never) {
            expectationFailed = true;
            mismatches.add(new Mismatch(s.id(), "return", "never (a call that does not return)",
                    "returned 0x" + Long.toHexString(raw)));
            return;
        }
        if (s.intendedReturn() instanceof ReturnExpectation.Exactly i && !i.matches(raw)) {
            expectationFailed = true;
        }
        if (s.expectedReturn() instanceof ReturnExpectation.Exactly e && !e.matches(raw)) {
            expectationFailed = true;
            explainable.add(new Mismatch(s.id(), "return", e.show(e.value()), e.show(raw)));
        }
    }

    private static String show(ReturnExpectation r, long ignored) {
        return r instanceof ReturnExpectation.Exactly e ? e.show(e.value()) : "a return";
    }

    private void checkBuffers() {
        if (!run.returned()) {
            return;
        }
        for (Map.Entry<String, BufferExpectation> e : s.buffersAfter().entrySet()) {
            int i = s.argumentIndex(e.getKey());
            byte[] actual = i < 0 ? null : run.call().buffers().get(i);
            if (actual == null) {
                mismatches.add(new Mismatch(s.id(), "buffers-after." + e.getKey(), "a buffer argument", "none"));
                continue;
            }
            if (!e.getValue().matches(actual)) {
                expectationFailed = true;
                explainable.add(new Mismatch(s.id(), "buffer " + e.getKey(), e.getValue().toString(),
                        BufferExpectation.render(e.getValue(), actual)));
            }
        }
    }

    // ---- CPUID and hypercalls ----------------------------------------------------------------------

    private void checkCpuid() {
        if (s.cpuid().isEmpty()) {
            return;
        }
        List<Long> leaves = run.hypercalls().stream().filter(r -> r.event().form() == TrapForm.CPUID)
                .map(r -> ((TrapDetail.Cpuid) r.event().detail()).leaf() & 0xFFFF_FFFFL).toList();
        if (!leaves.equals(s.cpuid().get())) {
            mismatches.add(new Mismatch(s.id(), "cpuid leaves", hexList(s.cpuid().get()), hexList(leaves)));
        }
    }

    private static String hexList(List<Long> l) {
        return l.stream().map(x -> "0x" + Long.toHexString(x)).toList().toString();
    }

    private void checkHypercalls() {
        if (s.hypercalls().isEmpty()) {
            return;
        }
        boolean stopped = !run.returned() && s.findings().stream().anyMatch(e -> e.rules().contains("hvprobe.fault"));
        List<HypercallExpectation> want = s.hypercalls().get();
        List<HypercallRecord> seen = run.hypercalls().stream().filter(ScenarioChecker::backdoorCall).toList();
        int n = Math.min(want.size(), seen.size());
        for (int i = 0; i < n; i++) {
            compare(i, want.get(i), seen.get(i));
        }
        // A call that stops at an expected fault makes only the calls before it.
        if (seen.size() != want.size() && !(stopped && seen.size() < want.size())) {
            String detail = seen.size() > want.size()
                    ? "extra from #" + want.size() + ": " + seen.get(want.size()).command()
                    : "missing from #" + seen.size() + ": " + want.get(seen.size()).label();
            mismatches.add(new Mismatch(s.id(), "hypercall count", Integer.toString(want.size()),
                    seen.size() + " (" + detail + ")"));
        }
    }

    /** Backdoor calls the manifest lists: handled traps other than CPUID and RDPMC. */
    private static boolean backdoorCall(HypercallRecord r) {
        return r.handled() && r.event().form().category() != TrapForm.Category.CPU_QUERY;
    }

    private void compare(int i, HypercallExpectation e, HypercallRecord r) {
        String where = s.id() + " hypercall #" + i + " " + e.label() + " at "
                + probe.siteOf(r.event().pc()).location();
        List<GuestRegister> regs = switch (r.event().form()) {
            case TDCALL -> TDX_ARGS;
            case IN, OUT, INS, OUTS, VMCALL, VMMCALL, CPUID, RDPMC -> X86_ARGS;
            case HVC, SMC, BRK, MRS, MSR -> ARM64_ARGS;
        };
        String form = formOf(r.event().form());
        String wantForm = e.form().map(f -> f.equals("IN") || f.equals("OUT") ? "PORT" : f)
                .orElse(defaultForm(s.object().variant()));
        if (!form.equals(wantForm)) {
            mismatches.add(new Mismatch(where, "form", wantForm, form));
        }
        long arg2 = in(r, regs, 2);
        if (e.highBandwidth()) {
            String dir = e.command().equals("HB-OUT") ? "HB_OUT" : "HB_IN";
            if (!r.command().contains(dir)) {
                mismatches.add(new Mismatch(where, "command", e.command(), r.command()));
            }
        }
        e.number().ifPresent(num -> field(where, "number", num, arg2 & 0xFFFF));
        e.sub().ifPresent(sub -> field(where, "sub", sub, (arg2 >>> 16) & 0xFFFF));
        e.magic().ifPresent(m -> field(where, "magic", m & 0xFFFF_FFFFL, in(r, regs, 0)));
        e.dx().ifPresent(dx -> field(where, "dx", dx & 0xFFFF_FFFFL, r.event().registers().get(X86Register.RDX)
                & 0xFFFF_FFFFL));
        e.x7().ifPresent(x7 -> field(where, "x7", x7, r.event().registers().get(Arm64Register.X7)));
        e.port().ifPresent(port -> field(where, "port", port, r.event().detail() instanceof TrapDetail.Io io
                ? io.port() : in(r, regs, 3) & 0xFFFF));
        for (Map.Entry<Integer, Value> a : e.inputs().entrySet()) {
            int idx = a.getKey();
            if (idx >= regs.size()) {
                mismatches.add(new Mismatch(where, "arg" + idx, a.getValue().toString(), "no such register on this path"));
                continue;
            }
            long mask = idx == 3 ? 0xFFFF_0000L : 0xFFFF_FFFFL;
            resolve(a.getValue(), where, "arg" + idx).ifPresent(want -> {
                long got = in(r, regs, idx);
                if ((got & mask) != (want & mask)) {
                    expectationFailed = true;
                    mismatches.add(new Mismatch(where, "arg" + idx + " (" + regs.get(idx).displayName() + ")",
                            hex(want & mask) + " (" + a.getValue() + ")", hex(got & mask)));
                }
            });
        }
        for (Map.Entry<Integer, Value> o : e.outputs().entrySet()) {
            int idx = o.getKey();
            resolve(o.getValue(), where, "out" + idx).ifPresent(want -> {
                long got = r.after().get(regs.get(idx)) & 0xFFFF_FFFFL;
                if (got != (want & 0xFFFF_FFFFL)) {
                    mismatches.add(new Mismatch(where, "out" + idx + " (" + regs.get(idx).displayName() + ")",
                            hex(want & 0xFFFF_FFFFL), hex(got)));
                }
            });
        }
        if (e.command().equals("MESSAGE") && e.sub().orElse(-1) == 0) {
            chan = r.after().get(regs.get(3)) & 0xFFFF_0000L;
            cookieHi = r.after().get(regs.get(4)) & 0xFFFF_FFFFL;
            cookieLo = r.after().get(regs.get(5)) & 0xFFFF_FFFFL;
        }
    }

    private void field(String where, String what, long want, long got) {
        if (want != got) {
            mismatches.add(new Mismatch(where, what, hex(want), hex(got)));
        }
    }

    private static long in(HypercallRecord r, List<GuestRegister> regs, int idx) {
        return r.event().registers().get(regs.get(idx)) & 0xFFFF_FFFFL;
    }

    private OptionalLong resolveLong(Value value) {
        return switch (value) {
            case Value.Literal l -> OptionalLong.of(l.value());
            case Value.Addr a -> address(a.argument());
            case Value.Hi32 h -> address(h.argument()).stream().map(x -> x >>> 32).findFirst();
            case Value.Lo32 l -> address(l.argument()).stream().map(x -> x & 0xFFFF_FFFFL).findFirst();
            case Value.FromOpen f -> {
                long x = switch (f.kind()) {
                    case CHAN -> chan;
                    case COOKIE_HI -> cookieHi;
                    case COOKIE_LO -> cookieLo;
                };
                yield x < 0 ? OptionalLong.empty() : OptionalLong.of(x);
            }
        };
    }

    private Optional<Long> resolve(Value value, String where, String what) {
        OptionalLong x = resolveLong(value);
        if (x.isEmpty()) {
            mismatches.add(new Mismatch(where, what, value.toString(),
                    value instanceof Value.FromOpen ? "no MESSAGE.OPEN before it" : "no such buffer argument"));
            return Optional.empty();
        }
        return Optional.of(x.getAsLong());
    }

    private OptionalLong address(String argument) {
        int i = s.argumentIndex(argument);
        if (i < 0) {
            return OptionalLong.empty();
        }
        Long a = GuestMachine.bufferAddresses(s.call().arguments(), probe.options().machine().heapSize()).get(i);
        return a == null ? OptionalLong.empty() : OptionalLong.of(a);
    }

    private static String formOf(TrapForm f) {
        return switch (f.category()) {
            case PORT_IO -> "PORT";
            case HYPERCALL, CPU_QUERY, EXCEPTION_CALL, SYSTEM_REGISTER -> f.name();
        };
    }

    private static String defaultForm(String variant) {
        return switch (variant) {
            case "vmcall" -> "VMCALL";
            case "vmmcall" -> "VMMCALL";
            case "tdx" -> "TDCALL";
            case "mrs" -> "MRS";
            case "hvc" -> "HVC";
            default -> "PORT";
        };
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
