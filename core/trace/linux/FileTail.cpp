#include "FileTail.h"

#include <array>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace exitlens::linux_trace {

namespace {
// The access mode from /proc/PID/fdinfo/N ("flags:\t0100001", octal).
bool openForWriting(int pid, int fd)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(fd);
    const int info = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (info < 0)
        return false;
    std::array<char, 512> buffer {};
    const ssize_t got = ::read(info, buffer.data(), buffer.size() - 1);
    close(info);
    if (got <= 0)
        return false;
    const std::string_view text(buffer.data(), static_cast<std::size_t>(got));
    const std::size_t at = text.find("flags:");
    if (at == std::string_view::npos)
        return false;
    unsigned long flags = 0;
    std::size_t i = at + 6;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
        ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '7'; ++i)
        flags = flags * 8 + static_cast<unsigned long>(text[i] - '0');
    const unsigned long mode = flags & O_ACCMODE;
    return mode == O_WRONLY || mode == O_RDWR;
}
} // namespace

std::vector<std::string> FileTail::lastLines(std::string_view bytes, bool startsMidFile)
{
    std::vector<std::string> lines;
    for (char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 && c != '\n' && c != '\r' && c != '\t')
            return lines; // binary data: no lines to quote
    }
    if (startsMidFile) {
        const std::size_t newline = bytes.find('\n');
        bytes.remove_prefix(newline == std::string_view::npos ? bytes.size() : newline + 1);
    }
    // Walk back from the end, keeping the last kMaxLines non-blank lines.
    std::size_t end = bytes.size();
    while (end > 0 && lines.size() < kMaxLines) {
        const std::size_t newline = bytes.rfind('\n', end - 1);
        const std::size_t start = newline == std::string_view::npos ? 0 : newline + 1;
        std::string_view line = bytes.substr(start, end - start);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") != std::string_view::npos) {
            std::string kept(line.substr(0, kMaxLineBytes));
            if (line.size() > kMaxLineBytes)
                kept += "…";
            lines.insert(lines.begin(), std::move(kept));
        }
        if (newline == std::string_view::npos)
            break;
        end = newline;
    }
    return lines;
}

void FileTail::read(int pid, std::vector<ExitContext::OpenFile>& files)
{
    int taken = 0;
    for (auto& file : files) {
        if (taken >= kMaxFiles)
            break;
        if (file.fd < 0 || file.target.empty() || file.target.front() != '/' || file.target.starts_with("/dev/"))
            continue;
        const std::string link = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(file.fd);
        struct stat info { };
        if (stat(link.c_str(), &info) != 0 || !S_ISREG(info.st_mode) || !openForWriting(pid, file.fd))
            continue;
        ++taken;
        file.forWriting = true;
        file.size = static_cast<std::int64_t>(info.st_size);
        file.modifiedNs = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec;
        // Reopening the magic link reads the very file the process holds, even if it was renamed
        // or deleted. O_NONBLOCK: a mandatory lock must not stall the tracer.
        const int fd = open(link.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
            continue;
        struct stat opened { };
        if (fstat(fd, &opened) == 0 && S_ISREG(opened.st_mode) && opened.st_size > 0) {
            const auto size = static_cast<std::size_t>(opened.st_size);
            const std::size_t length = size < kTailBytes ? size : kTailBytes;
            std::string bytes(length, '\0');
            const ssize_t got = pread(fd, bytes.data(), length, static_cast<off_t>(size - length));
            if (got > 0) {
                bytes.resize(static_cast<std::size_t>(got));
                file.tail = lastLines(bytes, size > length);
            }
        }
        close(fd);
    }
}

} // namespace exitlens::linux_trace
