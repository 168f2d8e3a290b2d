// missing_file, permission_denied, config_error: the program could not use, or did not accept,
// a file it needed. A failure counts only when the program reported that very path and error
// (or, for a silent exit, when it was the last thing that failed): programs probe optional files.
#include "Names.h"
#include "Rules.h"

#include <cerrno>
#include <pwd.h>
#include <regex>

namespace exitlens::rules {

namespace {
bool isRuntimeProbe(const std::string& path)
{
    return path.rfind("/sys/", 0) == 0 || path.rfind("/proc/", 0) == 0 || path.rfind("/etc/ld.so", 0) == 0
        || path.rfind("/dev/", 0) == 0 || path == "/etc/localtime";
}

std::string folderOf(const std::string& path)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos || slash == 0 ? std::string("/") : path.substr(0, slash);
}

std::string baseOf(const std::string& path)
{
    return path.substr(path.rfind('/') + 1);
}

// The failing call of a silent exit: nothing printed, non-zero status, and this was the last
// failure of the kind before the end.
std::optional<std::uint64_t> silentFailure(const DiagnosisContext& context, const std::vector<int>& errnos)
{
    if (!context.lastWords().empty() || context.status().kind != ExitStatus::Kind::Exited)
        return std::nullopt;
    return context.lastEvent([&](const Event& e) {
        return e.failed() && e.cls == EventClass::File
            && std::find(errnos.begin(), errnos.end(), e.errnum) != errnos.end()
            && !isRuntimeProbe(std::string(context.data().text(e.path)));
    });
}

std::string runAsUser(const DiagnosisContext& context, unsigned& uid, unsigned& gid)
{
    uid = context.launch().uid;
    gid = context.launch().gid;
    std::string name = context.launch().user;
    if (const auto& user = context.data().spec().runAsUser) {
        if (const passwd* entry = getpwnam(user->c_str())) {
            uid = entry->pw_uid;
            gid = entry->pw_gid;
        }
        name = *user;
    }
    return name;
}
} // namespace

std::optional<Verdict> missingFile(const DiagnosisContext& context)
{
    if (!context.failed())
        return std::nullopt;
    auto seq = context.reportedFailure({ ENOENT, ENOTDIR });
    double confidence = 0.95;
    if (!seq) {
        seq = silentFailure(context, { ENOENT, ENOTDIR });
        confidence = 0.5;
    }
    if (!seq)
        return std::nullopt;
    const Event& e = context.event(*seq);
    const std::string path = context.text(e.path);
    const std::string folder = folderOf(path);
    const std::string name = baseOf(path);
    const std::string cwd = context.subject().cwd;
    // Did the program name it relative to its working directory? Then the directory is the
    // likely mistake (started from the wrong folder), not the file.
    const bool relative = folder == cwd && !context.stderrMentions(path);
    Verdict verdict = makeVerdict("missing_file",
        relative ? name + " does not exist in the working directory " + cwd + "." : path + " does not exist.",
        confidence);
    verdict.fact("path", path);
    verdict.fact("errno", errnoName(e.errnum));
    verdict.fact("cwd", cwd);
    verdict.fact("operation", context.op(e));
    verdict.explanation = context.programName() + " tried to " + context.op(e) + " " + path + " and got "
        + errnoName(e.errnum) + " (" + errnoMessage(e.errnum) + ")";
    if (confidence < 0.9)
        verdict.explanation += ", then exited with code " + std::to_string(context.status().code)
            + " without printing anything. This was its last failing file access, so it is the likely cause.";
    else
        verdict.explanation += ", and stopped: " + quoteLastWords(context);
    addEvidence(verdict, context, *seq);
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
    if (relative) {
        verdict.suggestions.push_back("Create " + name + " in " + cwd
            + ", or start the program from the folder "
              "that contains it.");
    } else {
        verdict.suggestions.push_back("Create " + path + " (or fix the path the program was given).");
    }
    return verdict;
}

