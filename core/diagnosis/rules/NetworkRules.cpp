// network_error: address in use, connection refused, name resolution.
#include "Names.h"
#include "Rules.h"
#include "diagnosis/MessageText.h"

#include <cerrno>

namespace exitlens::rules {

namespace {
struct Lookup {
    std::string host;
    std::string reason;
    std::string text;
};

// Go's resolver error: "lookup HOST[ on SERVER:PORT]: REASON", found by scanning (a host name is
// at most 253 bytes; a longer token is no host name).
std::optional<Lookup> findLookup(const std::string& text)
{
    static const std::vector<std::string_view> reasons = { "no such host", "server misbehaving",
        "Temporary failure in name resolution", "i/o timeout" };
    constexpr std::string_view prefix = "lookup ";
    for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + 1)) {
        const std::size_t hostStart = at + prefix.size();
        const std::string_view host = MessageText::token(text, hostStart, " \t\r\n\f\v:");
        if (host.empty() || host.size() > 253)
            continue;
        std::size_t rest = hostStart + host.size();
        if (text.compare(rest, 4, " on ") == 0) {
            // " on 127.0.0.53:53"
            const std::size_t colon = text.find(':', rest + 4);
            std::size_t digits = colon == std::string::npos ? colon : colon + 1;
            while (digits != std::string::npos && digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
                ++digits;
            if (colon == std::string::npos || digits == colon + 1 || colon - rest > 300)
                continue;
            rest = digits;
        }
        if (text.compare(rest, 2, ": ") != 0)
            continue;
        for (std::string_view reason : reasons) {
            if (text.compare(rest + 2, reason.size(), reason) == 0)
                return Lookup { std::string(host), std::string(reason),
                    text.substr(at, rest + 2 + reason.size() - at) };
        }
    }
    return std::nullopt;
}

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
            verdict.suggestions.push_back(address.empty()
                    ? std::string("Start the service it connects to first, or fix the address it was given.")
                    : "Start the service that should listen on " + address
                        + " first, or fix the address it was given.");
            addEvidence(verdict, context, *seq);
            return verdict;
        }
    }
    if (const auto lookup = findLookup(context.stderrText())) {
        Verdict verdict = makeVerdict(
            "network_error", context.programName() + " could not resolve the host name " + lookup->host + ".", 0.9);
        verdict.fact("host", lookup->host);
        verdict.fact("reason", lookup->reason);
        verdict.explanation = "Name resolution failed: " + lookup->text + ".";
        verdict.suggestions.push_back(
            "Check the host name " + lookup->host + " and the resolver configuration (/etc/resolv.conf, /etc/hosts).");
        return verdict;
    }
    return std::nullopt;
}

} // namespace exitlens::rules
