// exec_failure and missing_shared_library: the program, or a helper it needs, never ran.
#include "Names.h"
#include "Rules.h"
#include "diagnosis/MessageText.h"
#include "go/BinaryInspection.h"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sys/stat.h>

namespace exitlens::rules {

namespace {
// A loader message "PREFIX first JOINT second": FIRST runs up to the first of FIRST_STOP, which
// must begin JOINT; SECOND runs up to the first of SECOND_STOP (which must be there when
// REQUIRE_STOP). Scanned, not matched: stderr may hold anything.
bool loaderMessage(const std::string& text, std::string_view prefix, std::string_view firstStop, std::string_view joint,
    std::string_view secondStop, std::string& first, std::string& second, bool requireStop = false)
{
    for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + 1)) {
        const std::size_t start = at + prefix.size();
        const std::string_view head = MessageText::token(text, start, firstStop);
        const std::size_t jointAt = start + head.size();
        if (head.empty() || text.compare(jointAt, joint.size(), joint) != 0)
            continue;
        const std::string_view tail = MessageText::token(text, jointAt + joint.size(), secondStop);
        if (requireStop && (tail.empty() || jointAt + joint.size() + tail.size() >= text.size()))
            continue;
        first = head;
        second = tail;
        return true;
    }
    return false;
}

// Go's exec.LookPath: `exec: "NAME": executable file not found in $PATH` -> NAME.
std::string notInPath(const std::string& text)
{
    constexpr std::string_view prefix = "exec: \"";
    constexpr std::string_view rest = "\": executable file not found in $PATH";
    for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + 1)) {
        const std::string_view name = MessageText::token(text, at + prefix.size(), "\"");
        if (!name.empty() && text.compare(at + prefix.size() + name.size(), rest.size(), rest) == 0)
            return std::string(name);
    }
    return {};
}

std::string firstLine(const std::string& path, std::size_t limit = 256)
{
    std::ifstream file(path, std::ios::binary);
    std::string line(limit, '\0');
    file.read(line.data(), static_cast<std::streamsize>(limit));
    line.resize(static_cast<std::size_t>(file.gcount()));
    return line.substr(0, line.find('\n'));
}

// Why execve said what it said, in words, from a look at the file itself.
void explainExecErrno(Verdict& verdict, const std::string& path, int err, const std::string& searchedPath)
{
    struct stat info { };
    const bool exists = stat(path.c_str(), &info) == 0;
    verdict.fact("path", path);
    verdict.fact("errno", errnoName(err));
    if (err == ENOENT && !exists) {
        verdict.explanation = path + " does not exist.";
        if (!searchedPath.empty()) {
            verdict.explanation += " The name has no slash, so it was searched in PATH: " + searchedPath + ".";
            verdict.fact("path_searched", searchedPath);
        }
        verdict.suggestions.push_back(
            "Check the name and path " + path + ", or add the folder that contains the " + "program to PATH.");
        return;
    }
    if (err == ENOENT) {
        const std::string head = firstLine(path);
        if (head.rfind("#!", 0) == 0) {
            std::string interpreter = head.substr(2);
            interpreter.erase(0, interpreter.find_first_not_of(" \t"));
            interpreter = interpreter.substr(0, interpreter.find_first_of(" \t\r"));
            verdict.fact("interpreter", interpreter);
            verdict.explanation =
                path + " is a script whose interpreter " + interpreter + " (its #! line) does not exist.";
            verdict.suggestions.push_back("Install " + interpreter + " or change the script's #! line.");
            return;
        }
        std::string error;
        if (auto binary = BinaryReader::open(path, error); binary && !binary->facts().interpreter.empty()) {
            const std::string& loader = binary->facts().interpreter;
            verdict.fact("interpreter", loader);
            verdict.explanation = path + " needs the dynamic loader " + loader
                + ", which this system does not have (a binary built for another C library or distribution).";
            verdict.suggestions.push_back("Build it statically (for Go: CGO_ENABLED=0) or for this system.");
            return;
        }
        verdict.explanation = path + " exists, but the kernel reports a missing file while loading it.";
        return;
    }
    if (err == EACCES) {
        char mode[16];
        std::snprintf(mode, sizeof(mode), "%04o", exists ? info.st_mode & 07777 : 0);
        if (exists && !S_ISREG(info.st_mode)) {
            verdict.explanation = path + " is not a regular file.";
        } else if (exists && (info.st_mode & 0111) == 0) {
            verdict.explanation = path + " is not executable (mode " + mode + ").";
            verdict.suggestions.push_back("Make it executable: chmod +x " + path);
        } else {
            verdict.explanation = path + " may not be executed by this user (mode " + std::string(mode)
                + "), or it lies on a file system mounted noexec.";
        }
        verdict.fact("mode", std::string(mode));
        return;
    }
    if (err == ENOEXEC) {
        std::string error;
        if (auto binary = BinaryReader::open(path, error)) {
            const std::string& arch = binary->facts().architecture;
            verdict.fact("architecture", arch);
            verdict.explanation = path + " is built for " + arch + ", but this machine runs x86-64.";
            verdict.suggestions.push_back("Rebuild it for this machine (for Go: GOARCH=amd64 go build).");
        } else {
            verdict.explanation =
                path + " is not in an executable format: not an ELF program, and no #! line for a script.";
            verdict.suggestions.push_back("If it is a script, start it with a #! line naming its interpreter.");
        }
        return;
    }
    verdict.explanation = "execve of " + path + " failed with " + errnoName(err) + " (" + errnoMessage(err) + ").";
}

