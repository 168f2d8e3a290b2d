#!/usr/bin/env python3
"""Benchmark ExitLens against untraced runs and strace.

Runs each workload (syscall_heavy, process_heavy, cpu_heavy) under several
configurations, interleaved round-robin so that slow drifts of the machine
affect every configuration alike, and writes a Markdown report with median
wall times, slowdown ratios, event counts and a check of the performance
targets. Standard library only.

Example:
    python3 bench/run_bench.py --exitlens build/app/exitlens \
        --workloads build/bench --runs 5 --output docs/PERFORMANCE.md
"""

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

WORKLOADS = ["syscall_heavy", "process_heavy", "cpu_heavy"]

DEFAULT = "exitlens"
FULL = "exitlens --full"
CAPTURE = "exitlens --capture process,signal"
STRACE = "strace -f"
STRACE_BPF = "strace --seccomp-bpf"
UNTRACED = "untraced"
# bench/ptrace_floor.c: the least a ptrace follower costs (reference rows, not targets).
FLOOR = "ptrace floor"
FLOOR_STOPS = "ptrace floor + clone/execve stops"

# (name, extra exitlens options or None for non-exitlens configurations)
CONFIGS = [
    (UNTRACED, None),
    (DEFAULT, []),
    (FULL, ["--full"]),
    (CAPTURE, ["--capture", "process,signal"]),
    (STRACE, None),
    (STRACE_BPF, None),
    (FLOOR, None),
    (FLOOR_STOPS, None),
]

# Set by main(): the ptrace_floor binary beside the workloads, or None when it was not built.
floor_binary = None

RUN_TIMEOUT_S = 900


def build_command(config, exitlens, workload_cmd, json_path):
    name, extra = config
    if extra is not None:
        return [exitlens, "run", "--quiet", "--json", json_path] + extra + ["--"] + workload_cmd
    if name == UNTRACED:
        return list(workload_cmd)
    if name == STRACE:
        return ["strace", "-f", "-o", "/dev/null"] + workload_cmd
    if name == STRACE_BPF:
        return ["strace", "-f", "--seccomp-bpf",
                "-e", "trace=%file,%process,%signal,%net",
                "-o", "/dev/null"] + workload_cmd
    if name == FLOOR:
        return [floor_binary, "--"] + workload_cmd
    if name == FLOOR_STOPS:
        return [floor_binary, "--stop-on", "clone,clone3,execve", "--"] + workload_cmd
    raise ValueError(name)


def run_once(cmd):
    """Run cmd with output discarded. Returns (seconds, error or None)."""
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    except OSError as exc:
        return 0.0, "cannot execute %s: %s" % (cmd[0], exc.strerror or exc)
    # A blocking wait, with the time limit enforced by a timer: subprocess's wait(timeout=...)
    # polls with sleeps of up to 50 ms, which rounded every run up to the next poll (process_heavy
    # took 0.217, 0.267, 0.317... s: steps of 50 ms on a 0.3 s workload).
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        proc.kill()

    timer = threading.Timer(RUN_TIMEOUT_S, kill)
    timer.start()
    try:
        returncode = proc.wait()
    finally:
        timer.cancel()
    elapsed = time.perf_counter() - start
    if timed_out.is_set():
        return elapsed, "timed out after %d s" % RUN_TIMEOUT_S
    if returncode < 0:
        return elapsed, "killed by signal %d" % -returncode
    if returncode != 0:
        return elapsed, "exit code %d" % returncode
    return elapsed, None