std::optional<Verdict> permissionDenied(const DiagnosisContext& context)
{
    if (!context.failed())
        return std::nullopt;
    auto seq = context.reportedFailure({ EACCES, EPERM, EROFS });
    double confidence = 0.95;
    if (!seq) {
        seq = silentFailure(context, { EACCES, EPERM, EROFS });
        confidence = 0.5;
    }
    if (!seq)
        return std::nullopt;
    const Event& e = context.event(*seq);
    const std::string path = context.text(e.path);
    unsigned uid = 0;
    unsigned gid = 0;
    const std::string user = runAsUser(context, uid, gid);
    Verdict verdict = makeVerdict("permission_denied",
        context.programName() + " may not " + (context.op(e) == "execve" ? "run " : "open ") + path + " as user "
            + (user.empty() ? std::to_string(uid) : user) + ".",
        confidence);
    verdict.fact("path", path);
    verdict.fact("errno", errnoName(e.errnum));
    verdict.fact("uid", static_cast<std::int64_t>(uid));
    verdict.fact("gid", static_cast<std::int64_t>(gid));
    verdict.fact("operation", context.op(e));
    // The tracer appended "; owner U:G mode M PATH, owner ... FOLDER" when the call failed.
    const std::string detail = context.text(e.detail);
    std::string ownership;
    if (const std::size_t at = detail.find("; owner "); at != std::string::npos) {
        ownership = detail.substr(at + 2);
        verdict.fact("ownership", ownership);
    }
    verdict.explanation = context.op(e) + " of " + path + " failed with " + errnoName(e.errnum) + " ("
        + errnoMessage(e.errnum) + ") for uid " + std::to_string(uid) + " gid " + std::to_string(gid) + "."
        + (ownership.empty() ? std::string() : " At that moment: " + ownership + ".");
    if (e.errnum == EROFS)
        verdict.explanation += " The file system is mounted read-only.";
    addEvidence(verdict, context, *seq);
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
    verdict.suggestions.push_back("Run it as a user that can "
        + std::string(context.op(e) == "execve" ? "run " : "access ") + path
        + ", or change the file's owner or mode (chown/chmod) or its folder's.");
    return verdict;
}

std::optional<Verdict> configError(const DiagnosisContext& context)
{
    if (context.status().kind != ExitStatus::Kind::Exited || context.status().code == 0 || context.lastWords().empty())
        return std::nullopt;
    const std::string words = context.lastWordsText(3);
    static const std::regex usage("flag provided but not defined|Usage of |usage: |unknown (command|flag|option)|"
                                  "invalid (argument|option|value)|required flag",
        std::regex::icase);
    static const std::regex complaint(
        "invalid|parse|parsing|syntax|unexpected|unknown field|unknown key|cannot unmarshal|"
        "unmarshal|malformed|bad value|must be|expected|not allowed|out of range",
        std::regex::icase);
    static const std::regex lineNumber("(?:line |:)(\\d+)(?::\\d+)?");
    std::smatch match;
    if (std::regex_search(words, match, usage)) {
        Verdict verdict =
            makeVerdict("config_error", context.programName() + " rejected its command-line arguments.", 0.85);
        verdict.explanation = "It said: " + quoteLastWords(context);
        verdict.fact("source", "arguments");
        verdict.fact("message", context.lastWordsText(1));
        verdict.suggestions.push_back("Check the arguments against the program's usage text.");
        verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
        return verdict;
    }
    if (!std::regex_search(words, complaint))
        return std::nullopt;
    // The configuration file: one the program opened successfully and names in its complaint.
    const auto opened = context.events([&](const Event& e) {
        return !e.failed() && e.cls == EventClass::File && (context.op(e) == "openat" || context.op(e) == "open");
    });
    for (auto it = opened.rbegin(); it != opened.rend(); ++it) {
        const std::string path = context.text(context.event(*it).path);
        if (isRuntimeProbe(path) || !context.stderrMentions(baseOf(path)))
            continue;
        Verdict verdict =
            makeVerdict("config_error", context.programName() + " rejected the contents of " + path + ".", 0.85);
        verdict.fact("path", path);
        verdict.fact("message", context.lastWordsText(1));
        verdict.explanation = "It read " + path + " and then said: " + quoteLastWords(context);
        if (std::regex_search(words, match, lineNumber)) {
            verdict.fact("line", static_cast<std::int64_t>(std::stoll(match[1])));
            verdict.explanation += " (line " + std::string(match[1]) + ")";
        }
        addEvidence(verdict, context, *it);
        verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
        verdict.suggestions.push_back("Fix " + path + " where the message points; compare it with a known-good copy.");
        return verdict;
    }
    return std::nullopt;
}

} // namespace exitlens::rules
