#include "ProcessStart.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <unistd.h>
#include <utility>
#include <vector>

extern char** environ;

namespace exitlens {

namespace {
constexpr std::string_view kSavedPrefix = "EXITLENS_SAVED_";
} // namespace

void restoreLoaderVariables()
{
    // Collected first: setenv and unsetenv may rebuild environ while it is being walked.
    std::vector<std::pair<std::string, std::string>> saved;
    for (char** entry = environ; entry && *entry; ++entry) {
        const std::string_view text = *entry;
        if (!text.starts_with(kSavedPrefix) || !text.substr(kSavedPrefix.size()).starts_with("LD_"))
            continue;
        const std::size_t equals = text.find('=');
        if (equals == std::string_view::npos)
            continue;
        saved.emplace_back(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
    }
    // Before any thread exists: nothing reads the environment concurrently.
    for (const auto& [name, value] : saved) {
        unsetenv(name.c_str()); // NOLINT(concurrency-mt-unsafe)
        setenv(name.substr(kSavedPrefix.size()).c_str(), value.c_str(), 1); // NOLINT(concurrency-mt-unsafe)
    }
}

void occupyClosedStdio()
{
    for (int fd = 0; fd <= 2; ++fd) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        // The lowest free number: fd itself, as the lower ones are open by now.
        const int opened = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (opened >= 0 && opened != fd) {
            dup3(opened, fd, O_CLOEXEC);
            close(opened);
        }
    }
}

} // namespace exitlens
