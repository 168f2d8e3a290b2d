#pragma once

#include "go/BinaryInspection.h"
#include "go/GoTraceback.h"
#include "go/RuntimeLogParser.h"
#include "go/Symbolizer.h"

#include <QJsonArray>
#include <QJsonObject>

namespace exitlens {

// The JSON shapes of the Go insight structures, shared by `exitlens inspect --json`,
// `exitlens traceback --json` and the result document of `exitlens run --json` (docs/cli.md).
class GoJson {
public:
    static QJsonObject elf(const BinaryFacts& facts);
    // The build info, or null members when the binary has none; always says whether it is Go.
    static QJsonObject go(const BinaryInspection& inspection);
    static QJsonObject buildInfo(const GoBuildInfo& info);
    static QJsonObject inspection(const BinaryInspection& inspection);
    // MAX_GOROUTINES bounds the "goroutines" array (the buckets always cover all of them).
    // COLLAPSE lists a goroutine whose stack repeats an earlier one's (same bucket) only by its id
    // in the bucket, as the text of `exitlens traceback` does, and lists at most MAX_GOROUTINES
    // buckets too: the document stays small whatever the input.
    static QJsonObject traceback(const GoTraceback& traceback, int maxGoroutines = -1, bool collapse = false);
    static QJsonObject frame(const GoFrame& frame);
    static QJsonObject runtimeLog(const RuntimeLog& log);
    static QJsonArray stack(const std::vector<SymbolizedFrame>& frames);
};

} // namespace exitlens