std::string environmentPath(const DiagnosisContext& context)
{
    for (const auto& entry : context.data().spec().environment) {
        if (entry.rfind("PATH=", 0) == 0)
            return entry.substr(5);
    }
    return {};
}
} // namespace

std::optional<Verdict> execFailure(const DiagnosisContext& context)
{
    const ExitStatus& status = context.status();
    if (status.kind == ExitStatus::Kind::LaunchFailed) {
        const std::string program =
            context.launch().resolvedProgram.empty() ? context.data().spec().program : context.launch().resolvedProgram;
        if (!context.summary().error.empty() && status.launchErrno != 0
            && context.summary().error.find("working directory") != std::string::npos) {
            Verdict verdict = makeVerdict("exec_failure",
                "The working directory " + context.data().spec().workingDirectory + " does not exist.", 1.0);
            verdict.explanation = context.summary().error;
            verdict.fact("path", context.data().spec().workingDirectory);
            verdict.fact("errno", errnoName(status.launchErrno));
            verdict.suggestions.push_back(
                "Create " + context.data().spec().workingDirectory + " or choose an existing working directory.");
            return verdict;
        }
        Verdict verdict = makeVerdict(
            "exec_failure", program + " could not be executed: " + errnoMessage(status.launchErrno) + ".", 1.0);
        explainExecErrno(verdict, program, status.launchErrno, context.launch().searchedPath);
        if (auto seq = context.lastEvent([&](const Event& e) {
                return e.failed() && (context.op(e) == "execve" || context.op(e) == "execveat");
            }))
            addEvidence(verdict, context, *seq);
        return verdict;
    }
    if (!context.failed())
        return std::nullopt;

    // A helper the program runs could not be executed, and the program says so.
    for (const auto& child : context.processes()) {
        if (child.ppid != context.subject().pid)
            continue;
        const ProcessRecord& subject = context.subject();
        const auto& events = context.data().events();
        for (std::uint64_t seq = child.startSeq; seq <= child.endSeq && seq < events.size(); ++seq) {
            const Event& e = events.at(seq);
            if (e.pid != child.pid || !e.failed() || (context.op(e) != "execve" && context.op(e) != "execveat"))
                continue;
            const std::string helper = context.text(e.path);
            const std::string base = helper.substr(helper.rfind('/') + 1);
            if (!context.stderrMentions(base))
                continue;
            Verdict verdict = makeVerdict("exec_failure",
                context.programName() + " could not run its helper " + helper + ": " + errnoMessage(e.errnum) + ".",
                0.9);
            explainExecErrno(verdict, helper, e.errnum, {});
            verdict.explanation = context.programName() + " (pid " + std::to_string(subject.pid) + ") tried to run "
                + helper + " and stopped when it failed. " + verdict.explanation;
            addEvidence(verdict, context, seq);
            if (const auto words = quoteLastWords(context); !words.empty())
                verdict.evidence.push_back({ "It said: " + words, std::nullopt });
            return verdict;
        }
    }
    // Go's exec.LookPath found nothing in PATH, so no execve happened at all.
    if (const std::string name = notInPath(context.stderrText()); !name.empty()) {
        Verdict verdict = makeVerdict(
            "exec_failure", context.programName() + " needs the program \"" + name + "\", which is not in PATH.", 0.95);
        const std::string path = environmentPath(context);
        verdict.explanation = "It looked for " + name + " in every folder of PATH (" + path + ") and found none.";
        verdict.fact("helper", name);
        verdict.fact("path_searched", path);
        verdict.suggestions.push_back("Install " + name + " or add the folder that contains it to PATH.");
        for (auto seq : context.events([&](const Event& e) {
                 const std::string p = context.text(e.path);
                 return e.failed() && e.cls == EventClass::File && p.size() > name.size()
                     && p.compare(p.size() - name.size() - 1, std::string::npos, "/" + name) == 0;
             }))
            addEvidence(verdict, context, seq);
        return verdict;
    }
    return std::nullopt;
}