def read_stats(json_path):
    """Returns ((events, store_bytes), None) or (None, error)."""
    try:
        with open(json_path, "r", encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        return None, "JSON result missing"
    except (OSError, ValueError) as exc:
        return None, "JSON result unreadable: %s" % exc
    try:
        stats = doc["stats"]
        return (int(stats["events"]), int(stats["store_bytes"])), None
    except (KeyError, TypeError, ValueError):
        return None, "JSON result lacks stats.events/stats.store_bytes"


class Result:
    """Measurements of one configuration of one workload."""

    def __init__(self, name, is_exitlens):
        self.name = name
        self.is_exitlens = is_exitlens
        self.times = []      # wall times of successful runs
        self.by_round = {}   # round number -> wall time, for ratios within a round
        self.stats = []      # (events, store_bytes) of successful exitlens runs
        self.failures = []   # "run N: reason"

    def median_time(self):
        return statistics.median(self.times) if self.times else None

    def paired_ratio(self, untraced):
        """Median over rounds of this run's time / the untraced run's time in the same round.

        The host's speed drifts between rounds (other tenants); within a round the
        configurations run back to back, so a per-round ratio cancels most of the drift."""
        ratios = [t / untraced.by_round[r] for r, t in self.by_round.items()
                  if untraced.by_round.get(r)]
        return statistics.median(ratios) if ratios else None


def measure_workload(workload, binary, exitlens, runs, strace_ok):
    results = [Result(name, extra is not None) for name, extra in CONFIGS]
    scratch = tempfile.mkdtemp(prefix="exitlens-bench-")
    try:
        for run in range(1, runs + 1):
            for config, result in zip(CONFIGS, results):
                if config[0] in (STRACE, STRACE_BPF) and not strace_ok:
                    if run == 1:
                        result.failures.append("strace not installed")
                    continue
                if config[0] in (FLOOR, FLOOR_STOPS) and floor_binary is None:
                    if run == 1:
                        result.failures.append("ptrace_floor not built")
                    continue
                workdir = None
                workload_cmd = [binary]
                if workload == "syscall_heavy":
                    workdir = tempfile.mkdtemp(prefix="syscall_heavy-", dir=scratch)
                    workload_cmd.append(workdir)
                json_path = os.path.join(scratch, "result.json")
                if os.path.exists(json_path):
                    os.unlink(json_path)
                cmd = build_command(config, exitlens, workload_cmd, json_path)
                elapsed, error = run_once(cmd)
                if workdir:
                    shutil.rmtree(workdir, ignore_errors=True)
                stats = None
                if error is None and result.is_exitlens:
                    # A run without a usable JSON result did not demonstrably
                    # trace anything, so its time is not counted either.
                    stats, error = read_stats(json_path)
                status = "%.3f s" % elapsed if error is None else "FAILED (%s)" % error
                print("  %-14s run %d/%d  %-36s %s" % (workload, run, runs, config[0], status),
                      file=sys.stderr, flush=True)
                if error is not None:
                    result.failures.append("run %d: %s" % (run, error))
                    continue
                result.times.append(elapsed)
                result.by_round[run] = elapsed
                if stats is not None:
                    result.stats.append(stats)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


# ---------------------------------------------------------------------------
# Machine description


def read_first(path, key):
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def command_output(cmd):
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, timeout=30).stdout
        return out.strip().splitlines()[0] if out.strip() else "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "not available"


def machine_info():
    mem = read_first("/proc/meminfo", "MemTotal")
    if mem.endswith(" kB"):
        mem = "%.1f GiB" % (int(mem[:-3]) / (1024 * 1024))
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count()
    return [
        ("CPU", read_first("/proc/cpuinfo", "model name")),
        ("CPUs (nproc)", str(cpus)),
        ("Memory", mem),
        ("Kernel", platform.release()),
        ("strace", command_output(["strace", "-V"])),
        ("Go", command_output(["go", "version"])),
    ]


# ---------------------------------------------------------------------------
# Report


def fmt_ratio(value):
    return "%.2fx" % value if value is not None else "n/a"


