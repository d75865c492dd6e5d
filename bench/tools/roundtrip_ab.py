#!/usr/bin/python3
"""Compares benchmark jars on the hypercall round trip: JVMs of RoundTripCpu, the jars in turn, several rounds.

    roundtrip_ab.py ARCH ROUNDS JAR [JAR ...] [--guests DIR] [--n N] [--warm W] [--runs R] [--java JAVA]

Each JVM prints the median and best thread CPU per hypercall of its R measured runs (after W warm-ups); one JVM's
median moves by 10-20 ns from the next one's (JIT decisions, the other processes on the machine), which is as much
as most single changes to the trap path gain. This prints, per jar, the median of its JVMs' medians and bests with
their range, and the load average before and after, so that two jars are compared on the same minutes and the
same machine state. Raw lines go to stderr.
"""
import json
import os
import statistics
import subprocess
import sys


def option(argv, name, default):
    if name in argv:
        i = argv.index(name)
        value = argv[i + 1]
        del argv[i:i + 2]
        return value
    return default


def main(argv):
    argv = list(argv[1:])
    guests = option(argv, "--guests", "bench/target/guests")
    n = option(argv, "--n", "100000")
    warm = option(argv, "--warm", "5")
    runs = option(argv, "--runs", "11")
    java = option(argv, "--java", os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java"))
    if len(argv) < 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    arch, rounds, jars = argv[0], int(argv[1]), argv[2:]
    load_before = os.getloadavg()
    results = {jar: [] for jar in jars}
    for _ in range(rounds):
        for jar in jars:
            out = subprocess.run([java, "--enable-native-access=ALL-UNNAMED", "-Dhvprobe.bench.guests=" + guests,
                                  "-cp", jar, "io.hvprobe.bench.RoundTripCpu", arch, n, warm, runs],
                                 capture_output=True, text=True, check=True).stdout
            line = json.loads(out.strip().splitlines()[-1])
            print(jar, json.dumps(line), file=sys.stderr)
            results[jar].append(line)
    load_after = os.getloadavg()
    print("%s, %d rounds of %s/%s runs, load average %.1f -> %.1f" % (arch, rounds, warm, runs, load_before[0],
                                                                      load_after[0]))
    for jar, lines in results.items():
        medians = [x["cpu_ns_median"] for x in lines]
        bests = [x["cpu_ns_best"] for x in lines]
        print("%-40s median of medians %6.1f ns (%.0f-%.0f), median of bests %6.1f ns, %.1f B per hypercall"
              % (jar, statistics.median(medians), min(medians), max(medians), statistics.median(bests),
                 statistics.median(x["bytes_median"] for x in lines)))


if __name__ == "__main__":
    main(sys.argv)
