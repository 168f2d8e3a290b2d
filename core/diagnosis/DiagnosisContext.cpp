#include "DiagnosisContext.h"

#include "Names.h"
#include "diagnosis/MessageText.h"
#include "go/BinaryReader.h"
#include "go/GoBuildInfo.h"

#include <algorithm>
#include <cctype>

namespace exitlens {

namespace {
std::string lower(std::string_view text)
{
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

// The non-empty lines of text, trailing CR stripped.
std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> result;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") != std::string::npos)
            result.push_back(std::move(line));
        start = end + 1;
    }
    return result;
}
} // namespace

namespace {
// The module path of the program's own code, from the executable's Go build info.
std::string readOwnModule(const std::string& exe)
{
    std::string error;
    const auto binary = exe.empty() ? nullptr : BinaryReader::open(exe, error);
    if (!binary)
        return {};
    const auto info = GoBuildInfo::read(*binary, error);
    return info ? info->ownModule() : std::string();
}
} // namespace

DiagnosisContext::DiagnosisContext(const CaptureData& data, const TraceSummary& summary, const ProcessRecord& subject)
    : m_data(data)
    , m_summary(summary)
    , m_launch(data.context())
    , m_subject(subject)
    , m_processes(data.processes().snapshot())
{
    m_isRoot = !m_processes.empty() && m_processes.front().pid == subject.pid
        && m_processes.front().startSeq == subject.startSeq;
    m_status =
        m_isRoot && summary.rootStatus.kind == ExitStatus::Kind::LaunchFailed ? summary.rootStatus : subject.status;
    m_stderr = streamBytes(2);
    m_stderrLower = lower(m_stderr);
    // Last words: stderr first (where programs explain themselves), then stdout.
    m_lastWords = lines(m_stderr);
    if (m_lastWords.empty())
        m_lastWords = lines(streamBytes(1));
    // The reason among the last lines (a program prints its reason, then a summary, usage or a
    // traceback): the last 40 lines are plenty and keep the scan short.
    const std::size_t from = m_lastWords.size() > 40 ? m_lastWords.size() - 40 : 0;
    m_reason = MessageText::reasonLine(
        std::vector<std::string>(m_lastWords.begin() + static_cast<std::ptrdiff_t>(from), m_lastWords.end()));
    // The module path comes from the executable's build info, which means reading the whole file
    // (tens of MiB for a large Go program): only when there is a crash to attribute, or a stack.
    m_goCrash = findGoCrash(m_stderr, {});
    if (m_goCrash)
        m_goCrash = findGoCrash(m_stderr, ownModule());
    // The Go runtime opens this file first thing in every process (since Go 1.15 on Linux); a
    // capture without the file class, or a session whose program is on this machine, has the
    // executable's own Go sections to tell.
    m_isGo = m_goCrash.has_value() || lastEvent([&](const Event& e) {
        return e.kind == EventKind::Syscall
            && m_data.text(e.path) == "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size";
    }).has_value()
        || (!subject.exe.empty() && BinaryReader::isGoProgram(subject.exe));
}

const std::string& DiagnosisContext::ownModule() const
{
    if (!m_ownModule)
        m_ownModule = readOwnModule(m_subject.exe);
    return *m_ownModule;
}

const std::optional<ExitStack>& DiagnosisContext::exitStack() const
{
    if (!m_exitStackRead) {
        m_exitStackRead = true;
        if (const auto exit = lastEvent([&](const Event& e) { return m_data.text(e.op) == "exit_group"; }))
            m_exitStack = ExitStack::find(m_data, *exit, m_subject.exe, ownModule());
    }
    return m_exitStack;
}

