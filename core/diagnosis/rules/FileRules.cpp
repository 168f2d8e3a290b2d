// missing_file, permission_denied, config_error: the program could not use, or did not accept,
// a file it needed. A failure counts when the program reported that very path and error, when it
// was the last thing that failed before a silent exit, when a series of lookups found nothing, or
// when the program's message paraphrases the last failed call before its end; programs probe
// optional files, and those never make a verdict.
#include "Names.h"
#include "Rules.h"
#include "diagnosis/MessageText.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <pwd.h>
#include <sys/stat.h>

namespace exitlens::rules {

namespace {
bool isRuntimeProbe(const std::string& path)
{
    return path.rfind("/sys/", 0) == 0 || path.rfind("/proc/", 0) == 0 || path.rfind("/etc/ld.so", 0) == 0
        || path.rfind("/dev/", 0) == 0 || path == "/etc/localtime";
}

// Files a program reads without being asked to: the system's libraries, locale and time-zone
// data, name-service files. Rejecting one of those is never a configuration mistake of its own.
bool isSystemFile(const std::string& path)
{
    static const std::vector<std::string_view> prefixes = { "/lib/", "/lib64/", "/usr/lib", "/usr/share/locale",
        "/usr/share/zoneinfo", "/usr/share/i18n", "/etc/ld.so", "/etc/nsswitch.conf", "/etc/hosts", "/etc/resolv.conf",
        "/etc/passwd", "/etc/group", "/etc/ssl/", "/etc/localtime", "/etc/mime.types", "/usr/share/mime" };
    if (isRuntimeProbe(path))
        return true;
    for (std::string_view prefix : prefixes) {
        if (path.rfind(prefix, 0) == 0)
            return true;
    }
    return path.find(".so") != std::string::npos && path.rfind('/') < path.find(".so");
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

bool isOpen(const std::string& op)
{
    return op == "openat" || op == "open" || op == "openat2" || op == "creat";
}

bool has(const std::vector<int>& errnos, int err)
{
    return std::find(errnos.begin(), errnos.end(), err) != errnos.end();
}

// The failing call of a silent exit: nothing printed, non-zero status, and this was the last
// failure of the kind before the end.
std::optional<std::uint64_t> silentFailure(const DiagnosisContext& context, const std::vector<int>& errnos)
{
    if (!context.lastWords().empty() || context.status().kind != ExitStatus::Kind::Exited)
        return std::nullopt;
    return context.lastEvent([&](const Event& e) {
        return e.failed() && e.cls == EventClass::File && has(errnos, e.errnum)
            && !isRuntimeProbe(std::string(context.data().text(e.path)));
    });
}

// The last failed file call before the end, when the program's reason paraphrases a failure
// without naming the path or error ("could not initialise storage"): it decides the category.
// Only among the subject's last events (a failure long before, followed by work, did not end it),
// never for the Go runtime's own errors (an index out of range is no failed call), and never for
// a message that already names another cause (a rejected argument, a refused connection).
std::optional<std::uint64_t> linkedFailure(const DiagnosisContext& context)
{
    constexpr std::size_t kNearTheEnd = 48; // of the subject's recorded events
    const std::string& reason = context.reason();
    if (context.status().kind != ExitStatus::Kind::Exited || reason.empty() || !MessageText::paraphrasesFailure(reason)
        || MessageText::rejectsArguments(reason))
        return std::nullopt;
    if (context.goCrash() && context.goCrash()->message.rfind("runtime error", 0) == 0)
        return std::nullopt;
    if (MessageText::containsAny(
            reason, { "refused", "timeout", "timed out", "no such host", "already in use", "exit status", "signal: " }))
        return std::nullopt;
    const auto all = context.events([](const Event& e) { return e.kind == EventKind::Syscall; });
    const std::size_t from = all.size() > kNearTheEnd ? all.size() - kNearTheEnd : 0;
    // The thread that printed the message first: its own last failure is the likeliest cause.
    const auto write = context.writeCarrying(reason);
    const std::int32_t speaker = write ? context.event(*write).tid : 0;
    std::optional<std::uint64_t> any;
    for (std::size_t i = all.size(); i > from; --i) {
        const Event& e = context.event(all[i - 1]);
        if (e.failed() && e.cls == EventClass::File && e.path != kNoString
            && !isSystemFile(std::string(context.data().text(e.path)))) {
            if (e.tid == speaker)
                return all[i - 1];
            if (!any)
                any = all[i - 1];
        }
    }
    return any;
}

// How a paraphrased failure was linked, for the verdict's facts and its confidence.
double linkConfidence(const DiagnosisContext& context, std::uint64_t seq, Verdict* verdict = nullptr)
{
    const auto write = context.writeCarrying(context.reason());
    const bool sameThread = write && context.event(*write).tid == context.event(seq).tid;
    if (verdict)
        verdict->fact("linked_by",
            sameThread ? "the last failed call of the thread that printed the message"
                       : "the last failed call before the end");
    return sameThread ? 0.7 : 0.6;
}

// A search that found nothing: several failed lookups (ENOENT) of candidate names in one or a few
// folders, the last failures before the end, with no file found after them.
struct Search {
    std::vector<std::uint64_t> lookups;
    std::vector<std::string> names;
    std::vector<std::string> folders;
};

std::optional<Search> failedSearch(const DiagnosisContext& context)
{
    if (context.status().kind != ExitStatus::Kind::Exited)
        return std::nullopt;
    const auto calls = context.events([&](const Event& e) {
        return e.kind == EventKind::Syscall && e.cls == EventClass::File && e.path != kNoString
            && !isSystemFile(std::string(context.data().text(e.path)));
    });
    Search search;
    for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
        const Event& e = context.event(*it);
        if (!e.failed()) {
            if (search.lookups.empty())
                continue; // calls after the search (closing, writing the message) are not part of it
            if (isOpen(context.op(e)))
                break; // it found something: the search before this is not what failed
            continue;
        }
        if (e.errnum != ENOENT)
            break;
        search.lookups.insert(search.lookups.begin(), *it);
    }
    if (search.lookups.size() < 3)
        return std::nullopt;
    for (auto seq : search.lookups) {
        const std::string path = context.text(context.event(seq).path);
        auto add = [](std::vector<std::string>& list, const std::string& item) {
            if (std::find(list.begin(), list.end(), item) == list.end())
                list.push_back(item);
        };
        add(search.names, baseOf(path));
        add(search.folders, folderOf(path));
    }
    // Candidates, not one file retried: several names, or one name in several folders; and "a few"
    // folders (the dynamic loader's search of every library folder is its own rule's business).
    if ((search.names.size() < 2 && search.folders.size() < 2) || search.folders.size() > 8)
        return std::nullopt;
    return search;
}

std::string joined(const std::vector<std::string>& items, std::size_t max = 8)
{
    std::string text;
    for (std::size_t i = 0; i < items.size() && i < max; ++i)
        text += (text.empty() ? "" : ", ") + items[i];
    if (items.size() > max)
        text += " and " + std::to_string(items.size() - max) + " more";
    return text;
}

// The form the program gave PATH in, when it named it relative to its working folder CWD in its
// message ("open templates/page.tmpl: ..."): then the folder it ran in is the likely mistake.
std::string relativeForm(const DiagnosisContext& context, const std::string& path, const std::string& cwd)
{
    if (cwd.empty() || path.size() <= cwd.size() + 1 || path.compare(0, cwd.size(), cwd) != 0
        || path[cwd.size()] != '/')
        return {};
    const std::string relative = path.substr(cwd.size() + 1);
    return context.stderrMentions(relative) && !context.stderrMentions(path) ? relative : std::string();
}

bool exists(const std::string& path)
{
    struct stat info { };
    return ::lstat(path.c_str(), &info) == 0;
}

// A folder near the working folder (its parents, the executable's folder) that does contain RELATIVE.
std::string folderContaining(const DiagnosisContext& context, const std::string& relative, const std::string& cwd)
{
    std::vector<std::string> candidates;
    std::string folder = cwd;
    for (int up = 0; up < 3 && folder != "/"; ++up) {
        folder = folderOf(folder);
        candidates.push_back(folder);
    }
    if (!context.subject().exe.empty())
        candidates.push_back(folderOf(context.subject().exe));
    for (const auto& candidate : candidates) {
        if (candidate != cwd && exists((candidate == "/" ? std::string() : candidate) + "/" + relative))
            return candidate;
    }
    return {};
}

// The first component of PATH that is not a folder (ENOTDIR), or a symbolic link (ELOOP), as the
// file system is now.
std::string offendingComponent(const std::string& path, bool wantSymlink)
{
    for (std::size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1)) {
        const std::string prefix = path.substr(0, at);
        struct stat info { };
        if (::lstat(prefix.c_str(), &info) != 0)
            return {};
        if (wantSymlink ? S_ISLNK(info.st_mode) : !S_ISDIR(info.st_mode) && !S_ISLNK(info.st_mode))
            return prefix;
    }
    struct stat info { };
    if (wantSymlink && ::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode))
        return path;
    return {};
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

// How the verdict was linked to its failed call, in words, and the confidence that goes with it.
enum class Link { Reported, Silent, Paraphrased };

// A failed call the program did not name: the last one of a silent exit, or the one its message
// paraphrases (linked by thread and nearness to the end), with how sure that link is.
struct FailedCall {
    std::optional<std::uint64_t> seq;
    Link link = Link::Reported;
    double confidence = 0.95;
};

FailedCall unreportedFailure(const DiagnosisContext& context, const std::vector<int>& errnos)
{
    if (const auto seq = silentFailure(context, errnos))
        return { seq, Link::Silent, 0.5 };
    if (const auto linked = linkedFailure(context); linked && has(errnos, context.event(*linked).errnum))
        return { linked, Link::Paraphrased, linkConfidence(context, *linked) };
    return {};
}

void explainLink(Verdict& verdict, const DiagnosisContext& context, Link link, std::uint64_t seq)
{
    switch (link) {
    case Link::Reported:
        verdict.explanation += ", and stopped: " + quoteLastWords(context);
        break;
    case Link::Silent:
        verdict.explanation += ", then exited with code " + std::to_string(context.status().code)
            + " without printing anything. This was its last failing file access, so it is the likely cause.";
        break;
    case Link::Paraphrased:
        verdict.explanation += ". It was "
            + std::string(linkConfidence(context, seq, &verdict) > 0.65
                    ? "the last failed call of the thread that then printed the message"
                    : "the last failed call before the end")
            + ", and the program's message " + quoteLastWords(context)
            + " speaks of a failure without naming its cause: the failed call is the likely cause.";
        break;
    }
}

// A value the message quotes ("...", '...', `...`) that is one of the subject's arguments, or the
// value of one ("--port=x"); "" when none.
std::string quotedArgument(const DiagnosisContext& context, const std::string& message)
{
    const auto& argv = context.subject().argv;
    for (char quote : { '"', '\'', '`' }) {
        for (std::size_t open = message.find(quote); open != std::string::npos;) {
            const std::size_t close = message.find(quote, open + 1);
            if (close == std::string::npos)
                break;
            const std::string value = message.substr(open + 1, close - open - 1);
            for (std::size_t i = 1; value.size() >= 3 && i < argv.size(); ++i) {
                const std::string& argument = argv[i];
                if (argument == value
                    || (argument.size() > value.size()
                        && argument.compare(argument.size() - value.size(), value.size(), value) == 0
                        && argument[argument.size() - value.size() - 1] == '='))
                    return value;
            }
            open = message.find(quote, close + 1);
        }
    }
    return {};
}

void addMessageEvidence(Verdict& verdict, const DiagnosisContext& context)
{
    if (context.reason().empty())
        return;
    if (const auto write = context.writeCarrying(context.reason()))
        addEvidence(verdict, context, *write, "It said: \"" + context.reason() + "\"");
}
} // namespace

