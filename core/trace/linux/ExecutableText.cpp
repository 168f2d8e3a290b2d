#include "ExecutableText.h"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace exitlens::linux_trace {

std::optional<ExecutableText> ExecutableText::ofFixedExecutable(const std::string& path)
{
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::optional<ExecutableText> text;
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
    return text;
}

} // namespace exitlens::linux_trace
