#include "BinaryReader.h"

#include "go/ElfReader.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace exitlens {

namespace {
// Go binaries reach a few hundred MiB at most; anything far larger is not worth reading whole.
constexpr std::uint64_t kMaxFileSize = 2ull << 30;
} // namespace

std::unique_ptr<BinaryReader> BinaryReader::open(const std::string& path, std::string& error)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = "cannot open " + path + ": " + std::strerror(errno);
        return nullptr;
    }
    struct stat info { };
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        error = path + " is not a regular file";
        ::close(fd);
        return nullptr;
    }
    if (static_cast<std::uint64_t>(info.st_size) > kMaxFileSize) {
        error = path + " is too large to inspect (" + std::to_string(info.st_size) + " bytes)";
        ::close(fd);
        return nullptr;
    }
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(info.st_size));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t got = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        done += static_cast<std::size_t>(got);
    }
    ::close(fd);
    bytes.resize(done);
    auto reader = fromBytes(std::move(bytes), error);
    if (reader)
        reader->m_path = path;
    else
        error = path + ": " + error;
    return reader;
}

bool BinaryReader::isGoProgram(const std::string& path)
{
    // A PE reader would look for Go's build id in its own way here.
    return ElfReader::hasGoSections(path);
}

std::unique_ptr<BinaryReader> BinaryReader::fromBytes(std::vector<std::uint8_t> bytes, std::string& error)
{
    if (ElfReader::looksLikeElf(bytes))
        return ElfReader::parse(std::move(bytes), error);
    // A PE reader slots in here ("MZ" ... "PE\0\0").
    if (bytes.size() >= 2 && bytes[0] == 'M' && bytes[1] == 'Z')
        error = "not an ELF executable (a Windows PE file; not supported yet)";
    else if (bytes.size() >= 2 && bytes[0] == '#' && bytes[1] == '!')
        error = "not an ELF executable (a script)";
    else
        error = "not an ELF executable";
    return nullptr;
}

const BinarySection* BinaryReader::section(std::string_view name) const
{
    for (const auto& candidate : sections())
        if (candidate.name == name)
            return &candidate;
    return nullptr;
}

std::span<const std::uint8_t> BinaryReader::sectionBytes(const BinarySection& section) const
{
    if (section.noBits || section.offset > m_bytes.size() || section.size > m_bytes.size() - section.offset)
        return {};
    return std::span<const std::uint8_t>(m_bytes.data() + section.offset, section.size);
}

} // namespace exitlens
