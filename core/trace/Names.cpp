#include "Names.h"

#include <csignal>
#include <cstring>

namespace exitlens {

std::string errnoName(int err)
{
    if (const char* name = strerrorname_np(err))
        return name;
    return "errno " + std::to_string(err);
}

std::string errnoMessage(int err)
{
    if (const char* text = strerrordesc_np(err))
        return text;
    return "unknown error " + std::to_string(err);
}

std::string signalName(int sig)
{
    if (sig >= SIGRTMIN && sig <= SIGRTMAX)
        return "SIGRT" + std::to_string(sig - SIGRTMIN);
    if (const char* name = sigabbrev_np(sig))
        return std::string("SIG") + name;
    return "signal " + std::to_string(sig);
}

int signalNumber(const std::string& name)
{
    const std::string bare = name.rfind("SIG", 0) == 0 ? name.substr(3) : name;
    for (int sig = 1; sig < NSIG; ++sig) {
        const char* abbrev = sigabbrev_np(sig);
        if (abbrev && bare == abbrev)
            return sig;
    }
    return 0;
}

} // namespace exitlens
