#include "ExecutableText.h"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace exitlens::linux_trace {

namespace {
constexpr std::uint32_t kGoBuildIdNote = 4; // the Go linker's NT for .note.go.buildid, owner "Go"

// Whether a PT_NOTE segment holds the Go linker's build-id note.
bool hasGoBuildIdNote(int fd, const Elf64_Phdr& segment)
{
    if (segment.p_filesz == 0 || segment.p_filesz > 4096)
        return false;
    std::vector<char> notes(segment.p_filesz);
    if (pread(fd, notes.data(), notes.size(), static_cast<off_t>(segment.p_offset))
        != static_cast<ssize_t>(notes.size()))
        return false;
    std::size_t at = 0;
    while (at + sizeof(Elf64_Nhdr) <= notes.size()) {
        Elf64_Nhdr header;
        std::memcpy(&header, notes.data() + at, sizeof(header));
        const std::size_t name = at + sizeof(header);
        const std::size_t next = name + ((header.n_namesz + 3) & ~3u) + ((header.n_descsz + 3) & ~3u);
        if (next > notes.size())
            return false;
        // The owner is "Go", NUL-padded to 4 bytes by the Go linker.
        if (header.n_type == kGoBuildIdNote && (header.n_namesz == 3 || header.n_namesz == 4)
            && std::memcmp(notes.data() + name, "Go", 3) == 0)
            return true;
        at = next;
    }
    return false;
}
} // namespace

std::optional<ExecutableText> ExecutableText::ofFixedExecutable(const std::string& path)
{
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::optional<ExecutableText> text;
    bool dynamic = false; // has an interpreter: its C library lives outside the executable
    bool go = false;
    Elf64_Ehdr header {};
    const bool fixed = pread(fd, &header, sizeof(header), 0) == static_cast<ssize_t>(sizeof(header))
        && std::memcmp(header.e_ident, ELFMAG, SELFMAG) == 0 && header.e_ident[EI_CLASS] == ELFCLASS64
        && header.e_machine == EM_X86_64 && header.e_type == ET_EXEC && header.e_phentsize == sizeof(Elf64_Phdr)
        && header.e_phnum > 0 && header.e_phnum < 256;
    if (fixed) {
        std::vector<Elf64_Phdr> segments(header.e_phnum);
        const auto bytes = static_cast<ssize_t>(segments.size() * sizeof(Elf64_Phdr));
        if (pread(fd, segments.data(), static_cast<std::size_t>(bytes), static_cast<off_t>(header.e_phoff)) == bytes) {
            for (const Elf64_Phdr& segment : segments) {
                if (segment.p_type == PT_INTERP)
                    dynamic = true;
                if (segment.p_type == PT_NOTE && !go)
                    go = hasGoBuildIdNote(fd, segment);
                if (segment.p_type != PT_LOAD || !(segment.p_flags & PF_X) || segment.p_memsz == 0)
                    continue;
                const std::uint64_t begin = segment.p_vaddr;
                const std::uint64_t end = segment.p_vaddr + segment.p_memsz;
                if (!text)
                    text = ExecutableText { begin, end };
                text->begin = std::min(text->begin, begin);
                text->end = std::max(text->end, end);
            }
        }
    }
    close(fd);
    // The range stands for "the program's own exit" only when its exit_group is made from inside
    // it: so in a static program (its C library is linked in) and in Go, whose runtime makes the
    // call itself even in a cgo build. A dynamically linked C program exits from libc's code.
    if (dynamic && !go)
        return std::nullopt;
    return text;
}

} // namespace exitlens::linux_trace
