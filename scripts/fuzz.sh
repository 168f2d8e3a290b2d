#!/usr/bin/env bash
# Builds the libFuzzer harnesses (the `fuzz` preset: clang, ASan + UBSan) and runs each for a
# bounded time on seed corpora made here: the filter language's examples and hostile shapes, the
# Go tracebacks under tests/data, and real small session files recorded with the ci build's
# `exitlens run --session` (finished ones and one whose capture was SIGKILLed). Prints, per
# harness: mutants tried, crashes, hangs, out-of-memory, clean rejections, peak memory
# (docs/reliability.md). Exits 1 on any finding, with its input and stack; 77 when clang or
# libFuzzer is not installed (scripts/setup.sh installs them).
#
# Usage: scripts/fuzz.sh [--seconds N] [--exitlens BIN] [--fixtures DIR] [--work DIR] [--no-build]
#   --seconds N     time per harness (default 60)
#   --exitlens BIN  the exitlens that records the session seeds (default: build/ci/app/exitlens)
#   --fixtures DIR  the test programs it records (default: build/ci/tests/programs)
#   --work DIR      keep corpora, logs and findings there (default: a temporary folder, removed)
#   --no-build      use the harnesses already in build/fuzz
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=60
exitlens="$root/build/ci/app/exitlens"
fixtures="$root/build/ci/tests/programs"
work=""
build=1
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --exitlens) exitlens=$2; shift 2 ;;
    --fixtures) fixtures=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "scripts/fuzz.sh: unknown argument '$1' (see the comment at the top)" >&2; exit 2 ;;
    esac
done

if ! command -v clang++-14 >/dev/null ||
    [ ! -e "$(clang++-14 -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a" ]; then
    echo "scripts/fuzz.sh: clang-14 with libFuzzer (libclang-rt-14-dev) is not installed: skipped" >&2
    exit 77
fi

