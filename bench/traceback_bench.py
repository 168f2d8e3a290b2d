#!/usr/bin/env python3
"""`exitlens traceback` on large inputs: wall time and peak RSS (docs/PERFORMANCE.md, "Large tracebacks").

Three inputs of about 50 MB each:
  goroutines  the real GOTRACEBACK=system traceback of bench/workloads/many_goroutines.go with
              enough parked goroutines to reach the size (a few buckets of identical stacks);
  deep        one goroutine with 2,000,000 frames (what a paste of a runaway recursion looks like
              when nothing elided it);
  distinct    goroutines whose stacks are all different (no two in one bucket): the worst case
              for collapsing.
Each is parsed by `exitlens traceback --json` and by the text mode under /usr/bin/time -v.

  bench/traceback_bench.py [--exitlens build/ci/app/exitlens] [--workload build/ci/bench/many_goroutines]
                           [--baseline OTHER_EXITLENS] [--keep DIR]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

TARGET_BYTES = 50 * 1000 * 1000


def goroutines_input(workload, path):
    # ~0.88 kB per goroutine with GOTRACEBACK=system (bench_goinsight's figures): aim a bit high.
    count = 57000
    while True:
        env = dict(os.environ, GOTRACEBACK="system")
        with open(path, "wb") as out:
            subprocess.run([workload, str(count)], stdout=subprocess.DEVNULL, stderr=out, env=env, check=False)
        size = os.path.getsize(path)
        if size >= TARGET_BYTES or count > 200000:
            return "%d goroutines" % (count + 1)
        count = int(count * TARGET_BYTES / size) + 100


def deep_input(path):
    frames = 2000000
    with open(path, "w") as out:
        out.write("runtime: goroutine stack exceeds 1000000000-byte limit\n")
        out.write("fatal error: stack overflow\n\ngoroutine 1 [running]:\n")
        for i in range(frames):
            out.write("main.f%d()\n\t/a.go:%d +0x1\n" % (i % 10, i % 10 + 3))
        out.write("main.main()\n\t/a.go:1 +0x1\n")
    return "1 goroutine, %d frames" % (frames + 1)


def distinct_input(path):
    written = 0
    count = 0
    with open(path, "w") as out:
        out.write("panic: distinct\n\n")
        while written < TARGET_BYTES:
            block = ("goroutine %d [chan receive]:\nexample.com/app/worker.handle%d(0xc000010000, 0x%x)\n"
                     "\t/src/app/worker/handle.go:%d +0x1d5\nexample.com/app/worker.run()\n"
                     "\t/src/app/worker/run.go:40 +0x45\ncreated by example.com/app.main in goroutine 1\n"
                     "\t/src/app/main.go:12 +0x25\n\n" % (count + 1, count, count, count % 5000 + 1))
            out.write(block)
            written += len(block)
            count += 1
    return "%d goroutines" % count


def measure(exitlens, path, json):
    command = ["/usr/bin/time", "-v", exitlens, "traceback"] + (["--json"] if json else []) + [path]
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", result.stderr).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    cpu = float(re.search(r"User time \(seconds\): (\S+)", result.stderr).group(1)) + float(
        re.search(r"System time \(seconds\): (\S+)", result.stderr).group(1))
    return seconds, cpu, rss / 1024.0, result.returncode


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser()
    parser.add_argument("--exitlens", default=os.path.join(root, "build/ci/app/exitlens"))
    parser.add_argument("--workload", default=os.path.join(root, "build/ci/bench/many_goroutines"))
    parser.add_argument("--baseline", help="another exitlens binary to measure the same way (e.g. main's)")
    parser.add_argument("--keep", help="write the inputs into this folder and keep them")
    parser.add_argument("--only", help="measure only this input (goroutines, deep, distinct)")
    args = parser.parse_args()

    folder = args.keep or tempfile.mkdtemp(prefix="exitlens-traceback-bench-")
    os.makedirs(folder, exist_ok=True)
    inputs = []
    for name, make in (("goroutines", lambda p: goroutines_input(args.workload, p)), ("deep", deep_input),
                       ("distinct", distinct_input)):
        if args.only and name != args.only:
            continue
        path = os.path.join(folder, name + ".txt")
        what = make(path)
        inputs.append((name, path, what))

    binaries = [("this", args.exitlens)] + ([("baseline", args.baseline)] if args.baseline else [])
    print("%-10s %-30s %8s  %-8s %-5s %9s %9s %10s %6s" % ("input", "content", "MB", "binary", "mode", "wall s",
                                                            "cpu s", "peak MB", "exit"))
    for name, path, what in inputs:
        size = os.path.getsize(path) / 1e6
        for label, binary in binaries:
            for json in (True, False):
                seconds, cpu, rss, code = measure(binary, path, json)
                print("%-10s %-30s %8.1f  %-8s %-5s %9.2f %9.2f %10.0f %6d" % (name, what, size, label,
                                                                                "json" if json else "text", seconds,
                                                                                cpu, rss, code))
                sys.stdout.flush()
    if not args.keep:
        for _, path, _ in inputs:
            os.unlink(path)
        os.rmdir(folder)


if __name__ == "__main__":
    main()
