// network_error: address in use, connection refused, name resolution.
#include "Names.h"
#include "Rules.h"

#include <cerrno>
#include <regex>

namespace exitlens::rules {

namespace {
// The address a socket fd was connecting to: Go connects without blocking (EINPROGRESS) and
// learns the outcome from getsockopt(SO_ERROR) later, which names only the fd.
std::string connectAddress(const DiagnosisContext& context, std::uint64_t before, const std::string& fd)
{
    const auto seq =
        context.lastEvent([&](const Event& e) { return context.op(e) == "connect" && context.text(e.detail) == fd; });
    return seq && *seq < before ? context.text(context.event(*seq).path) : std::string();
}
} // namespace

std::optional<Verdict> networkError(const DiagnosisContext& context)
{
    if (!context.failed())
        return std::nullopt;
    if (context.stderrMentions("address already in use")) {
        if (auto seq = context.lastEvent([&](const Event& e) { return e.failed() && e.errnum == EADDRINUSE; })) {
            const Event& e = context.event(*seq);
            const std::string address = context.text(e.path);
            const std::string detail = context.text(e.detail);
            Verdict verdict = makeVerdict("network_error",
                context.programName() + " could not listen on " + address + ": the address is already in use.", 0.95);
            verdict.fact("address", address);
            verdict.fact("errno", "EADDRINUSE");
            verdict.explanation = "bind to " + address + " failed with EADDRINUSE.";
            if (const std::size_t at = detail.find("port held by "); at != std::string::npos) {
                const std::string holder = detail.substr(at + 13);
                verdict.fact("holder", holder);
                verdict.explanation += " The port is held by " + holder + ".";
                verdict.suggestions.push_back("Stop " + holder + " or configure another port.");
            } else {
                verdict.suggestions.push_back(
                    "Find the program using the port (ss -ltnp) and stop it, or use another port.");
            }
            addEvidence(verdict, context, *seq);
            return verdict;
        }
    }
    if (context.stderrMentions("connection refused")) {
        if (auto seq = context.lastEvent([&](const Event& e) { return e.failed() && e.errnum == ECONNREFUSED; })) {
            const Event& e = context.event(*seq);
            std::string address = context.text(e.path);
            if (address.empty()) {
                const std::string detail = context.text(e.detail);
                address = connectAddress(context, *seq, detail.substr(0, detail.find(',')));
            }
            Verdict verdict = makeVerdict("network_error",
                context.programName() + " could not connect to " + (address.empty() ? std::string("a server") : address)
                    + ": connection refused.",
                0.9);
            verdict.fact("address", address);
            verdict.fact("errno", "ECONNREFUSED");
            verdict.explanation = "Nothing was listening at " + (address.empty() ? std::string("the address") : address)
                + " when it connected, and it gave up: " + quoteLastWords(context);
            verdict.suggestions.push_back("Start the service it connects to first, or fix the address it was given.");
            addEvidence(verdict, context, *seq);
            return verdict;
        }
    }
    static const std::regex lookup("lookup ([^\\s:]+)(?: on [^:]+:\\d+)?: (no such host|server misbehaving|"
                                   "Temporary failure in name resolution|i/o timeout)");
    std::smatch match;
    if (std::regex_search(context.stderrText(), match, lookup)) {
        Verdict verdict = makeVerdict("network_error",
            context.programName() + " could not resolve the host name " + std::string(match[1]) + ".", 0.9);
        verdict.fact("host", std::string(match[1]));
        verdict.fact("reason", std::string(match[2]));
        verdict.explanation = "Name resolution failed: " + std::string(match[0]) + ".";
        verdict.suggestions.push_back(
            "Check the host name and the resolver configuration (/etc/resolv.conf, /etc/hosts).");
        return verdict;
    }
    return std::nullopt;
}

} // namespace exitlens::rules
