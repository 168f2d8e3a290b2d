#include "ElfReader.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <mutex>
#include <unistd.h>

namespace exitlens {

namespace {

// Sanity ceilings: a corrupt header may claim billions of entries; libelf bounds the data by the
// file, these bound our own loops and allocations on top of that.
constexpr std::size_t kMaxSections = 1 << 16;
constexpr std::size_t kMaxSegments = 1 << 12;
constexpr std::size_t kMaxSymbols = 1 << 24;
constexpr std::size_t kMaxDynamic = 1 << 16;

std::string machineName(unsigned machine)
{
    switch (machine) {
    case EM_X86_64:
        return "x86-64";
    case EM_386:
        return "i386";
    case EM_AARCH64:
        return "AArch64";
    case EM_ARM:
        return "ARM";
    case EM_RISCV:
        return "RISC-V";
    case EM_PPC64:
        return "PowerPC64";
    case EM_S390:
        return "s390";
    case EM_MIPS:
        return "MIPS";
    case EM_LOONGARCH:
        return "LoongArch";
    default:
        return "machine " + std::to_string(machine);
    }
}

std::vector<std::string> splitPath(const char* text)
{
    std::vector<std::string> parts;
    std::string_view rest(text);
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        parts.emplace_back(rest.substr(0, colon));
        if (colon == std::string_view::npos)
            break;
        rest.remove_prefix(colon + 1);
    }
    return parts;
}

// elf_strptr that never returns null.
std::string stringAt(Elf* elf, std::size_t section, std::size_t offset)
{
    const char* text = elf_strptr(elf, section, offset);
    return text ? std::string(text) : std::string();
}

void initLibelf()
{
    static std::once_flag versionOnce;
    std::call_once(versionOnce, [] { elf_version(EV_CURRENT); });
}

// libelf over a file image. libelf converts the headers of a foreign-endian file in place, so such
// a file gets a copy and the bytes Go's data is read from stay exactly the file's; a native one
// (nearly every file) is read where it lies, not copied.
class ElfHandle {
public:
    explicit ElfHandle(std::span<const std::uint8_t> image)
    {
        initLibelf();
        const bool nativeOrder = image.size() > EI_DATA
            && image[EI_DATA] == (std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB);
        char* memory = nullptr;
        if (nativeOrder) {
            memory = reinterpret_cast<char*>(const_cast<std::uint8_t*>(image.data()));
        } else {
            m_copy.assign(image.begin(), image.end());
            memory = reinterpret_cast<char*>(m_copy.data());
        }
        elf = elf_memory(memory, image.size());
    }
    ElfHandle(const ElfHandle&) = delete;
    ElfHandle& operator=(const ElfHandle&) = delete;
    ~ElfHandle()
    {
        if (elf)
            elf_end(elf);
    }

    Elf* elf = nullptr;

private:
    std::vector<std::uint8_t> m_copy;
};

} // namespace

ElfReader::ElfReader(std::vector<std::uint8_t> bytes)
    : BinaryReader(std::move(bytes))
{
}

bool ElfReader::looksLikeElf(std::span<const std::uint8_t> bytes)
{
    return bytes.size() >= 4 && std::memcmp(bytes.data(), ELFMAG, SELFMAG) == 0;
}

std::unique_ptr<ElfReader> ElfReader::parse(std::vector<std::uint8_t> bytes, std::string& error)
{
    if (!looksLikeElf(bytes)) {
        error = "not an ELF file";
        return nullptr;
    }
    std::unique_ptr<ElfReader> reader(new ElfReader(std::move(bytes)));
    if (!reader->load(error))
        return nullptr;
    return reader;
}