std::vector<ExitContext::OpenFile> DiagnosisContext::writtenFiles() const
{
    std::vector<ExitContext::OpenFile> files;
    for (const auto& file : m_subject.exitContext.openFiles) {
        if (file.fd > 2 && file.forWriting && !file.target.empty() && file.target.front() == '/'
            && !file.target.starts_with("/dev/"))
            files.push_back(file);
    }
    if (files.empty())
        return files;
    // The files it opened itself, not ones it inherited (a test runner's or a shell's log): keep
    // those with a successful open in the capture. Without file events (a capture without the
    // file class) there is nothing to tell them apart by, so every file stays.
    std::vector<std::string> opened;
    bool fileEvents = false;
    for (std::uint64_t seq :
        events([&](const Event& e) { return e.kind == EventKind::Syscall && e.cls == EventClass::File; })) {
        fileEvents = true;
        const Event& e = m_data.events().at(seq);
        const std::string op = text(e.op);
        if (!e.failed() && (op == "openat" || op == "open" || op == "openat2" || op == "creat"))
            opened.push_back(text(e.path));
    }
    if (fileEvents) {
        std::erase_if(files, [&](const ExitContext::OpenFile& file) {
            return std::find(opened.begin(), opened.end(), file.target) == opened.end();
        });
    }
    // The file written last is the likeliest to hold the reason: order by modification time.
    std::stable_sort(
        files.begin(), files.end(), [](const auto& a, const auto& b) { return a.modifiedNs < b.modifiedNs; });
    return files;
}

bool DiagnosisContext::failed() const
{
    switch (m_status.kind) {
    case ExitStatus::Kind::Exited:
        return m_status.code != 0;
    case ExitStatus::Kind::Signaled:
    case ExitStatus::Kind::LaunchFailed:
        return true;
    case ExitStatus::Kind::Running:
        break;
    }
    return false;
}

std::string DiagnosisContext::streamBytes(int stream) const
{
    // The output log keeps the head and tail of each stream for all processes together; pick the
    // subject's chunks from what was kept.
    const OutputLog::StreamView view = m_data.outputLog().stream(stream);
    const std::uint64_t tailStart = view.totalBytes - view.tail.size();
    std::string text;
    for (const auto& chunk : m_data.outputLog().chunks()) {
        if (chunk.stream != stream || chunk.pid != m_subject.pid)
            continue;
        const std::uint64_t begin = chunk.offset;
        const std::uint64_t end = chunk.offset + chunk.length;
        if (begin < view.head.size())
            text.append(view.head, begin, std::min<std::uint64_t>(end, view.head.size()) - begin);
        if (end > tailStart) {
            const std::uint64_t from = std::max(begin, tailStart);
            text.append(view.tail, from - tailStart, end - from);
        }
    }
    return text;
}

std::vector<std::uint64_t> DiagnosisContext::events(const std::function<bool(const Event&)>& predicate) const
{
    std::vector<std::uint64_t> found;
    const std::uint64_t count = m_data.events().size();
    const std::uint64_t last = m_subject.status.ended() ? std::min(count, m_subject.endSeq + 1) : count;
    for (std::uint64_t seq = m_subject.startSeq; seq < last; ++seq) {
        const Event& e = m_data.events().at(seq);
        if (e.pid == m_subject.pid && predicate(e))
            found.push_back(seq);
    }
    return found;
}

std::optional<std::uint64_t> DiagnosisContext::lastEvent(const std::function<bool(const Event&)>& predicate) const
{
    const std::uint64_t count = m_data.events().size();
    std::uint64_t seq = m_subject.status.ended() ? std::min(count, m_subject.endSeq + 1) : count;
    while (seq > m_subject.startSeq) {
        --seq;
        const Event& e = m_data.events().at(seq);
        if (e.pid == m_subject.pid && predicate(e))
            return seq;
    }
    return std::nullopt;
}

bool DiagnosisContext::stderrMentions(std::string_view needle) const
{
    return !needle.empty() && m_stderrLower.find(lower(needle)) != std::string::npos;
}

std::string DiagnosisContext::lastWordsText(std::size_t count) const
{
    std::string text;
    const std::size_t first = m_lastWords.size() > count ? m_lastWords.size() - count : 0;
    for (std::size_t i = first; i < m_lastWords.size(); ++i) {
        if (!text.empty())
            text += '\n';
        text += m_lastWords[i];
    }
    return text;
}