std::vector<std::string> filesRead(const DiagnosisContext& context, std::size_t max)
{
    std::vector<std::string> files;
    const auto opened = context.events([&](const Event& e) {
        return !e.failed() && e.cls == EventClass::File && isOpen(context.op(e))
            && context.text(e.detail).find("O_RDONLY") != std::string::npos;
    });
    for (auto it = opened.rbegin(); it != opened.rend() && files.size() < max; ++it) {
        const std::string path = context.text(context.event(*it).path);
        if (path.empty() || path.front() != '/' || isSystemFile(path) || path == context.subject().exe
            || (!context.script().empty() && baseOf(path) == baseOf(context.script()))
            || std::find(files.begin(), files.end(), path) != files.end())
            continue;
        files.push_back(path);
    }
    std::reverse(files.begin(), files.end());
    return files;
}

std::optional<Verdict> missingFile(const DiagnosisContext& context)
{
    if (!context.failed())
        return std::nullopt;
    const std::vector<int> errnos = { ENOENT, ENOTDIR, ELOOP };
    Link link = Link::Reported;
    double confidence = 0.95;
    auto seq = context.reportedFailure(errnos);
    if (!seq) {
        // A search that found nothing is one fact, whatever the program said about it.
        static const std::vector<std::string_view> foundNothing = { "not found", "no such", "find", "locate",
            "does not exist", "doesn't exist", "missing", "none", "no config", "no file", "no input" };
        const bool saysNotFound = context.lastWords().empty()
            || (MessageText::containsAny(context.reason(), foundNothing)
                && !MessageText::rejectsArguments(context.lastWordsText(3)));
        if (const auto search = failedSearch(context); search && saysNotFound) {
            const std::string names = joined(search->names);
            const std::string folders = joined(search->folders, 4);
            Verdict verdict = makeVerdict("missing_file",
                context.programName() + " looked for " + names + " in " + folders + " and found none.",
                context.lastWords().empty() ? 0.6 : 0.75);
            verdict.fact("searched", names);
            verdict.fact("folders", folders);
            verdict.fact("lookups", static_cast<std::int64_t>(search->lookups.size()));
            verdict.fact("path", context.text(context.event(search->lookups.front()).path));
            verdict.fact("errno", "ENOENT");
            verdict.fact("cwd", context.subject().cwd);
            verdict.explanation = "Its last " + std::to_string(search->lookups.size())
                + " file lookups all failed with ENOENT (no such file or directory)"
                + (context.lastWords().empty() ? ", and it exited without a word."
                                               : ", and then it said: " + quoteLastWords(context));
            const std::size_t count = search->lookups.size();
            addEvidence(verdict, context, search->lookups.front(),
                std::to_string(count) + " failed lookups of " + names + " in " + folders + ", the first:");
            addEvidence(verdict, context, search->lookups.back(), "... and the last:");
            addMessageEvidence(verdict, context);
            verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
            verdict.suggestions.push_back("Create " + search->names.front() + " in " + search->folders.front()
                + " (or point the program at its configuration explicitly).");
            return verdict;
        }
        if (const FailedCall call = unreportedFailure(context, errnos); call.seq) {
            seq = call.seq;
            link = call.link;
            confidence = call.confidence;
        }
    }
    if (!seq)
        return std::nullopt;
    const Event& e = context.event(*seq);
    const std::string path = context.text(e.path);
    const std::string name = baseOf(path);
    const std::string cwd = context.subject().cwd;
    const std::string error = errnoName(e.errnum);
    // Did the program name it relative to its working directory? Then the directory is the
    // likely mistake (started from the wrong folder), not the file.
    const std::string relative = relativeForm(context, path, cwd);
    const std::string nearby = relative.empty() ? std::string() : folderContaining(context, relative, cwd);
    std::string headline;
    std::string suggestion;
    if (error == "ENOTDIR") {
        const std::string file = offendingComponent(path, false);
        const std::string culprit = file.empty() ? folderOf(path) : file;
        headline = culprit + " is a file, not a folder, so " + path + " cannot exist.";
        suggestion = "Rename or move the file " + culprit
            + " out of the way (or give the program a path under a real "
              "folder), so "
            + path + " can be created.";
    } else if (error == "ELOOP") {
        std::string loop = offendingComponent(path, true);
        if (loop.empty())
            loop = path;
        headline = loop + " is a symbolic link that loops, so " + path + " cannot be opened.";
        suggestion = "Point the symbolic link " + loop + " at a real file or folder (ls -l " + loop + ").";
    } else if (!relative.empty() && folderOf(path) == cwd) {
        headline = name + " does not exist in the working directory " + cwd + ".";
    } else if (!relative.empty()) {
        headline = path + " does not exist (" + relative + ", relative to the working folder " + cwd + ").";
    } else {
        headline = path + " does not exist.";
    }
    Verdict verdict = makeVerdict("missing_file", headline, confidence);
    verdict.fact("path", path);
    verdict.fact("errno", error);
    verdict.fact("cwd", cwd);
    verdict.fact("operation", context.op(e));
    if (error == "ENOTDIR") {
        if (const std::string file = offendingComponent(path, false); !file.empty())
            verdict.fact("not_a_folder", file);
    } else if (error == "ELOOP") {
        if (const std::string loop = offendingComponent(path, true); !loop.empty())
            verdict.fact("symlink_loop", loop);
    }
    if (!relative.empty()) {
        verdict.fact("given_as", relative);
        if (!nearby.empty())
            verdict.fact("found_in", nearby);
    }
    verdict.explanation = context.programName() + " tried to " + context.op(e) + " " + path + " and got " + error + " ("
        + errnoMessage(e.errnum) + ")";
    explainLink(verdict, context, link, *seq);
    if (!relative.empty())
        verdict.explanation += " It gave the path as " + relative + ", relative to its working folder " + cwd + "."
            + (nearby.empty() ? std::string() : " " + nearby + "/" + relative + " does exist.");
    addEvidence(verdict, context, *seq);
    if (link != Link::Silent)
        addMessageEvidence(verdict, context);
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
    if (!suggestion.empty())
        verdict.suggestions.push_back(suggestion);
    else if (!nearby.empty())
        verdict.suggestions.push_back("Start it from " + nearby + ", where " + relative + " exists (or give it the "
            + "absolute path " + nearby + "/" + relative + ").");
    else if (!relative.empty())
        verdict.suggestions.push_back(
            "Create " + relative + " in " + cwd + ", or start the program from the folder that contains it.");
    else
        verdict.suggestions.push_back("Create " + path + " (or fix the path the program was given).");
    return verdict;
}