bool ElfReader::load(std::string& error)
{
    ElfHandle handle(m_bytes);
    Elf* elf = handle.elf;
    if (!elf || elf_kind(elf) != ELF_K_ELF) {
        error = "not an ELF file";
        return false;
    }
    GElf_Ehdr header;
    if (!gelf_getehdr(elf, &header)) {
        error = std::string("not a valid ELF file: ") + elf_errmsg(-1);
        return false;
    }
    m_facts.format = "ELF";
    m_facts.bits = header.e_ident[EI_CLASS] == ELFCLASS32 ? 32 : 64;
    m_facts.littleEndian = header.e_ident[EI_DATA] != ELFDATA2MSB;
    m_facts.architecture = machineName(header.e_machine);
    m_facts.entry = header.e_entry;

    bool hasDynamicSegment = false;
    std::size_t segmentCount = 0;
    if (elf_getphdrnum(elf, &segmentCount) != 0)
        segmentCount = 0;
    segmentCount = std::min(segmentCount, kMaxSegments);
    for (std::size_t i = 0; i < segmentCount; ++i) {
        GElf_Phdr segment;
        if (!gelf_getphdr(elf, static_cast<int>(i), &segment))
            continue;
        if (segment.p_type == PT_LOAD) {
            // Only the part inside the file can be read; the rest is zero-filled memory (.bss).
            if (segment.p_offset <= m_bytes.size()) {
                const std::uint64_t available = m_bytes.size() - segment.p_offset;
                m_segments.push_back({ segment.p_vaddr, segment.p_offset, std::min(segment.p_filesz, available) });
            }
        } else if (segment.p_type == PT_INTERP) {
            if (segment.p_offset < m_bytes.size()) {
                const std::uint64_t length =
                    std::min<std::uint64_t>(segment.p_filesz, m_bytes.size() - segment.p_offset);
                const char* start = reinterpret_cast<const char*>(m_bytes.data() + segment.p_offset);
                m_facts.interpreter.assign(start, strnlen(start, length));
            }
        } else if (segment.p_type == PT_DYNAMIC) {
            hasDynamicSegment = true;
        }
    }

    std::size_t stringSection = 0;
    if (elf_getshdrstrndx(elf, &stringSection) != 0)
        stringSection = 0;
    bool hasSymtab = false;
    Elf_Scn* symbolSection = nullptr;
    Elf_Scn* dynamicSymbolSection = nullptr;
    Elf_Scn* dynamicSection = nullptr;
    std::size_t seen = 0;
    for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn && seen < kMaxSections; scn = elf_nextscn(elf, scn), ++seen) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(scn, &shdr))
            continue;
        BinarySection section;
        section.name = stringSection ? stringAt(elf, stringSection, shdr.sh_name) : std::string();
        section.address = shdr.sh_addr;
        section.offset = shdr.sh_offset;
        section.size = shdr.sh_size;
        section.allocated = (shdr.sh_flags & SHF_ALLOC) != 0;
        section.writable = (shdr.sh_flags & SHF_WRITE) != 0;
        section.executable = (shdr.sh_flags & SHF_EXECINSTR) != 0;
        section.noBits = shdr.sh_type == SHT_NOBITS;
        if (section.name == ".debug_info" || section.name == ".zdebug_info")
            m_facts.debugInfo = true;
        m_sections.push_back(std::move(section));
        if (shdr.sh_type == SHT_SYMTAB) {
            hasSymtab = true;
            symbolSection = scn;
        } else if (shdr.sh_type == SHT_DYNSYM) {
            dynamicSymbolSection = scn;
        } else if (shdr.sh_type == SHT_DYNAMIC) {
            dynamicSection = scn;
        }
    }
    m_facts.stripped = !hasSymtab;

    bool pieFlag = false;
    if (dynamicSection) {
        GElf_Shdr shdr;
        Elf_Data* data = elf_getdata(dynamicSection, nullptr);
        if (gelf_getshdr(dynamicSection, &shdr) && data && data->d_buf) {
            const std::size_t entrySize = gelf_fsize(elf, ELF_T_DYN, 1, EV_CURRENT);
            const std::size_t count = entrySize ? std::min(data->d_size / entrySize, kMaxDynamic) : 0;
            for (std::size_t i = 0; i < count; ++i) {
                GElf_Dyn entry;
                if (!gelf_getdyn(data, static_cast<int>(i), &entry) || entry.d_tag == DT_NULL)
                    break;
                switch (entry.d_tag) {
                case DT_NEEDED:
                    m_facts.needed.push_back(stringAt(elf, shdr.sh_link, entry.d_un.d_val));
                    break;
                case DT_RPATH:
                    m_facts.rpath = splitPath(stringAt(elf, shdr.sh_link, entry.d_un.d_val).c_str());
                    break;
                case DT_RUNPATH:
                    m_facts.runpath = splitPath(stringAt(elf, shdr.sh_link, entry.d_un.d_val).c_str());
                    break;
                case DT_FLAGS_1:
                    pieFlag = (entry.d_un.d_val & DF_1_PIE) != 0;
                    break;
                default:
                    break;
                }
            }
        }
    }
    hasDynamicSegment = hasDynamicSegment || dynamicSection != nullptr;
    m_facts.isStatic = m_facts.interpreter.empty() && !hasDynamicSegment;

    switch (header.e_type) {
    case ET_EXEC:
        m_facts.fileType = "executable";
        break;
    case ET_DYN:
        m_facts.pie = pieFlag || !m_facts.interpreter.empty();
        m_facts.fileType = m_facts.pie ? "position-independent executable" : "shared object";
        break;
    case ET_REL:
        m_facts.fileType = "relocatable";
        break;
    case ET_CORE:
        m_facts.fileType = "core";
        break;
    default:
        m_facts.fileType = "unknown type " + std::to_string(header.e_type);
        break;
    }

    if (Elf_Scn* table = symbolSection ? symbolSection : dynamicSymbolSection)
        m_symbolSection = elf_ndxscn(table);
    readGoBuildId();
    return true;
}

