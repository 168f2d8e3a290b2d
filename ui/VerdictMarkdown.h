#pragma once

#include "diagnosis/Verdict.h"

#include <QString>

namespace exitlens {

// A verdict as Markdown for a bug report: headline, what happened, evidence with event numbers,
// suggestions, child verdicts, and the Go crash text when there is one.
class VerdictMarkdown {
public:
    struct Context {
        QString program; // what was launched, with its arguments
        QString workingDirectory;
        QString exitStatus; // "exited with code 1"
        QString goSummary; // "go1.19.8 · command-line-arguments · cgo off" (empty: not Go)
        QString crashText; // the raw panic / fatal error text from stderr
    };
    static QString build(const Verdict& verdict, const Context& context);
    static QString categoryLabel(const std::string& category); // "missing_file" -> "missing file"
};

} // namespace exitlens
