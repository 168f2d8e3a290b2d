#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <string>

namespace exitlens {

class CaptureData;

// Go insight for a finished capture: what the result document of `exitlens run --json` gains
// (target.elf, target.go, traceback, runtime_log). The binary is read from disk once, here.
class GoInsight {
public:
    // The launched program's executable: the root process's image after exec, else the path
    // the launcher resolved.
    static std::string targetExecutable(const CaptureData& data);
    // What the program wrote to stderr as far as it was kept (the first and last MiB; a line
    // break stands for the omitted middle).
    static std::string stderrText(const CaptureData& data);
    // The events that carry a user stack, with the raw pcs and the frames symbolized from the
    // executable of the process (Go pclntab, else ELF symbols); at most 500.
    static QJsonArray stackEvents(const CaptureData& data);
    // A reopened session's stacks: the symbolized entries the file stored (STORED), and for every
    // raw sample without one (a capture killed before it could symbolize, or a stored entry
    // whose binary was unreadable then) the frames re-symbolized now, when the binary is at hand.
    static QJsonArray sessionStackEvents(const CaptureData& data, const QJsonArray& stored);
    // Adds "elf" and "go" to document["target"], and "traceback", "runtime_log" and
    // "stack_events" to DOCUMENT.
    static void addToResult(const CaptureData& data, QJsonObject& document);
};

} // namespace exitlens