std::optional<Verdict> missingSharedLibrary(const DiagnosisContext& context)
{
    if (!context.failed())
        return std::nullopt;
    const std::string& text = context.stderrText();
    Verdict verdict;
    std::string first;
    std::string second;
    if (loaderMessage(text, "error while loading shared libraries: ", ":", ": ", "\n", first, second)) {
        const std::string library = first;
        verdict = makeVerdict("missing_shared_library",
            context.programName() + " cannot start: the shared library " + library + " is missing.", 0.98);
        verdict.fact("library", library);
        std::vector<std::string> searched;
        const auto lookups = context.events([&](const Event& e) {
            const std::string p = context.text(e.path);
            return e.failed() && e.cls == EventClass::File && p.size() > library.size()
                && p.compare(p.size() - library.size() - 1, std::string::npos, "/" + library) == 0;
        });
        for (auto seq : lookups) {
            const std::string p = context.text(context.event(seq).path);
            const std::string folder = p.substr(0, p.size() - library.size() - 1);
            if (std::find(searched.begin(), searched.end(), folder) == searched.end())
                searched.push_back(folder);
        }
        std::string folders;
        for (const auto& folder : searched)
            folders += (folders.empty() ? "" : ", ") + folder;
        // One search, one evidence line (the loader may try 90 folders): the first and last lookups.
        if (!lookups.empty()) {
            std::string summary;
            for (std::size_t i = 0; i < searched.size() && i < 4; ++i)
                summary += (summary.empty() ? "" : ", ") + searched[i];
            if (searched.size() > 4)
                summary += " and " + std::to_string(searched.size() - 4) + " more folders";
            addEvidence(verdict, context, lookups.front(),
                "looked for " + library + " " + std::to_string(lookups.size()) + " times, in " + summary
                    + ": not found (the first lookup)");
            if (lookups.size() > 1)
                addEvidence(verdict, context, lookups.back(), "... the last lookup");
        }
        verdict.explanation = "The dynamic loader could not find " + library + " (" + second + ")"
            + (folders.empty() ? std::string(" in the system library folders.") : ". It searched: " + folders + ".");
        verdict.fact("searched", folders);
        verdict.suggestions.push_back("Install the package that provides " + library
            + ", or point LD_LIBRARY_PATH at the folder that contains it.");
        verdict.suggestions.push_back(
            "If this is a Go program built with cgo, build it with CGO_ENABLED=0 or ship the library with it.");
    } else if (loaderMessage(
                   text, "symbol lookup error: ", ":", ": undefined symbol: ", " \t\r\n\f\v,", first, second)) {
        verdict = makeVerdict("missing_shared_library",
            context.programName() + " cannot start: the symbol " + second + " is missing from its libraries.", 0.95);
        verdict.fact("symbol", second);
        verdict.explanation = "The loader found the libraries but not the symbol " + second
            + ": the installed library is older or newer than the one the program was built against.";
        verdict.suggestions.push_back("Install the library version the program was built against, or rebuild it here.");
    } else if (loaderMessage(text, "version `", "'", "' not found (required by ", ")", first, second, true)) {
        verdict = makeVerdict("missing_shared_library",
            context.programName() + " needs " + first + ", which " + second + " on this system does not provide.",
            0.95);
        verdict.fact("version", first);
        verdict.fact("library", second);
        verdict.explanation = "The program was built on a system with a newer library than this one.";
        verdict.suggestions.push_back(
            "Build it on (or for) this system's version, or for Go build with CGO_ENABLED=0 to need no C library.");
    } else {
        return std::nullopt;
    }
    if (const auto words = quoteLastWords(context); !words.empty())
        verdict.evidence.push_back({ "The loader said: " + words, std::nullopt });
    return verdict;
}

} // namespace exitlens::rules
