#!/usr/bin/python3
"""Aggregates a JFR recording's samples by stack, for BENCHMARKS.md.

    jfr print --json --stack-depth 64 --events jdk.ExecutionSample REC.jfr | jfr_stacks.py [--depth D] [--top N]
    jfr print --json --stack-depth 64 --events jdk.ObjectAllocationSample REC.jfr | jfr_stacks.py --weight

Prints, per group, the share of samples (or of allocated bytes with --weight): the top frames (self), and the
io.hvprobe frames inclusive (a method counted once per sample when anywhere on the stack).
"""
import collections
import json
import sys


def frame_name(f):
    m = f["method"]
    return ("%s.%s" % (m["type"]["name"], m["name"])).replace("/", ".")


def main(argv):
    depth, top, weighted = 3, 25, "--weight" in argv
    if "--depth" in argv:
        depth = int(argv[argv.index("--depth") + 1])
    if "--top" in argv:
        top = int(argv[argv.index("--top") + 1])
    events = json.load(sys.stdin)["recording"]["events"]
    self_stacks = collections.Counter()
    inclusive = collections.Counter()
    total = 0
    for e in events:
        st = e["values"].get("stackTrace")
        if not st:
            continue
        w = e["values"].get("weight", 1) if weighted else 1
        frames = [frame_name(f) for f in st["frames"]]
        total += w
        self_stacks[" <- ".join(frames[:depth])] += w
        for name in set(frames):
            if name.startswith("io.hvprobe"):
                inclusive[name] += w
    unit = "bytes" if weighted else "samples"
    print("total %d %s" % (total, unit))
    print("\n## top stacks (self, %d frames)" % depth)
    for s, c in self_stacks.most_common(top):
        print("%5.1f%%  %s" % (100.0 * c / total, s))
    print("\n## io.hvprobe methods, inclusive")
    for s, c in inclusive.most_common(top):
        print("%5.1f%%  %s" % (100.0 * c / total, s))


if __name__ == "__main__":
    main(sys.argv)
