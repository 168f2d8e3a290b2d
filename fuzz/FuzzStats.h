#pragma once

#include <atomic>
#include <cstdio>
#include <cstdlib>

// What a harness counts beside libFuzzer's own figures (runs, peak memory): how many inputs were
// accepted and how many were rejected with a message. A rejection without a message is a finding
// (every harness aborts on it), so "rejected" counts clean rejections only. Printed at exit, in
// the line scripts/fuzz.sh reads: "fuzz-stats: NAME accepted=N rejected=N".
class FuzzStats {
public:
    explicit FuzzStats(const char* name)
        : m_name(name)
    {
        instance() = this;
        std::atexit([] {
            if (FuzzStats* stats = instance())
                std::fprintf(stderr, "fuzz-stats: %s accepted=%llu rejected=%llu\n", stats->m_name,
                    static_cast<unsigned long long>(stats->accepted.load()),
                    static_cast<unsigned long long>(stats->rejected.load()));
        });
    }

    std::atomic<unsigned long long> accepted { 0 };
    std::atomic<unsigned long long> rejected { 0 };

private:
    static FuzzStats*& instance()
    {
        static FuzzStats* current = nullptr;
        return current;
    }
    const char* m_name;
};

// A broken promise of the code under test: reported as a crash, with the reason on stderr.
#define FUZZ_REQUIRE(condition, what)                                                                                  \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            std::fprintf(stderr, "fuzz: broken promise: %s (%s)\n", what, #condition);                                 \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (false)
