#pragma once

#include "SessionInfo.h"
#include "diagnosis/Verdict.h"
#include "model/CaptureData.h"

#include <QString>

namespace exitlens {

// The shareable report: one self-contained HTML file (inline style, no scripts, no external
// assets) with the verdict and its evidence, the target, the process tree, the key events, the
// tail of the output and the build information. Reads in any browser and prints cleanly.
class HtmlReport {
public:
    static QString build(const CaptureData& data, const SessionInfo& info, const Verdict& verdict);

    // Caps that keep the report readable (and small) for huge captures.
    static constexpr int kMaxKeyEvents = 300;
    static constexpr int kOutputTailBytes = 8192;
    static constexpr int kMaxProcesses = 500;
};

} // namespace exitlens
