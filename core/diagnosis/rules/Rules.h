#pragma once

#include "diagnosis/DiagnosisContext.h"
#include "diagnosis/Verdict.h"

#include <optional>
#include <string>

namespace exitlens::rules {

// Each rule says whether its category caused the subject's exit, and if so returns the verdict
// with the concrete facts. Rules are run in the priority order of docs/verdicts.md; the first that
// answers wins. A rule must not fire for a failure that did not end the program.
using Rule = std::optional<Verdict> (*)(const DiagnosisContext&);

std::optional<Verdict> windowsExit(const DiagnosisContext& context); // WindowsRules.cpp
std::optional<Verdict> stoppedByExitLens(const DiagnosisContext& context); // ExitLensRules.cpp
std::optional<Verdict> privilegesLostToTracing(const DiagnosisContext& context);
std::optional<Verdict> execFailure(const DiagnosisContext& context); // ExecRules.cpp
std::optional<Verdict> missingSharedLibrary(const DiagnosisContext& context);
std::optional<Verdict> outOfMemory(const DiagnosisContext& context); // MemoryRules.cpp
std::optional<Verdict> resourceLimit(const DiagnosisContext& context); // LimitRules.cpp
std::optional<Verdict> seccompKill(const DiagnosisContext& context); // SignalRules.cpp
std::optional<Verdict> signalKilled(const DiagnosisContext& context);
std::optional<Verdict> outputLost(const DiagnosisContext& context); // OutputRules.cpp
std::optional<Verdict> missingFile(const DiagnosisContext& context); // FileRules.cpp
std::optional<Verdict> permissionDenied(const DiagnosisContext& context);
std::optional<Verdict> configError(const DiagnosisContext& context);
std::optional<Verdict> networkError(const DiagnosisContext& context); // NetworkRules.cpp
std::optional<Verdict> childFailure(const DiagnosisContext& context); // ChildRules.cpp
std::optional<Verdict> deadlock(const DiagnosisContext& context); // GoRules.cpp
std::optional<Verdict> stackOverflow(const DiagnosisContext& context);
std::optional<Verdict> goFatalError(const DiagnosisContext& context);
std::optional<Verdict> goPanic(const DiagnosisContext& context);
std::optional<Verdict> logFatal(const DiagnosisContext& context);
std::optional<Verdict> osExit(const DiagnosisContext& context); // ExitRules.cpp
std::optional<Verdict> prematureExit(const DiagnosisContext& context);
std::optional<Verdict> cleanExit(const DiagnosisContext& context);

// Was PROCESS killed by ExitLens stopping the capture (Stop, a second Ctrl+C, the grace period)?
// Such a process did not fail: it is not diagnosed as a failure of its own.
bool killedByExitLensStop(const CaptureData& data, const TraceSummary& summary, const ProcessRecord& process);

// Shared helpers for rule files.
Verdict makeVerdict(const std::string& category, const std::string& headline, double confidence);
void addEvidence(Verdict& verdict, const DiagnosisContext& context, std::uint64_t seq, const std::string& text = {});
// The program's reason (DiagnosisContext::reason) in quotes, or "" when it said nothing.
std::string quoteLastWords(const DiagnosisContext& context);
// When the source FILE of a crash or exit site is on this machine (as the binary names it, or
// under one of FOLDERS: the executable's folder, the working folder), the facts "source_line"
// (that line) and "source_context" (it with two lines either side, numbered); false when not found.
bool addSourceFacts(Verdict& verdict, const std::string& file, int line, const std::vector<std::string>& folders = {});
// The files of its own the subject opened for reading (not the system's libraries, /proc, /sys,
// /dev, locale, zone-info or name-service files, nor its executable or script), the last MAX,
// oldest first: what it read before it gave up.
std::vector<std::string> filesRead(const DiagnosisContext& context, std::size_t max = 8);
// The folders a relative source path may be found under for the subject: its executable's, its working folder.
std::vector<std::string> sourceFolders(const DiagnosisContext& context);
std::string mib(std::int64_t bytes); // "512 MiB"
// The soft limit named ("RLIMIT_AS") as it was when the program was launched; -1 when unknown.
std::int64_t launchLimit(const DiagnosisContext& context, const std::string& name);

// From the Go stack recorded at the exit_group call (DiagnosisContext::exitStack): the facts
// "function", "file", "line", "location" and "exit_call" of the program's own frame, and
// "os.Exit(4) was called from main.(*Server).shutdown at server.go:88" (empty without an own frame).
std::string locateExit(Verdict& verdict, const ExitStack& stack, int exitCode);
// "os.Exit ← main.(*Server).shutdown (server.go:88) ← main.main (main.go:12)": the frames from
// the exit call outward, for an explanation.
std::string exitStackText(const ExitStack& stack, std::size_t maxFrames = 4);
// The file the subject wrote its last words to: of the regular files it had open for writing at
// exit, the last modified one with readable lines; null when there is none.
std::optional<ExitContext::OpenFile> lastWordsFile(const DiagnosisContext& context);

} // namespace exitlens::rules