def workload_table(workload, results, runs):
    untraced = results[0].median_time()
    lines = [
        "## %s" % workload,
        "",
        "| configuration | median s | ratio vs untraced | paired ratio | events | events/s | bytes/event |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    ratios = {}
    for result in results:
        median = result.median_time()
        ratio = median / untraced if median is not None and untraced else None
        paired = result.paired_ratio(results[0])
        ratios[result.name] = (ratio, paired)
        if median is None:
            cells = ["FAILED", "n/a", "n/a"]
        else:
            cells = ["%.3f" % median, fmt_ratio(ratio), fmt_ratio(paired)]
            if len(result.times) < runs:
                cells[0] += " (%d/%d runs)" % (len(result.times), runs)
        if not result.is_exitlens:
            cells += ["-", "-", "-"]
        elif not result.stats:
            cells += ["no data", "n/a", "n/a"]
        else:
            events = statistics.median(s[0] for s in result.stats)
            store = statistics.median(s[1] for s in result.stats)
            rate = "%.0f" % (events / median) if median else "n/a"
            per_event = "%.1f" % (store / events) if events else "n/a"
            cells += ["%.0f" % events, rate, per_event]
        name = "`%s`" % result.name
        if result.failures:
            name += " [%d]" % (len(notes) + 1)
            notes.append("%s: %s" % (result.name, "; ".join(result.failures)))
        lines.append("| %s | %s |" % (name, " | ".join(cells)))
    lines.append("")
    for i, note in enumerate(notes, 1):
        lines.append("[%d] %s  " % (i, note))
    if notes:
        lines.append("")
    return lines, ratios


def target_lines(all_ratios):
    def check(label, pairs):
        """pairs: list of (workload, (ratio, paired ratio), limit, limit description).

        A target is met only when both estimates meet it: the ratio of the medians and the
        median of the per-round ratios."""
        figures = []
        verdict = "met"
        for workload, estimates, limit, limit_text in pairs:
            ratio, paired = estimates if estimates else (None, None)
            if ratio is None or paired is None or limit is None:
                verdict = "unknown" if verdict == "met" else verdict
                figures.append("%s: no data" % workload)
                continue
            ok = max(ratio, paired) <= limit
            if not ok:
                verdict = "NOT met"
            figures.append("%s: %s (paired %s) %s %s" % (workload, fmt_ratio(ratio), fmt_ratio(paired),
                                                         "<=" if ok else ">", limit_text))
        return "- %s: **%s** (%s)" % (label, verdict, "; ".join(figures))

    def strace_limit(workload):
        """strace --seccomp-bpf's own cost on the workload, by the same two estimates."""
        estimates = all_ratios[workload].get(STRACE_BPF)
        if not estimates or None in estimates:
            return None, "strace --seccomp-bpf n/a"
        return min(estimates), "strace --seccomp-bpf %s (paired %s)" % (fmt_ratio(estimates[0]),
                                                                        fmt_ratio(estimates[1]))

    workloads = list(all_ratios)
    lines = ["## Targets", ""]
    lines.append(check(
        "default `exitlens` no slower than `strace --seccomp-bpf` on every workload",
        [(w, all_ratios[w].get(DEFAULT)) + strace_limit(w) for w in workloads]))
    if "process_heavy" in all_ratios:
        lines.append(check("default `exitlens` <= 1.5x on process_heavy",
                           [("process_heavy", all_ratios["process_heavy"].get(DEFAULT),
                             1.5, "1.50x")]))
    if "cpu_heavy" in all_ratios:
        lines.append(check("default `exitlens` within 5% (<= 1.05x) on cpu_heavy",
                           [("cpu_heavy", all_ratios["cpu_heavy"].get(DEFAULT),
                             1.05, "1.05x")]))
    lines.append(check("`exitlens --capture process,signal` <= 1.2x on every workload",
                       [(w, all_ratios[w].get(CAPTURE), 1.2, "1.20x") for w in workloads]))
    floors = []
    for w in workloads:
        bare, stops = all_ratios[w].get(FLOOR), all_ratios[w].get(FLOOR_STOPS)
        if bare and stops and None not in bare + stops:
            floors.append("%s: %s, with clone/execve stops %s (paired %s, %s)" % (
                w, fmt_ratio(bare[0]), fmt_ratio(stops[0]), fmt_ratio(bare[1]), fmt_ratio(stops[1])))
    if floors:
        lines.append("- reference, not a target: the ptrace floor (%s)" % "; ".join(floors))
    lines.append("")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exitlens", required=True, help="path of the exitlens binary")
    parser.add_argument("--workloads", required=True,
                        help="folder with the built workloads " + ", ".join(WORKLOADS))
    parser.add_argument("--runs", type=int, default=5, help="runs per configuration (default 5)")
    parser.add_argument("--output", default="docs/PERFORMANCE.md", help="Markdown file to write")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    exitlens = os.path.abspath(args.exitlens)
    if not os.access(exitlens, os.X_OK):
        print("warning: %s is not executable; exitlens runs will be recorded as failures"
              % exitlens, file=sys.stderr)
    strace_ok = shutil.which("strace") is not None
    if not strace_ok:
        print("warning: strace not found; strace configurations are skipped", file=sys.stderr)

    global floor_binary
    floor = os.path.abspath(os.path.join(args.workloads, "ptrace_floor"))
    floor_binary = floor if os.access(floor, os.X_OK) else None
    if floor_binary is None:
        print("warning: %s not found; the ptrace floor rows are skipped" % floor, file=sys.stderr)

    available = []
    for workload in WORKLOADS:
        binary = os.path.abspath(os.path.join(args.workloads, workload))
        if os.access(binary, os.X_OK):
            available.append((workload, binary))
        else:
            print("warning: workload %s not found, skipped" % binary, file=sys.stderr)
    if not available:
        print("error: no workload binaries in %s" % args.workloads, file=sys.stderr)
        return 2

    started = datetime.datetime.now(datetime.timezone.utc)
    body = []
    all_ratios = {}
    for workload, binary in available:
        print("%s:" % workload, file=sys.stderr, flush=True)
        results = measure_workload(workload, binary, exitlens, args.runs, strace_ok)
        lines, ratios = workload_table(workload, results, args.runs)
        body += lines
        all_ratios[workload] = ratios

    skipped = [w for w in WORKLOADS if w not in all_ratios]
    report = [
        "# ExitLens performance",
        "",
        "Date (UTC): %s" % started.strftime("%Y-%m-%d %H:%M"),
        "",
        "## Machine",
        "",
    ]
    report += ["- %s: %s" % item for item in machine_info()]
    report += [
        "",
        "## Method",
        "",
        "Command line:",
        "",
        "```",
        shlex.join([os.path.basename(sys.executable)] + sys.argv),
        "```",
        "",
        "Each configuration ran %d time(s) per workload, interleaved round-robin; the "
        "table shows the median wall-clock time (output discarded). The paired ratio is "
        "the median over rounds of each run's time divided by the untraced run's in the "
        "same round, which cancels the host's drift between rounds; a target counts as "
        "met only when both the ratio of medians and the paired ratio meet it. events/s "
        "is events divided by the median time; bytes/event is stats.store_bytes divided "
        "by stats.events from the exitlens JSON result. The ptrace floor rows run "
        "bench/ptrace_floor.c, a tracer that follows every child like ExitLens but records "
        "nothing and resumes each stop at once, alone and with seccomp stops at clone, "
        "clone3 and execve (the stops `--capture process,signal` keeps): what the kernel's "
        "stops cost on this machine whatever a tracer does with them." % args.runs,
        "",
    ]
    if skipped:
        report += ["Skipped (binary missing): %s" % ", ".join(skipped), ""]
    report += body + target_lines(all_ratios)

    out_dir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(out_dir, exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as fh:
        fh.write("\n".join(report).rstrip("\n") + "\n")
    print("wrote %s" % args.output, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