std::optional<Verdict> permissionDenied(const DiagnosisContext& context)
{
    if (!context.failed())
        return std::nullopt;
    const std::vector<int> errnos = { EACCES, EPERM, EROFS };
    Link link = Link::Reported;
    double confidence = 0.95;
    auto seq = context.reportedFailure(errnos);
    if (!seq) {
        if (const FailedCall call = unreportedFailure(context, errnos); call.seq) {
            seq = call.seq;
            link = call.link;
            confidence = call.confidence;
        }
    }
    if (!seq)
        return std::nullopt;
    const Event& e = context.event(*seq);
    const std::string path = context.text(e.path);
    unsigned uid = 0;
    unsigned gid = 0;
    std::string user = runAsUser(context, uid, gid);
    // Who it was when the call failed (the tracer read /proc at the exit stop: "; as uid U gid G
    // groups A,B"), not who launched it: a wrapper may have dropped privileges on the way.
    const std::string detail = context.text(e.detail);
    std::string groups;
    std::string idsFrom = "when it was launched";
    if (const std::size_t as = detail.find("; as uid "); as != std::string::npos) {
        unsigned parsedUid = 0;
        unsigned parsedGid = 0;
        char groupText[256] = {};
        if (std::sscanf(detail.c_str() + as, "; as uid %u gid %u groups %255[^;]", &parsedUid, &parsedGid, groupText)
            >= 2) {
            uid = parsedUid;
            gid = parsedGid;
            groups = groupText;
            idsFrom = "when the call failed";
            const passwd* entry = getpwuid(uid);
            user = entry ? entry->pw_name : std::to_string(uid);
        }
    }
    const bool readOnly = errnoName(e.errnum) == "EROFS";
    Verdict verdict = makeVerdict("permission_denied",
        readOnly ? context.programName() + " may not write " + path + ": its file system is mounted read-only."
                 : context.programName() + " may not " + (context.op(e) == "execve" ? "run " : "open ") + path
                + " as user " + (user.empty() ? std::to_string(uid) : user) + ".",
        confidence);
    verdict.fact("path", path);
    verdict.fact("errno", errnoName(e.errnum));
    verdict.fact("uid", static_cast<std::int64_t>(uid));
    verdict.fact("gid", static_cast<std::int64_t>(gid));
    if (!groups.empty())
        verdict.fact("groups", groups == "-" ? std::string() : groups);
    verdict.fact("ids_from", idsFrom);
    verdict.fact("operation", context.op(e));
    // The tracer appended "; owner U:G mode M PATH, owner ... FOLDER" when the call failed.
    std::string ownership;
    if (const std::size_t at = detail.find("; owner "); at != std::string::npos) {
        ownership = detail.substr(at + 2);
        verdict.fact("ownership", ownership);
    }
    verdict.explanation = context.op(e) + " of " + path + " failed with " + errnoName(e.errnum) + " ("
        + errnoMessage(e.errnum) + ") for uid " + std::to_string(uid) + " gid " + std::to_string(gid)
        + (groups.empty() || groups == "-" ? std::string() : " groups " + groups) + " (" + idsFrom + ")"
        + (ownership.empty() ? std::string() : ". At that moment: " + ownership);
    explainLink(verdict, context, link, *seq);
    if (readOnly)
        verdict.explanation += " The file system is mounted read-only.";
    addEvidence(verdict, context, *seq);
    if (link != Link::Silent)
        addMessageEvidence(verdict, context);
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
    if (readOnly)
        verdict.suggestions.push_back("Give the program a writable location instead of " + path
            + " (or remount the file system that holds " + folderOf(path) + " read-write).");
    else
        verdict.suggestions.push_back("Run it as a user that can "
            + std::string(context.op(e) == "execve" ? "run " : "access ") + path + ", or change the owner or mode of "
            + path + " (chown/chmod) or of its folder " + folderOf(path) + ".");
    return verdict;
}

