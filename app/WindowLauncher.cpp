#include "WindowLauncher.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace exitlens {

namespace {
constexpr const char* kWindowExecutable = "exitlens-gui";
constexpr int kOwnFailure = 125; // as `exitlens run` uses for ExitLens's own failures

std::string ownDirectory()
{
    char path[PATH_MAX];
    const ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (length <= 0)
        return {};
    const std::string self(path, static_cast<std::size_t>(length));
    const std::size_t slash = self.rfind('/');
    return slash == std::string::npos ? std::string() : self.substr(0, slash);
}
} // namespace

int execWindow(int argc, char** argv)
{
    const std::string directory = ownDirectory();
    if (directory.empty()) {
        std::fprintf(
            stderr, "exitlens: cannot find its own folder to start %s: %s\n", kWindowExecutable, std::strerror(errno));
        return kOwnFailure;
    }
    // Beside exitlens in a build tree; in lib/exitlens/ once installed (a private program of the
    // package: users start the window as `exitlens`).
    std::string window = directory + "/" + kWindowExecutable;
    if (access(window.c_str(), X_OK) != 0)
        window = directory + "/../lib/exitlens/" + kWindowExecutable;
    std::vector<char*> arguments;
    arguments.push_back(const_cast<char*>(window.c_str()));
    for (int i = 1; i < argc; ++i)
        arguments.push_back(argv[i]);
    arguments.push_back(nullptr);
    execv(window.c_str(), arguments.data());
    const int error = errno;
    if (error == ENOENT) {
        std::fprintf(stderr,
            "exitlens: cannot open the window: %s is neither in %s nor in %s/../lib/exitlens\n"
            "exitlens: the command line (exitlens run, report, export...) works without it\n",
            kWindowExecutable, directory.c_str(), directory.c_str());
    } else {
        std::fprintf(stderr, "exitlens: cannot open the window: %s: %s\n", window.c_str(), std::strerror(error));
    }
    return kOwnFailure;
}

} // namespace exitlens
