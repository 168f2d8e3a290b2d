// seccomp and signal_killed: ended by a signal, and by whom.
#include "Names.h"
#include "Rules.h"

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace exitlens::rules {

namespace {
struct Sender {
    int pid = 0;
    std::string name;
    bool kernel = false;
    bool itself = false;
};

// Parses the tracer's "sent by pid 42 (supervisor) uid 0" / "sent by the kernel" wording.
Sender parseSender(const std::string& detail)
{
    Sender sender;
    constexpr std::string_view byPid = "sent by pid ";
    std::size_t at = detail.find(byPid);
    while (at != std::string::npos
        && !(at + byPid.size() < detail.size() && std::isdigit(static_cast<unsigned char>(detail[at + byPid.size()]))))
        at = detail.find(byPid, at + 1);
    if (at != std::string::npos) {
        std::size_t end = at + byPid.size();
        int pid = 0;
        while (end < detail.size() && std::isdigit(static_cast<unsigned char>(detail[end])) && pid < 100000000)
            pid = pid * 10 + (detail[end++] - '0');
        sender.pid = pid;
        if (detail.compare(end, 2, " (") == 0) {
            const std::size_t close = detail.find(')', end + 2);
            if (close != std::string::npos)
                sender.name = detail.substr(end + 2, close - end - 2);
        }
        sender.itself = sender.name == "itself";
    } else if (detail.find("sent by the kernel") != std::string::npos) {
        sender.kernel = true;
    }
    return sender;
}

std::string describe(const Sender& sender)
{
    if (sender.kernel)
        return "the kernel";
    if (sender.pid > 0)
        return "pid " + std::to_string(sender.pid) + (sender.name.empty() ? "" : " (" + sender.name + ")");
    return "an unknown sender";
}

// The sender by its relation to the subject, with its command line, when it was traced: "its own
// child, pid 12: `sh scripts/cleanup.sh`"; the facts sender_relation, sender_command and
// sender_read (the last files it read before the kill). Falls back to describe().
std::string relate(const DiagnosisContext& context, const Sender& sender, Verdict* verdict = nullptr)
{
    if (sender.pid <= 0 || sender.itself)
        return describe(sender);
    const ProcessRecord& subject = context.subject();
    for (const auto& process : context.processes()) {
        if (process.pid != sender.pid)
            continue;
        std::string command;
        for (const auto& word : process.argv)
            command += (command.empty() ? "" : " ") + word;
        if (command.size() > 200)
            command = command.substr(0, 200) + "…";
        const std::string relation = process.ppid == subject.pid ? "child"
            : subject.ppid == process.pid                        ? "parent"
                                                                 : "traced";
        const std::string words = relation == "child" ? "its own child"
            : relation == "parent"                    ? "its parent"
                                                      : "another traced process";
        if (verdict) {
            verdict->fact("sender_relation", relation);
            if (!command.empty())
                verdict->fact("sender_command", command);
            const DiagnosisContext senderContext(context.data(), context.summary(), process);
            const auto read = filesRead(senderContext, 3);
            std::string files;
            for (const auto& file : read)
                files += (files.empty() ? "" : ", ") + file;
            if (!files.empty())
                verdict->fact("sender_read", files);
        }
        return words + ", pid " + std::to_string(sender.pid)
            + (command.empty() ? std::string() : ": `" + command + "`");
    }
    return describe(sender);
}

// The delivery of `signal` to the subject that came from outside it (the Go runtime re-sends
// fatal signals to itself; that echo is not the cause).
std::optional<std::uint64_t> externalDelivery(const DiagnosisContext& context, int signal)
{
    std::optional<std::uint64_t> any;
    for (auto seq : context.events([&](const Event& e) { return e.kind == EventKind::Signal && e.result == signal; })) {
        const Sender sender = parseSender(context.text(context.event(seq).detail));
        if (sender.pid > 0 && !sender.itself && sender.pid != context.subject().pid)
            return seq;
        if (!any)
            any = seq;
    }
    return any;
}

// The traced kill()/tgkill() call that sent `signal` to the subject, if a traced process made it.
std::optional<std::uint64_t> killCall(const DiagnosisContext& context, int signal)
{
    const std::string target = "pid " + std::to_string(context.subject().pid);
    const std::string name = signalName(signal);
    const auto& events = context.data().events();
    for (std::uint64_t seq = events.size(); seq > context.subject().startSeq; --seq) {
        const Event& e = events.at(seq - 1);
        const std::string op = context.op(e);
        if ((op == "kill" || op == "tgkill" || op == "tkill") && e.pid != context.subject().pid) {
            const std::string detail = context.text(e.detail);
            const bool aimed = detail.rfind(target + ",", 0) == 0 || detail.rfind(target + " tid", 0) == 0;
            if (aimed && detail.find(name) != std::string::npos)
                return seq - 1;
        }
    }
    return std::nullopt;
}

bool isFault(int signal)
{
    return signal == SIGSEGV || signal == SIGBUS || signal == SIGILL || signal == SIGFPE || signal == SIGTRAP;
}
} // namespace

std::optional<Verdict> seccompKill(const DiagnosisContext& context)
{
    const ExitStatus& status = context.status();
    // Killed by SIGSYS (SECCOMP_RET_KILL_*), or a SIGSYS from a filter's SECCOMP_RET_TRAP that the
    // program then died of (the Go runtime turns it into "SIGSYS: bad system call").
    const bool killed = status.kind == ExitStatus::Kind::Signaled && status.signal == SIGSYS;
    const bool trapped = context.failed() && context.lastEvent([&](const Event& e) {
        return e.kind == EventKind::Signal && e.result == SIGSYS
            && context.text(e.detail).find("SYS_SECCOMP") != std::string::npos;
    });
    if (!killed && !trapped)
        return std::nullopt;
    Verdict verdict = makeVerdict("seccomp", context.programName() + " was killed by a seccomp filter.", 0.9);
    std::string syscall;
    if (auto seq =
            context.lastEvent([](const Event& e) { return e.kind == EventKind::Signal && e.result == SIGSYS; })) {
        const std::string detail = context.text(context.event(*seq).detail);
        if (const std::size_t at = detail.find("syscall "); at != std::string::npos)
            syscall = detail.substr(at + 8);
        addEvidence(verdict, context, *seq);
    }
    if (!syscall.empty()) {
        verdict.headline = context.programName() + " was killed by a seccomp filter when it called " + syscall + ".";
        verdict.fact("syscall", syscall);
    }
    verdict.fact("signal", "SIGSYS");
    verdict.explanation = "SIGSYS with code SYS_SECCOMP: a seccomp filter (from a container runtime, systemd's "
                          "SystemCallFilter=, or the program itself) forbids "
        + (syscall.empty() ? std::string("a system call it made") : syscall) + ".";
    verdict.suggestions.push_back((syscall.empty() ? "Find the call pid " + std::to_string(context.subject().pid)
                                              + " made last (exitlens run --full records every call) and allow it"
                                                   : "Allow " + syscall)
        + " in the seccomp filter (the container's seccomp profile, SystemCallFilter=), or avoid it.");
    return verdict;
}

std::optional<Verdict> signalKilled(const DiagnosisContext& context)
{
    const ExitStatus& status = context.status();
    const std::string program = context.programName();

    if (status.kind == ExitStatus::Kind::Signaled) {
        const int signal = status.signal;
        // A Go crash ends in the runtime's own SIGABRT (GOTRACEBACK=crash) or a fault: the Go rules say why.
        if (context.goCrash() && (signal == SIGABRT || isFault(signal)))
            return std::nullopt;
        const std::string name = signalName(signal);
        Verdict verdict = makeVerdict("signal_killed", "", 0.9);
        verdict.fact("signal", name);
        Sender sender;
        if (signal == SIGKILL) {
            sender = parseSender(context.text(context.event(context.subject().endSeq).detail));
            if (auto call = killCall(context, SIGKILL))
                addEvidence(verdict, context, *call);
        } else if (auto seq = externalDelivery(context, signal)) {
            sender = parseSender(context.text(context.event(*seq).detail));
            addEvidence(verdict, context, *seq);
            if (auto call = killCall(context, signal))
                addEvidence(verdict, context, *call);
        }
        if (sender.pid > 0 && !sender.itself) {
            verdict.fact("sender_pid", static_cast<std::int64_t>(sender.pid));
            if (!sender.name.empty())
                verdict.fact("sender", sender.name);
        } else if (sender.kernel) {
            verdict.fact("sender", "kernel");
        }
        verdict.evidence.push_back({ status.describe(), context.subject().endSeq });

        if (signal == SIGPIPE) {
            verdict.headline = program + " was killed by SIGPIPE: it wrote to a pipe whose reader had gone.";
            verdict.explanation = "The program on the other end of its output pipe exited or closed it (as "
                                  "`| head` does after the lines it wants).";
            if (auto write = context.lastEvent([](const Event& e) { return e.failed() && e.errnum == EPIPE; })) {
                const Event& e = context.event(*write);
                verdict.fact("stream", context.text(e.path));
                verdict.explanation += " The write to " + context.text(e.path) + " failed with EPIPE.";
                addEvidence(verdict, context, *write);
            }
            verdict.suggestions.push_back("Expected when a reader stops early; otherwise check why the reader exited.");
            return verdict;
        }
        if (signal == SIGKILL && sender.pid <= 0) {
            verdict.headline = program + " was killed by SIGKILL from an unknown sender.";
            verdict.confidence = 0.6;
            verdict.explanation = "SIGKILL cannot be caught or seen on delivery, and no traced process sent it. "
                                  "Candidates: the kernel's OOM killer (its cgroup's oom_kill counter did not rise, "
                                  "so a cgroup OOM is unlikely), a supervisor's stop timeout, or someone's kill -9.";
            verdict.suggestions.push_back("Check the kernel log (dmesg | grep -i kill) and the supervisor's log "
                                          "around the time it died.");
            return verdict;
        }
        if (isFault(signal) && (sender.kernel || sender.pid <= 0)) {
            verdict.headline = program + " crashed with " + name + " (" + std::string(strsignal(signal)) + ").";
            verdict.explanation = "The kernel sent it " + name
                + " for an invalid memory access or instruction in "
                  "its own code.";
            if (auto fault = context.lastEvent(
                    [&](const Event& e) { return e.kind == EventKind::Signal && e.result == signal; }))
                verdict.explanation += " " + context.text(context.event(*fault).detail) + ".";
            verdict.suggestions.push_back("Run it under a debugger or with core dumps enabled (ulimit -c unlimited).");
            return verdict;
        }
        if (sender.itself) {
            verdict.headline = program + " killed itself with " + name + ".";
            verdict.explanation = "It raised " + name + " (" + std::string(strsignal(signal))
                + ") against itself, as abort() does after a fatal internal error.";
            verdict.confidence = 0.7;
            return verdict;
        }
        verdict.headline = program + " was killed by " + name + " from " + relate(context, sender, &verdict) + ".";
        verdict.explanation = name + " (" + std::string(strsignal(signal))
            + ") ended it; it had no handler for it, "
              "so the default action applied.";
        if (signal == SIGTERM || signal == SIGINT || signal == SIGHUP)
            verdict.suggestions.push_back("If the stop was expected (a supervisor, a deploy), handle " + name
                + " to shut down cleanly; otherwise find out why " + describe(sender) + " sent it.");
        return verdict;
    }

    // Exited on its own, but right after a termination signal it did not ignore: its handler shut it down.
    if (status.kind != ExitStatus::Kind::Exited)
        return std::nullopt;
    for (int signal : { SIGTERM, SIGINT, SIGHUP, SIGQUIT }) {
        const auto seq = externalDelivery(context, signal);
        if (!seq)
            continue;
        const std::string detail = context.text(context.event(*seq).detail);
        const Sender sender = parseSender(detail);
        if (detail.find("ignored by the process") != std::string::npos || sender.itself || sender.pid <= 0)
            continue;
        Verdict verdict = makeVerdict("signal_killed",
            program + " shut down after " + signalName(signal) + " from " + relate(context, sender) + ".", 0.8);
        relate(context, sender, &verdict);
        verdict.explanation = "It handled " + signalName(signal) + " and exited with code "
            + std::to_string(status.code) + " in response.";
        verdict.fact("signal", signalName(signal));
        verdict.fact("sender_pid", static_cast<std::int64_t>(sender.pid));
        if (!sender.name.empty())
            verdict.fact("sender", sender.name);
        verdict.fact("exit_code", static_cast<std::int64_t>(status.code));
        addEvidence(verdict, context, *seq);
        if (auto call = killCall(context, signal))
            addEvidence(verdict, context, *call);
        verdict.suggestions.push_back("Find out why " + describe(sender) + " asked it to stop.");
        return verdict;
    }
    return std::nullopt;
}

} // namespace exitlens::rules