std::optional<Verdict> configError(const DiagnosisContext& context)
{
    if (context.status().kind != ExitStatus::Kind::Exited || context.status().code == 0 || context.lastWords().empty())
        return std::nullopt;
    const std::string words = context.lastWordsText(3);
    const std::string& reason = context.reason();
    if (MessageText::rejectsArguments(words) || MessageText::rejectsArguments(reason)) {
        // Its own arguments (a child's too), and the one its message names, the longest that fits.
        std::string arguments;
        std::string named;
        const auto& argv = context.subject().argv;
        for (std::size_t i = 1; i < argv.size(); ++i) {
            arguments += (arguments.empty() ? "" : " ") + argv[i];
            std::string flag = argv[i].substr(0, argv[i].find('='));
            if (flag.size() >= 2 && flag.size() > named.size() && reason.find(flag) != std::string::npos)
                named = flag;
        }
        Verdict verdict = makeVerdict("config_error",
            context.programName()
                + (named.empty() ? std::string(" rejected its command-line arguments.")
                                 : " rejected its argument " + named + ": \"" + reason + "\""),
            0.85);
        verdict.explanation = "It said: " + quoteLastWords(context);
        verdict.fact("source", "arguments");
        verdict.fact("message", reason);
        verdict.fact("arguments", arguments);
        if (!named.empty())
            verdict.fact("argument", named);
        verdict.suggestions.push_back(
            (named.empty() ? "Check the arguments it was given (\"" + arguments + "\")"
                           : "Correct or remove the argument " + named + " (it was given \"" + arguments + "\")")
            + " against " + context.programName() + "'s usage text (" + context.programName() + " --help).");
        addMessageEvidence(verdict, context);
        verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
        return verdict;
    }
    // An environment variable it says is missing: was it set when it was started?
    if (const std::string variable = MessageText::missingVariable(reason); !variable.empty()) {
        const auto value = context.launchVariable(variable);
        if (!value || value->empty()) {
            const std::string state = value ? "empty" : "not set";
            Verdict verdict = makeVerdict("config_error",
                context.programName() + " needs the environment variable " + variable + ", which was " + state
                    + " in the environment it was started with.",
                0.9);
            verdict.fact("source", "environment");
            verdict.fact("variable", variable);
            verdict.fact("message", reason);
            verdict.explanation = "It said " + quoteLastWords(context)
                + ", and the environment ExitLens started it with "
                + (value ? "has " + variable + " set to an empty value." : "has no " + variable + ".");
            addMessageEvidence(verdict, context);
            verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
            verdict.suggestions.push_back("Set " + variable + " in the environment it is started with (export "
                + variable + "=... in the shell, or Environment= in a service unit).");
            return verdict;
        }
    }
    // A path it was given names the wrong kind of thing: a folder where it writes a file, or a
    // file that must not exist yet (a lock left behind).
    if (const auto seq = context.reportedFailure({ EISDIR, EEXIST })) {
        const Event& e = context.event(*seq);
        const std::string path = context.text(e.path);
        const bool folder = errnoName(e.errnum) == "EISDIR";
        Verdict verdict = makeVerdict("config_error",
            folder ? path + " is a folder, but " + context.programName() + " needs a file there."
                   : path + " already exists, and " + context.programName() + " needs to create it anew.",
            0.9);
        verdict.fact("path", path);
        verdict.fact("errno", errnoName(e.errnum));
        verdict.fact("operation", context.op(e));
        verdict.explanation = context.programName() + " tried to " + context.op(e) + " " + path + " and got "
            + errnoName(e.errnum) + " (" + errnoMessage(e.errnum) + ")";
        explainLink(verdict, context, Link::Reported, *seq);
        addEvidence(verdict, context, *seq);
        addMessageEvidence(verdict, context);
        verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
        verdict.suggestions.push_back(folder
                ? "Give the program a file path instead of the folder " + path + " (or move the folder away)."
                : "If no other copy of " + context.programName() + " is running, remove " + path
                    + " (a leftover from an earlier run); otherwise stop that copy first.");
        return verdict;
    }
    const bool complaint = MessageText::rejectsInput(words) || MessageText::rejectsInput(reason);
    // A rejected value it quotes that is one of its arguments ("malformed recipient \"x\""): the
    // arguments are wrong, not a file.
    if (complaint) {
        if (const std::string argument = quotedArgument(context, reason); !argument.empty()) {
            Verdict verdict = makeVerdict(
                "config_error", context.programName() + " rejected its argument \"" + argument + "\": " + reason, 0.8);
            verdict.fact("source", "arguments");
            verdict.fact("argument", argument);
            verdict.fact("message", reason);
            verdict.explanation =
                "It said " + quoteLastWords(context) + ", quoting a value it was given on its command line.";
            addMessageEvidence(verdict, context);
            verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
            verdict.suggestions.push_back("Correct the argument \"" + argument + "\" (see " + context.programName()
                + " --help for the form it expects).");
            return verdict;
        }
    }
    // The configuration file: one the program opened successfully and names in its complaint; or,
    // when it names none, the last file it read that is its own (not a library, locale or /proc).
    const auto opened = context.events([&](const Event& e) {
        return !e.failed() && e.cls == EventClass::File && (context.op(e) == "openat" || context.op(e) == "open");
    });
    std::optional<std::uint64_t> named;
    std::optional<std::uint64_t> lastRead;
    for (auto it = opened.rbegin(); it != opened.rend() && !named; ++it) {
        const std::string path = context.text(context.event(*it).path);
        if (isSystemFile(path) || path == context.subject().exe
            || (!context.script().empty() && baseOf(path) == baseOf(context.script())))
            continue; // its own executable or script is no input it rejected
        if (context.stderrMentions(baseOf(path)))
            named = *it;
        else if (!lastRead && context.text(context.event(*it).detail).find("O_RDONLY") != std::string::npos)
            lastRead = *it;
    }
    const auto seq = named ? named : lastRead;
    if (!seq)
        return std::nullopt;
    const std::string path = context.text(context.event(*seq).path);
    // Without a word of rejection, only a "file:line" pointing into the file it read counts
    // ("deploy.sh:2:1: if statement must end with \"fi\"").
    if (!complaint && (!named || MessageText::lineFor(words, baseOf(path), false) == 0))
        return std::nullopt;
    const std::string message = reason.empty() ? context.lastWordsText(1) : reason;
    Verdict verdict = makeVerdict(
        "config_error", context.programName() + " rejected the contents of " + path + ".", named ? 0.85 : 0.7);
    verdict.fact("path", path);
    verdict.fact("message", message);
    verdict.explanation = "It read " + path + " and then said: " + quoteLastWords(context);
    if (!named)
        verdict.explanation +=
            " The message names no file; " + path + " is the last file of its own it read before it gave up.";
    // A line number only from "name:12" or "line 12", never a timestamp's "23:53:32".
    const int line =
        MessageText::lineFor(context.stderrText().size() > 8192 ? words : context.stderrText(), baseOf(path), true);
    if (line > 0) {
        verdict.fact("line", static_cast<std::int64_t>(line));
        verdict.explanation += " (line " + std::to_string(line) + ")";
        verdict.headline = context.programName() + " rejected line " + std::to_string(line) + " of " + path + ".";
    }
    addEvidence(verdict, context, *seq);
    addMessageEvidence(verdict, context);
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
    verdict.suggestions.push_back("Fix " + path + (line > 0 ? " at line " + std::to_string(line) : std::string())
        + " where the message points; compare it with a known-good copy.");
    return verdict;
}

} // namespace exitlens::rules
