#!/usr/bin/python3
"""Prints the table of figures and ratios of one bench/run (markdown), from the files in its result folder.

    report.py bench/target/run
"""
import json
import os
import sys


def load_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def kv(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                out[k] = v
    return out


def verdict(value, target):
    if value >= target:
        return "met"
    return "MISSED by %.0f×" % (target / value) if target / value >= 10 else "MISSED by %.1f×" % (target / value)


def main(run):
    m = kv(os.path.join(run, "machine.txt"))
    print("# hvprobe benchmarks")
    print()
    print("Machine: %s, %s vCPUs, %s; JDK %s; libunicorn2 %s; python3-unicorn %s." % (
        m.get("cpu", "?"), m.get("nproc", "?"), m.get("mem", "?"), m.get("jdk", "?"), m.get("unicorn", "?"),
        m.get("python3_unicorn", "?")))
    print("Date %s, commit %s. Load average (1/5/15 min) before: %s, after: %s." % (
        m.get("date", "?"), m.get("commit", "?"), m.get("load_before", "?"), m.get("load_after", "?")))
    print()

    peers = {(p["peer"], p["arch"], p["workload"]): p for p in load_jsonl(os.path.join(run, "peers.jsonl"))}
    jmh = []
    if os.path.exists(os.path.join(run, "jmh.json")):
        jmh = json.load(open(os.path.join(run, "jmh.json")))

    def jmh_rate(name, arch):
        for b in jmh:
            if b["benchmark"].endswith("." + name) and b["params"]["arch"].lower() == arch:
                score_ms = b["primaryMetric"]["score"]
                err_ms = num(b["primaryMetric"]["scoreError"])
                if "calls" in b["params"]:
                    ops = int(b["params"]["calls"])
                else:
                    ops = 5 * int(b["params"]["iterations"]) + 5
                return ops / (score_ms / 1000.0), err_ms / score_ms if score_ms else 0.0, ops
        return None, None, None

    def peer_rate(peer, arch, workload):
        p = peers.get((peer, arch, workload))
        if not p:
            return None, None
        return p["ops"] / p["median_s"], p

    for workload, bench, unit, c_target, py_target, title in (
            ("hypercall", "HypercallBenchmark.roundTrips", "M hypercalls/s", 0.25, 20, "Hypercall round trip"),
            ("trace", "TraceBenchmark.traceToFile", "M traced instructions/s", 0.5, 50,
             "Instruction trace (register deltas + cached disassembly, written to a file)")):
        print("## %s (%s; higher is better)" % (title, unit))
        print()
        print("| arch | C limit | Python peer | hvprobe (full path) | hvprobe / C (target ≥ %s) | "
              "hvprobe / Python (target ≥ %d) |" % (c_target, py_target))
        print("|---|---:|---:|---:|---|---|")
        for arch in ("x86_64", "arm64"):
            c, _ = peer_rate("c", arch, workload)
            py, pyd = peer_rate("python", arch, workload)
            hv, err, ops = jmh_rate(bench, arch)
            if None in (c, py, hv):
                print("| %s | %s | %s | %s | (missing) | (missing) |" % (arch, c, py, hv))
                continue
            print("| %s | %.3f | %.4f | %.3f (± %.0f %%) | %.3f — %s | %.1f — %s |" % (
                arch, c / 1e6, py / 1e6, hv / 1e6, 100 * err, hv / c, verdict(hv / c, c_target), hv / py,
                verdict(hv / py, py_target)))
            if workload == "hypercall":
                hb, errb, _ = jmh_rate("HypercallBoundedLogBenchmark.roundTrips", arch)
                if hb is not None:
                    print("| %s, GuestMachine + TrapInterceptor, 1,000-record log | %.3f | %.4f | %.3f (± %.0f %%) | "
                          "%.3f — %s | %.1f — %s |" % (arch, c / 1e6, py / 1e6, hb / 1e6, 100 * errb, hb / c,
                                                       verdict(hb / c, c_target), hb / py,
                                                       verdict(hb / py, py_target)))
        n = next((p["n"] for p in peers.values() if p["workload"] == workload), "?")
        ops = next((p["ops"] for p in peers.values() if p["workload"] == workload), "?")
        reg = next((p.get("reg_read") for p in peers.values() if p["workload"] == workload and p["peer"] == "python"),
                   "?")
        print()
        print("n = %s (%s operations per call, the same guest bytes on every side); C: median of %s runs, Python: "
              "median of %s runs (register reads: %s), hvprobe: JMH average." % (
                  n, ops, next((p["reps"] for p in peers.values() if p["peer"] == "c"), "?"),
                  next((p["reps"] for p in peers.values() if p["peer"] == "python"), "?"), reg))
        print()

    cpu = {r["arch"]: r for r in load_jsonl(os.path.join(run, "roundtrip-cpu.jsonl"))} \
        if os.path.exists(os.path.join(run, "roundtrip-cpu.jsonl")) else {}
    if cpu:
        print("## Hypercall round trip in CPU time (ns per hypercall; lower is better)")
        print()
        print("| arch | C limit (best run) | Python peer (median) | hvprobe, thread CPU (median) | allocated per "
              "hypercall | C / hvprobe (target ≥ 0.25) | Python / hvprobe (target ≥ 20) |")
        print("|---|---:|---:|---:|---:|---|---|")
        for arch in ("x86_64", "arm64"):
            c = peers.get(("c", arch, "hypercall"))
            py = peers.get(("python", arch, "hypercall"))
            hv = cpu.get(arch)
            if None in (c, py, hv):
                print("| %s | (missing) | | | | | |" % arch)
                continue
            c_ns = 1e9 * c["best_s"] / c["ops"]
            py_ns = 1e9 * py["median_s"] / py["ops"]
            hv_ns = hv["cpu_ns_median"]
            print("| %s | %.0f | %.0f | %.0f | %.0f B | %.3f — %s | %.1f — %s |" % (
                arch, c_ns, py_ns, hv_ns, hv["bytes_median"], c_ns / hv_ns, verdict(c_ns / hv_ns, 0.25),
                py_ns / hv_ns, verdict(py_ns / hv_ns, 20)))
        print()
        print("hvprobe: `RoundTripCpu`, the emulating thread's CPU time over `Probe.run(hc_loop(n))` (JIT and GC "
              "threads excluded), which load moves far less than wall time; the peers time `uc_emu_start` in wall "
              "time, the C peer's best of its runs standing for its CPU time.")
        print()

    split = []
    for arch in ("x86_64", "arm64"):
        f, _, ops = jmh_rate("TraceBenchmark.traceToFile", arch)
        d, _, _ = jmh_rate("TraceBenchmark.traceToDiscard", arch)
        hook = next((b["primaryMetric"]["score"] for b in jmh if b["benchmark"].endswith(".tracedInstruction")
                     and b["params"]["arch"].lower() == arch), None)
        c, _ = peer_rate("c", arch, "trace")
        if None not in (f, d, hook, c):
            split.append((arch, 1e9 / c, hook, 1e9 / d, 1e9 / f))
    if split:
        print("## Where a traced instruction's time goes (ns per instruction)")
        print()
        print("| arch | C limit (hook + batch read) | hvprobe binding (CodeHookBenchmark: hook + batch read) | "
              "+ Tracer (discard sink) | + JSONL file (full path) |")
        print("|---|---:|---:|---:|---:|")
        for row in split:
            print("| %s | %.0f | %.0f | %.0f | %.0f |" % row)
        print()

    cpu = {(r["arch"], r["side"]): r["best_ns"] for r in load_jsonl(os.path.join(run, "trace-cpu.jsonl"))}
    if cpu:
        print("## Traced instructions on CPU time (ns per instruction; C: process CPU of 31 runs / instructions, "
              "hvprobe: best thread CPU of 21 calls after 10)")
        print()
        print("| arch | C limit (hook + batch read) | hvprobe code hook alone | + batch read | + Tracer (discard) | "
              "+ JSONL to a null stream | + JSONL file (full path) | hvprobe / C (target ≥ 0.5) |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for arch in ("x86_64", "arm64"):
            row = [cpu.get((arch, s)) for s in ("c", "upcall", "binding", "discard", "format", "file")]
            if None in row:
                print("| %s | (missing) |||||||" % arch)
                continue
            ratio = row[0] / row[5]
            print("| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f — %s |" % (
                (arch,) + tuple(row) + (ratio, verdict(ratio, 0.5))))
        print()

    files = {r["arch"]: r for r in load_jsonl(os.path.join(run, "trace-cpu.jsonl")) if r["side"] == "file"}
    writers = {r["arch"]: r for r in load_jsonl(os.path.join(run, "trace-cpu.jsonl")) if r["side"] == "writer"}
    if any("wall_best_ns" in r for r in files.values()):
        print("## Traced instructions to a JSONL file on wall time (the throughput; ns per instruction; the writer "
              "runs on a second thread once a trace passes 4,096 calls)")
        print()
        print("| arch | C limit, wall (best of 31) | hvprobe wall (best of 21) | emulating thread CPU | writer thread "
              "CPU | process CPU (all threads, mean) | hvprobe / C on wall time (target ≥ 0.5) |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for arch in ("x86_64", "arm64"):
            c = peers.get(("c", arch, "trace"))
            r = files.get(arch)
            if c is None or r is None or "wall_best_ns" not in r:
                print("| %s | (missing) |||||||" % arch)
                continue
            c_ns = c["best_s"] * 1e9 / c["ops"]
            ratio = c_ns / r["wall_best_ns"]
            w = writers.get(arch)
            print("| %s | %.0f | %.0f | %.0f | %s | %.0f | %.2f — %s |" % (
                arch, c_ns, r["wall_best_ns"], r["best_ns"], "%.0f" % w["best_ns"] if w else "–", r["process_ns"],
                ratio, verdict(ratio, 0.5)))
        print()
        print("Wall time needs an idle machine (load average in machine.txt): the trace's two threads and the C "
              "peer each need a core of their own.")
        print()

    verify = {}
    for b in jmh:
        if ".VerifyBenchmark." in b["benchmark"]:
            q = b["params"]
            key = (q["arch"].lower(), q["workload"], int(q["instructions"]))
            verify.setdefault(key, {})[b["benchmark"].rsplit(".", 1)[-1]] = b["primaryMetric"]["score"]
    if verify:
        print("## Verification against a plain run (VerifyBenchmark, ms per call; target verify / plain ≤ 3)")
        print()
        print("| arch | workload | path (instructions) | plain | verify | verify / plain |")
        print("|---|---|---:|---:|---:|---|")
        for (arch, workload, n), r in sorted(verify.items()):
            if "plain" in r and "verify" in r:
                ratio = r["verify"] / r["plain"]
                print("| %s | %s | %d | %.2f | %.2f | %.1f — %s |" % (
                    arch, workload, n, r["plain"], r["verify"], ratio,
                    "met" if ratio <= 3 else "MISSED by %.1f×" % (ratio / 3)))
        print()
        print("dense: hc_loop, a GETVERSION every 7 (x86_64) / 8 (arm64) instructions; late: work_then_hc, "
              "arithmetic and one GETVERSION at the end.")
        print()

    verify_cpu = os.path.join(run, "verify-cpu.jsonl")
    if os.path.exists(verify_cpu):
        print("## Verification against a plain run in CPU time (VerifyCpu, ms of the emulating thread, best of 5; "
              "target verify / plain ≤ 3)")
        print()
        print("| arch | workload | path (instructions) | plain | verify | verify / plain |")
        print("|---|---|---:|---:|---:|---|")
        for r in load_jsonl(verify_cpu):
            ratio = r["verify_over_plain"]
            print("| %s | %s | %d | %.2f | %.2f | %.1f — %s |" % (
                r["arch"], r["workload"], r["instructions"], r["plain_ms_best"], r["verify_ms_best"], ratio,
                "met" if ratio <= 3 else "MISSED by %.1f×" % (ratio / 3)))
        print()

    lin = os.path.join(run, "check-linearity.json")
    if os.path.exists(lin):
        res = {r["command"]: r for r in json.load(open(lin))["results"]}
        print("## `check` cost against object size (synthetic objects, hyperfine mean of 5 runs)")
        print()
        print("| object | trap functions | size of .text | wall (s) | marginal cost per function vs 1x (ms) |")
        print("|---|---:|---:|---:|---:|")
        base = res.get("1x")
        for k in ("1x", "4x", "16x"):
            r = res.get(k)
            if not r:
                continue
            funcs = 25 * int(k[:-1])
            text = text_size(os.path.join(run, "synthetic", "synth-%s.o" % k[:-1]))
            marginal = "—" if k == "1x" else "%.2f" % (1000 * (r["mean"] - base["mean"]) / (funcs - 25))
            print("| synth-%s.o | %d | %s | %.3f ± %.3f | %s |" % (k, funcs, text, r["mean"], r["stddev"], marginal))
        print()

    mx = os.path.join(run, "matrix.txt")
    if os.path.exists(mx):
        runs = [kv_line(line) for line in open(mx) if line.startswith("wall_s=")]
        objects = kv(mx).get("objects", "?")
        if runs:
            walls = sorted(float(r["wall_s"]) for r in runs)
            rss = max(int(r["max_rss_kib"]) for r in runs)
            print("## `check` over the firmware-samples matrix (%s objects, --manifest, --jobs 2, "
                  "HVPROBE_JAVA_OPTS=-Xmx512m)" % objects)
            print()
            print("| runs | wall (s), median | wall (s), all | max RSS | exit codes |")
            print("|---:|---:|---|---:|---|")
            print("| %d | %.2f | %s | %.0f MiB | %s |" % (len(runs), walls[len(walls) // 2],
                                                       ", ".join("%.2f" % w for w in walls), rss / 1024,
                                                       ", ".join(r["exit"] for r in runs)))
            print()

    cs = os.path.join(run, "cold-start.json")
    if os.path.exists(cs):
        print("## CLI cold start: `check` of one small object (hyperfine, 15 runs, CDS archive present; target < 1 s)")
        print()
        print("| command | mean wall (s) | σ (s) | min (s) | CPU user+sys (s) | verdict |")
        print("|---|---:|---:|---:|---:|---|")
        for r in json.load(open(cs))["results"]:
            target = r["command"].startswith("hvprobe check")
            print("| %s | %.3f | %.3f | %.3f | %.3f | %s |" % (
                r["command"], r["mean"], r["stddev"], r["min"], r["user"] + r["system"],
                ("met" if r["mean"] < 1.0 else "MISSED") if target else "—"))
        print()

    mem = load_jsonl(os.path.join(run, "memory.jsonl"))
    if mem:
        print("## Memory after n hypercalls on one engine (full GC first; -Xms512m -Xmx512m -XX:+AlwaysPreTouch)")
        print()
        print("| set-up | arch | n | log records kept | heap used (MiB) | VmRSS (MiB) | JVM native, non-heap (NMT, MiB) |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for r in mem:
            print("| %s | %s | %d | %d | %.1f | %.1f | %.1f |" % (
                r["setup"], r["arch"], r["n"], r["logRecords"], r["heapUsedAfterGc"] / 1048576.0,
                r["vmRssKiB"] / 1024.0, r["nmtNonHeapCommittedKiB"] / 1024.0))
        print()

    micro = [b for b in jmh if any(k in b["benchmark"] for k in ("TrapRoundTrip", "CodeHook", "FfmTransition"))]
    if micro:
        print("## Binding and FFM micro-benchmarks (ns/op)")
        print()
        print("| benchmark | arch | score | error (99.9 %) |")
        print("|---|---|---:|---:|")
        for b in micro:
            print("| %s | %s | %.1f | ± %.1f |" % (b["benchmark"].rsplit(".", 2)[-2] + "." +
                                                 b["benchmark"].rsplit(".", 1)[-1],
                                                 b.get("params", {}).get("arch", "X86_64"),
                                                 b["primaryMetric"]["score"], num(b["primaryMetric"]["scoreError"])))
        print()


def num(v):
    """JMH writes "NaN" (a string) for the error of a single iteration."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def kv_line(line):
    return dict(part.split("=", 1) for part in line.split())


def text_size(obj):
    try:
        import subprocess
        out = subprocess.run(["size", "-A", obj], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith(".text"):
                return "%d B" % int(line.split()[1])
    except (OSError, subprocess.CalledProcessError, ValueError):
        pass
    return "?"


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/target/run")