std::optional<std::uint64_t> DiagnosisContext::reportedFailure(const std::vector<int>& errnos) const
{
    // What the program said as it died: the Go crash's own message when there is one, else its
    // last lines. An error it logged earlier and survived is not what ended it.
    const std::string said = lower(m_goCrash ? m_goCrash->message : lastWordsText(3) + "\n" + m_reason);
    if (said.empty())
        return std::nullopt;
    // Newest first: the failure closest to the exit is the one that ended the program.
    const auto failures = events([&](const Event& e) {
        return e.failed() && (e.cls == EventClass::File || e.cls == EventClass::Process)
            && std::find(errnos.begin(), errnos.end(), e.errnum) != errnos.end() && e.path != kNoString;
    });
    for (auto it = failures.rbegin(); it != failures.rend(); ++it) {
        const Event& e = event(*it);
        const std::string path(m_data.text(e.path));
        const std::string reason = lower(errnoMessage(e.errnum));
        // The program names the file as it passed it (often relative): try every suffix of the
        // absolute path that starts at a component, longest first, next to the error text.
        for (std::size_t at = 0; at != std::string::npos && at < path.size(); at = path.find('/', at + 1)) {
            const std::string suffix = lower(path.substr(at == 0 ? 0 : at + 1));
            if (suffix.empty())
                continue;
            std::size_t found = said.find(suffix);
            while (found != std::string::npos) {
                const std::size_t lineEnd = said.find('\n', found);
                const std::string_view rest = std::string_view(said).substr(found, lineEnd - found);
                if (rest.find(reason) != std::string_view::npos)
                    return *it;
                found = said.find(suffix, found + 1);
            }
        }
    }
    return std::nullopt;
}

std::string DiagnosisContext::script() const
{
    static const std::vector<std::string> shells = { "sh", "dash", "bash", "ash", "zsh", "ksh", "mksh", "busybox" };
    const std::string exe = m_subject.exe.substr(m_subject.exe.rfind('/') + 1);
    if (std::find(shells.begin(), shells.end(), exe) == shells.end() || m_subject.argv.size() < 2)
        return {};
    const std::string& first = m_subject.argv[1];
    return first.empty() || first.front() == '-' ? std::string() : first;
}

std::optional<std::string> DiagnosisContext::launchVariable(const std::string& name) const
{
    for (const auto& entry : m_data.spec().environment) {
        if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 && entry[name.size()] == '=')
            return entry.substr(name.size() + 1);
    }
    return std::nullopt;
}

std::optional<std::uint64_t> DiagnosisContext::writeCarrying(const std::string& needle) const
{
    const std::string probe = needle.substr(0, 40);
    std::optional<std::uint64_t> found;
    std::optional<std::uint64_t> substantial;
    for (int stream : { 2, 1 }) {
        const OutputLog::StreamView view = m_data.outputLog().stream(stream);
        const std::uint64_t tailStart = view.totalBytes - view.tail.size();
        for (const auto& chunk : m_data.outputLog().chunks()) {
            if (chunk.stream != stream || chunk.pid != m_subject.pid)
                continue;
            const std::uint64_t begin = chunk.offset;
            const std::uint64_t end = chunk.offset + chunk.length;
            std::string text;
            if (begin < view.head.size())
                text.append(view.head, begin, std::min<std::uint64_t>(end, view.head.size()) - begin);
            if (end > tailStart) {
                const std::uint64_t start = std::max(begin, tailStart);
                text.append(view.tail, start - tailStart, end - start);
            }
            if (!probe.empty() && text.find(probe) != std::string::npos)
                found = chunk.seq;
            if (text.find_first_not_of("\r\n") != std::string::npos)
                substantial = chunk.seq;
        }
        if (found || substantial)
            break;
    }
    return found ? found : substantial;
}

std::string DiagnosisContext::programName() const
{
    if (const std::string path = script(); !path.empty())
        return path.substr(path.rfind('/') + 1);
    const std::string& exe = m_subject.exe.empty() ? m_data.spec().program : m_subject.exe;
    const std::size_t slash = exe.rfind('/');
    return slash == std::string::npos ? exe : exe.substr(slash + 1);
}

} // namespace exitlens