bool ElfReader::hasGoSections(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    initLibelf();
    // ELF_C_READ reads what is asked for with pread: the header, the section headers and their
    // names here, not the file.
    Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
    bool go = false;
    std::size_t names = 0;
    if (elf && elf_kind(elf) == ELF_K_ELF && elf_getshdrstrndx(elf, &names) == 0) {
        std::size_t seen = 0;
        for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn && !go && seen < kMaxSections;
             scn = elf_nextscn(elf, scn), ++seen) {
            GElf_Shdr shdr;
            const char* name = gelf_getshdr(scn, &shdr) ? elf_strptr(elf, names, shdr.sh_name) : nullptr;
            go = name && (std::strcmp(name, ".note.go.buildid") == 0 || std::strcmp(name, ".go.buildinfo") == 0);
        }
    }
    if (elf)
        elf_end(elf);
    ::close(fd);
    return go;
}

const std::vector<BinarySymbol>& ElfReader::symbols() const
{
    std::call_once(m_symbolsOnce, [this] { loadSymbols(); });
    return m_symbols;
}

void ElfReader::loadSymbols() const
{
    if (m_symbolSection == 0)
        return;
    ElfHandle handle(m_bytes);
    Elf* elf = handle.elf;
    Elf_Scn* table = elf ? elf_getscn(elf, m_symbolSection) : nullptr;
    GElf_Shdr shdr;
    Elf_Data* data = table ? elf_getdata(table, nullptr) : nullptr;
    if (!table || !gelf_getshdr(table, &shdr) || !data || !data->d_buf)
        return;
    const std::size_t entrySize = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
    const std::size_t count = entrySize ? std::min(data->d_size / entrySize, kMaxSymbols) : 0;
    m_symbols.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        GElf_Sym symbol;
        if (!gelf_getsym(data, static_cast<int>(i), &symbol))
            continue;
        const int type = GELF_ST_TYPE(symbol.st_info);
        if (symbol.st_value == 0 || symbol.st_shndx == SHN_UNDEF
            || (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE))
            continue;
        std::string name = stringAt(elf, shdr.sh_link, symbol.st_name);
        if (name.empty())
            continue;
        m_symbols.push_back({ std::move(name), symbol.st_value, symbol.st_size, type == STT_FUNC });
    }
    std::sort(m_symbols.begin(), m_symbols.end(),
        [](const BinarySymbol& a, const BinarySymbol& b) { return a.address < b.address; });
}

void ElfReader::readGoBuildId()
{
    // The Go linker's note: namesz 4, descsz N, type 4 (ELF_NOTE_GOBUILDID_TAG), name "Go\0\0".
    const BinarySection* note = section(".note.go.buildid");
    if (!note)
        return;
    const auto bytes = sectionBytes(*note);
    if (bytes.size() < 16)
        return;
    auto word = [&](std::size_t at) {
        std::uint32_t value = 0;
        std::memcpy(&value, bytes.data() + at, 4);
        return m_facts.littleEndian ? value : __builtin_bswap32(value);
    };
    const std::uint32_t nameSize = word(0);
    const std::uint32_t descSize = word(4);
    if (nameSize != 4 || word(8) != 4 || std::memcmp(bytes.data() + 12, "Go\0\0", 4) != 0)
        return;
    if (descSize > bytes.size() - 16)
        return;
    m_facts.goBuildId.assign(reinterpret_cast<const char*>(bytes.data() + 16), descSize);
}

std::span<const std::uint8_t> ElfReader::virtualBytes(std::uint64_t address, std::size_t maxSize) const
{
    for (const auto& segment : m_segments) {
        if (address < segment.address || address - segment.address >= segment.fileSize)
            continue;
        const std::uint64_t within = address - segment.address;
        const std::uint64_t length = std::min<std::uint64_t>(segment.fileSize - within, maxSize);
        return std::span<const std::uint8_t>(m_bytes.data() + segment.offset + within, length);
    }
    return {};
}

bool ElfReader::readVirtual(std::uint64_t address, std::size_t size, void* out) const
{
    const auto span = virtualBytes(address, size);
    if (span.size() < size)
        return false;
    std::memcpy(out, span.data(), size);
    return true;
}

} // namespace exitlens
