#pragma once

#include "LaunchContext.h"
#include "ProcessRecord.h"
#include "Tracer.h"
#include "diagnosis/ExitStack.h"
#include "diagnosis/GoCrash.h"
#include "model/CaptureData.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace exitlens {

// What the rules look at when they diagnose one process (the subject): its record, its events,
// what it wrote to stderr, and the capture around it. Built once per subject; read-only after.
class DiagnosisContext {
public:
    DiagnosisContext(const CaptureData& data, const TraceSummary& summary, const ProcessRecord& subject);

    const CaptureData& data() const { return m_data; }
    const TraceSummary& summary() const { return m_summary; }
    const LaunchContext& launch() const { return m_launch; }
    const ProcessRecord& subject() const { return m_subject; }
    const std::vector<ProcessRecord>& processes() const { return m_processes; }
    bool isRoot() const { return m_isRoot; }
    // How the subject ended (for the root, a launch failure is reported here too).
    const ExitStatus& status() const { return m_status; }
    bool failed() const;

    std::string text(StringId id) const { return std::string(m_data.text(id)); }
    const Event& event(std::uint64_t seq) const { return m_data.events().at(seq); }
    std::string op(const Event& event) const { return text(event.op); }

    // The subject's events in order (seq numbers), optionally filtered.
    std::vector<std::uint64_t> events(const std::function<bool(const Event&)>& predicate) const;
    std::optional<std::uint64_t> lastEvent(const std::function<bool(const Event&)>& predicate) const;

    // Everything the subject wrote to fd 2 that ExitLens kept (head and tail of the stream),
    // whether or not it reached anyone, and the same text in lower case for searching.
    const std::string& stderrText() const { return m_stderr; }
    bool stderrMentions(std::string_view needle) const; // case-insensitive
    // The last non-empty lines the subject wrote to fd 1 or 2: its last words.
    const std::vector<std::string>& lastWords() const { return m_lastWords; }
    std::string lastWordsText(std::size_t lines = 3) const;
    // Of its last words, the line that carries its reason (MessageText::reasonLine): the error line
    // that names something concrete, never a traceback frame, usage text or a bug-tracker footer.
    const std::string& reason() const { return m_reason; }
    // The Output event (a write to fd 2, else fd 1) that carried NEEDLE, the last one; falls back
    // to the last write that was not only a line break.
    std::optional<std::uint64_t> writeCarrying(const std::string& needle) const;
    // The value of NAME in the environment the program was started with; nullopt when absent.
    std::optional<std::string> launchVariable(const std::string& name) const;

    // A failed file/exec call whose path and error the program itself reported ("open config.json:
    // no such file or directory"): that failure is what the program died of.
    std::optional<std::uint64_t> reportedFailure(const std::vector<int>& errnos) const;

    // The parsed Go crash, when the subject died of one.
    const std::optional<GoCrash>& goCrash() const { return m_goCrash; }
    // Is the subject a Go program? (the Go runtime's own calls and messages say so)
    bool isGo() const { return m_isGo; }
    // The Go stack of the subject's exit_group call, symbolized, when the tracer recorded one and
    // the executable is at hand: who called os.Exit, whether main returned.
    // Read on first use (it opens the executable): only the exit rules need it.
    const std::optional<ExitStack>& exitStack() const;
    // The module path of the program's own code, from its Go build info ("" when unknown).
    const std::string& ownModule() const;

    // Regular files the subject still had open for writing when it died, with their last lines
    // (read at exit by the tracer): where a program that printed nothing may have said why.
    // Standard streams and /dev are left out; the most recently written-to last.
    std::vector<ExitContext::OpenFile> writtenFiles() const;

    // Basename of the subject's executable; for a shell running a script ("/bin/sh job.sh"), the
    // script's name: that is the program the person started.
    std::string programName() const;
    // The script a shell (sh, dash, bash, ...) is running, as given on its command line; "" when none.
    std::string script() const;

private:
    std::string streamBytes(int stream) const;

    const CaptureData& m_data;
    const TraceSummary& m_summary;
    LaunchContext m_launch;
    ProcessRecord m_subject;
    std::vector<ProcessRecord> m_processes;
    bool m_isRoot = false;
    ExitStatus m_status;
    std::string m_stderr;
    std::string m_stderrLower;
    std::vector<std::string> m_lastWords;
    std::string m_reason;
    std::optional<GoCrash> m_goCrash;
    bool m_isGo = false;
    mutable std::optional<std::string> m_ownModule; // lazily, by ownModule()
    mutable std::optional<ExitStack> m_exitStack; // lazily, by exitStack()
    mutable bool m_exitStackRead = false;
};

} // namespace exitlens