keep=1
if [ -z "$work" ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/exitlens-fuzz.XXXXXX")
    keep=0
fi
mkdir -p "$work"
cleanup() { [ "$keep" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT

cd "$root"
if [ "$build" = 1 ]; then
    echo "== building the fuzz preset (build/fuzz)"
    if ! { cmake --preset fuzz && cmake --build --preset fuzz -j 2; } >"$work/build.log" 2>&1; then
        tail -n 40 "$work/build.log" >&2
        echo "scripts/fuzz.sh: the fuzz preset did not build (log above)" >&2
        exit 1
    fi
fi
bin="$root/build/fuzz/fuzz"

# --- seed corpora -------------------------------------------------------------------------------
seeds="$work/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/filter" "$seeds/traceback" "$seeds/session"
n=0
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    n=$((n + 1))
    printf '%s' "$line" >"$seeds/filter/seed$n"
done <"$root/fuzz/seeds/filter.txt"
# Nesting around the bound (FilterParser::kMaxNesting = 256) and past it.
printf '%s' "$(printf '(%.0s' $(seq 256))failed$(printf ')%.0s' $(seq 256))" >"$seeds/filter/nest256"
printf '%s' "$(printf '!%.0s' $(seq 300))failed" >"$seeds/filter/not300"
cp "$root"/tests/data/tracebacks/*.txt "$seeds/traceback/"

if [ -x "$exitlens" ]; then
    # Real sessions of small programs: an exit code, a failed open, a Go panic, children.
    for program in exit_code missing_file panic spawn_children; do
        if [ -x "$fixtures/$program" ]; then
            (cd "$work" && timeout 60 "$exitlens" run --quiet --session "$seeds/session/$program.exitlens" \
                -- "$fixtures/$program" >/dev/null 2>&1) || true
        fi
    done
    [ -x "$fixtures/missing_file" ] || (cd "$work" && timeout 60 "$exitlens" run --quiet \
        --session "$seeds/session/true.exitlens" -- /bin/true >/dev/null 2>&1) || true
    # A capture SIGKILLed while its program writes to stdout: an unfinished session.
    if [ -x "$fixtures/big_output" ]; then
        (cd "$work" && exec "$exitlens" run --quiet --session "$seeds/session/killed.exitlens" \
            -- "$fixtures/big_output" >/dev/null 2>&1) &
        killed=$!
        sleep 1
        kill -KILL "$killed" 2>/dev/null || true
        wait "$killed" 2>/dev/null || true
        # Only the file itself is a seed: its -wal stays beside it for the loader to find.
        rm -f "$seeds/session/killed.exitlens-wal" "$seeds/session/killed.exitlens-shm"
    fi
    rm -f "$seeds"/session/*-wal "$seeds"/session/*-shm "$seeds"/session/*-journal
else
    echo "scripts/fuzz.sh: no exitlens at $exitlens: the session harness starts from an empty corpus" >&2
fi
sessionMax=4096
for seed in "$seeds"/session/*; do
    [ -f "$seed" ] || continue
    size=$(stat -c %s "$seed")
    [ "$size" -gt "$sessionMax" ] && sessionMax=$size
done

# --- runs -----------------------------------------------------------------------------------------
# name | per-input time bound (s) | max input length | extra flags
targets=(
    "filter|10|4096|-dict=$root/fuzz/filter.dict"
    "traceback|10|65536|"
    "session|30|$sessionMax|"
)
status=0
report="$work/report.md"
{
    echo "| harness | seconds | mutants tried | crashes | hangs (> bound) | out of memory | clean rejections | accepted | peak memory |"
    echo "|---|---|---|---|---|---|---|---|---|"
} >"$report"
for target in "${targets[@]}"; do
    IFS='|' read -r name bound maxlen flags <<<"$target"
    corpus="$work/corpus/$name"
    artifacts="$work/findings/$name"
    mkdir -p "$corpus" "$artifacts"
    log="$work/$name.log"
    echo "== fuzz_$name for ${seconds}s (seeds: $(ls "$seeds/$name" | wc -l))"
    set +e
    # shellcheck disable=SC2086 # flags is a word list on purpose
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1:allocator_may_return_null=1" \
        UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        "$bin/fuzz_$name" -max_total_time="$seconds" -timeout="$bound" -rss_limit_mb=2048 \
        -max_len="$maxlen" -print_final_stats=1 -artifact_prefix="$artifacts/" $flags \
        "$corpus" "$seeds/$name" >"$log" 2>&1
    rc=$?
    set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    accepted=$(sed -n "s/^fuzz-stats: $name accepted=\([0-9]*\).*/\1/p" "$log" | tail -n 1)
    rejected=$(sed -n "s/^fuzz-stats: $name .*rejected=\([0-9]*\).*/\1/p" "$log" | tail -n 1)
    crashes=$(find "$artifacts" \( -name 'crash-*' -o -name 'leak-*' \) | wc -l)
    hangs=$(find "$artifacts" -name 'timeout-*' | wc -l)
    ooms=$(find "$artifacts" -name 'oom-*' | wc -l)
    echo "| fuzz_$name | $seconds | ${runs:-?} | $crashes | $hangs (> ${bound} s) | $ooms | ${rejected:-?} | ${accepted:-?} | ${peak:-?} MB |" >>"$report"
    if [ "$rc" != 0 ] || [ "$crashes" != 0 ] || [ "$hangs" != 0 ] || [ "$ooms" != 0 ]; then
        status=1
        echo "scripts/fuzz.sh: fuzz_$name found something (exit $rc); the end of its log:" >&2
        grep -v '^#[0-9]' "$log" | tail -n 60 >&2
        for finding in "$artifacts"/*; do
            [ -f "$finding" ] || continue
            echo "--- input $finding ($(stat -c %s "$finding") bytes), base64 of its first 600 bytes:" >&2
            head -c 600 "$finding" | base64 >&2
        done
        if [ "$keep" = 0 ]; then
            keep=1
            echo "scripts/fuzz.sh: corpora, logs and findings are kept in $work" >&2
        fi
    fi
done
cat "$report"
if [ "$status" = 0 ]; then
    echo "fuzz: $(grep -c '^| fuzz_' "$report") harnesses, no crash, hang or out-of-memory"
fi
exit "$status"
