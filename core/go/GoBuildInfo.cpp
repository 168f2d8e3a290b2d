#include "GoBuildInfo.h"

#include "go/BinaryReader.h"

#include <algorithm>
#include <cstring>

namespace exitlens {

namespace {

constexpr std::string_view kMagic = "\xff Go buildinf:";
constexpr std::size_t kHeaderSize = 32;
constexpr std::uint8_t kFlagBigEndian = 1;
constexpr std::uint8_t kFlagInline = 2; // Go 1.18+: varint-prefixed strings follow the header
constexpr std::size_t kMaxString = 16 << 20; // a modinfo string larger than this is corrupt
constexpr std::size_t kSentinel = 16; // the modinfo string is wrapped in 16-byte markers

// Reads a uvarint; false on overflow or end of data.
bool readUvarint(std::span<const std::uint8_t> data, std::size_t& pos, std::uint64_t& value)
{
    value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (pos >= data.size())
            return false;
        const std::uint8_t byte = data[pos++];
        value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return true;
    }
    return false;
}

std::uint64_t readWord(const std::uint8_t* at, std::size_t size, bool bigEndian)
{
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < size; ++i) {
        const std::size_t index = bigEndian ? i : size - 1 - i;
        value = (value << 8) | at[index];
    }
    return value;
}

std::string stripSentinels(std::string_view mod)
{
    // What debug/buildinfo does: the markers keep the string greppable in the binary.
    if (mod.size() >= 2 * kSentinel + 1 && mod[mod.size() - kSentinel - 1] == '\n')
        return std::string(mod.substr(kSentinel, mod.size() - 2 * kSentinel));
    return {};
}

std::vector<std::string_view> splitTabs(std::string_view text)
{
    std::vector<std::string_view> parts;
    while (true) {
        const auto tab = text.find('\t');
        parts.push_back(text.substr(0, tab));
        if (tab == std::string_view::npos)
            return parts;
        text.remove_prefix(tab + 1);
    }
}

bool parseModule(std::string_view fields, GoModule& module)
{
    const auto parts = splitTabs(fields);
    if (parts.size() != 2 && parts.size() != 3)
        return false;
    module.path = std::string(parts[0]);
    module.version = std::string(parts[1]);
    module.sum = parts.size() == 3 ? std::string(parts[2]) : std::string();
    return true;
}

// strconv.QuotedPrefix: the length of the quoted string at the start of TEXT, 0 when none.
std::size_t quotedPrefix(std::string_view text)
{
    if (text.empty())
        return 0;
    const char quote = text[0];
    if (quote == '`') {
        const auto end = text.find('`', 1);
        return end == std::string_view::npos ? 0 : end + 1;
    }
    if (quote != '"')
        return 0;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return i + 1;
        else if (text[i] == '\n')
            return 0;
    }
    return 0;
}

void appendUtf8(std::string& out, std::uint32_t rune)
{
    if (rune < 0x80) {
        out += static_cast<char>(rune);
    } else if (rune < 0x800) {
        out += static_cast<char>(0xc0 | (rune >> 6));
        out += static_cast<char>(0x80 | (rune & 0x3f));
    } else if (rune < 0x10000) {
        out += static_cast<char>(0xe0 | (rune >> 12));
        out += static_cast<char>(0x80 | ((rune >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (rune & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (rune >> 18));
        out += static_cast<char>(0x80 | ((rune >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((rune >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (rune & 0x3f));
    }
}

// Length of the valid UTF-8 sequence at TEXT[i], 0 when invalid.
std::size_t utf8Length(std::string_view text, std::size_t i)
{
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte >= 0xf0 && byte < 0xf5 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 && byte < 0xe0 ? 2 : 0;
    if (length == 0 || i + length > text.size())
        return 0;
    for (std::size_t k = 1; k < length; ++k)
        if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80)
            return 0;
    return length;
}

} // namespace

std::string GoBuildInfo::setting(std::string_view key) const
{
    for (const auto& [name, value] : settings)
        if (name == key)
            return value;
    return {};
}

bool GoBuildInfo::hasSetting(std::string_view key) const
{
    return std::any_of(settings.begin(), settings.end(), [&](const auto& entry) { return entry.first == key; });
}

std::string GoBuildInfo::ownModule() const
{
    if (main && !main->path.empty())
        return main->path;
    if (!path.empty() && path != "command-line-arguments")
        return path;
    return "main";
}

std::string GoBuildInfo::quote(std::string_view text)
{
    static const char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x80) {
            const std::size_t length = utf8Length(text, i);
            if (length == 0) {
                out += "\\x";
                out += hex[byte >> 4];
                out += hex[byte & 0xf];
                ++i;
            } else {
                out.append(text.substr(i, length));
                i += length;
            }
            continue;
        }
        ++i;
        switch (byte) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\a':
            out += "\\a";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\v':
            out += "\\v";
            break;
        default:
            if (byte < 0x20 || byte == 0x7f) {
                out += "\\x";
                out += hex[byte >> 4];
                out += hex[byte & 0xf];
            } else {
                out += static_cast<char>(byte);
            }
        }
    }
    out += '"';
    return out;
}

bool GoBuildInfo::unquote(std::string_view quoted, std::string& out)
{
    out.clear();
    if (quoted.size() < 2 || quoted.front() != quoted.back())
        return false;
    if (quoted.front() == '`') {
        out = std::string(quoted.substr(1, quoted.size() - 2));
        return out.find('`') == std::string::npos;
    }
    if (quoted.front() != '"')
        return false;
    const std::string_view body = quoted.substr(1, quoted.size() - 2);
    auto hexValue = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '"' || body[i] == '\n')
            return false;
        if (body[i] != '\\') {
            out += body[i];
            continue;
        }
        if (++i >= body.size())
            return false;
        const char escape = body[i];
        std::size_t digits = 0;
        switch (escape) {
        case 'a':
            out += '\a';
            break;
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'v':
            out += '\v';
            break;
        case '\\':
        case '"':
        case '\'':
            out += escape;
            break;
        case 'x':
            digits = 2;
            break;
        case 'u':
            digits = 4;
            break;
        case 'U':
            digits = 8;
            break;
        default:
            if (escape >= '0' && escape <= '7') {
                if (i + 2 >= body.size())
                    return false;
                int value = 0;
                for (std::size_t k = 0; k < 3; ++k) {
                    const char c = body[i + k];
                    if (c < '0' || c > '7')
                        return false;
                    value = value * 8 + (c - '0');
                }
                if (value > 255)
                    return false;
                out += static_cast<char>(value);
                i += 2;
                break;
            }
            return false;
        }
        if (digits) {
            std::uint32_t value = 0;
            for (std::size_t k = 1; k <= digits; ++k) {
                if (i + k >= body.size())
                    return false;
                const int digit = hexValue(body[i + k]);
                if (digit < 0)
                    return false;
                value = value * 16 + static_cast<std::uint32_t>(digit);
            }
            i += digits;
            if (escape == 'x')
                out += static_cast<char>(value);
            else if (value > 0x10ffff)
                return false;
            else
                appendUtf8(out, value);
        }
    }
    return true;
}

bool GoBuildInfo::parseModInfo(std::string_view text, GoBuildInfo& info, std::string& error)
{
    GoModule* last = nullptr; // the module a "=>" line replaces
    std::size_t lineNumber = 0;
    while (!text.empty()) {
        const auto newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        ++lineNumber;
        auto fail = [&](const std::string& why) {
            error = "build info line " + std::to_string(lineNumber) + ": " + why;
            return false;
        };
        if (line.starts_with("path\t")) {
            info.path = std::string(line.substr(5));
        } else if (line.starts_with("mod\t")) {
            GoModule module;
            if (!parseModule(line.substr(4), module))
                return fail("malformed mod line");
            info.main = std::move(module);
            last = &*info.main;
        } else if (line.starts_with("dep\t")) {
            GoModule module;
            if (!parseModule(line.substr(4), module))
                return fail("malformed dep line");
            info.deps.push_back(std::move(module));
            last = &info.deps.back();
        } else if (line.starts_with("=>\t")) {
            GoModule replacement;
            if (!last || !parseModule(line.substr(3), replacement))
                return fail("unexpected replacement line");
            last->replaced = true;
            last->replacePath = std::move(replacement.path);
            last->replaceVersion = std::move(replacement.version);
            last->replaceSum = std::move(replacement.sum);
            last = nullptr;
        } else if (line.starts_with("build\t")) {
            const std::string_view keyValue = line.substr(6);
            if (keyValue.empty() || keyValue[0] == '=')
                return fail("build line with missing key");
            std::string key;
            std::string_view rawValue;
            if (keyValue[0] == '"' || keyValue[0] == '`') {
                const std::size_t length = quotedPrefix(keyValue);
                if (length == 0 || !unquote(keyValue.substr(0, length), key) || length >= keyValue.size()
                    || keyValue[length] != '=')
                    return fail("invalid quoted key in build line");
                rawValue = keyValue.substr(length + 1);
            } else {
                const auto equals = keyValue.find('=');
                if (equals == std::string_view::npos)
                    return fail("build line missing '='");
                key = std::string(keyValue.substr(0, equals));
                rawValue = keyValue.substr(equals + 1);
            }
            std::string value;
            if (!rawValue.empty() && (rawValue[0] == '"' || rawValue[0] == '`')) {
                if (!unquote(rawValue, value))
                    return fail("invalid quoted value in build line");
            } else {
                value = std::string(rawValue);
            }
            info.settings.emplace_back(std::move(key), std::move(value));
        }
        // Other lines are ignored, as the Go runtime does: future releases may add kinds.
    }
    return true;
}

std::string GoBuildInfo::modInfoText() const
{
    std::string out;
    if (!path.empty())
        out += "path\t" + path + "\n";
    auto formatModule = [&out](std::string_view word, const GoModule& module) {
        out += std::string(word) + "\t" + module.path + "\t" + (module.version.empty() ? "(devel)" : module.version);
        if (!module.replaced) {
            out += "\t" + module.sum + "\n";
            return;
        }
        out += "\n=>\t" + module.replacePath + "\t"
            + (module.replaceVersion.empty() ? "(devel)" : module.replaceVersion) + "\t" + module.replaceSum + "\n";
    };
    if (main && (!main->path.empty() || !main->version.empty() || !main->sum.empty() || main->replaced))
        formatModule("mod", *main);
    for (const auto& dep : deps)
        formatModule("dep", dep);
    for (const auto& [key, value] : settings) {
        const bool quoteKey = key.empty() || key.find_first_of("= \t\r\n\"`") != std::string::npos;
        const bool quoteValue = value.find_first_of(" \t\r\n\"`") != std::string::npos;
        out += "build\t" + (quoteKey ? quote(key) : key) + "=" + (quoteValue ? quote(value) : value) + "\n";
    }
    return out;
}

std::optional<GoBuildInfo> GoBuildInfo::parseBlob(
    const BinaryReader& binary, std::span<const std::uint8_t> blob, std::string& error)
{
    if (blob.size() < kHeaderSize || std::memcmp(blob.data(), kMagic.data(), kMagic.size()) != 0) {
        error = "no Go build info header";
        return std::nullopt;
    }
    const std::size_t pointerSize = blob[14];
    const std::uint8_t flags = blob[15];
    GoBuildInfo info;
    std::string version;
    std::string mod;
    if (flags & kFlagInline) {
        std::size_t pos = kHeaderSize;
        for (std::string* target : { &version, &mod }) {
            std::uint64_t length = 0;
            if (!readUvarint(blob, pos, length) || length > blob.size() - pos || length > kMaxString) {
                error = "corrupt Go build info (string runs past its section)";
                return std::nullopt;
            }
            target->assign(reinterpret_cast<const char*>(blob.data() + pos), length);
            pos += length;
        }
    } else {
        // Before Go 1.18: two pointers to Go string headers {data pointer, length} in the data
        // segment; byte 15 says big-endian.
        info.legacyLayout = true;
        const bool bigEndian = (flags & kFlagBigEndian) != 0;
        if ((pointerSize != 4 && pointerSize != 8) || kHeaderSize < 16 + 2 * pointerSize) {
            error = "corrupt Go build info (pointer size " + std::to_string(pointerSize) + ")";
            return std::nullopt;
        }
        for (int which = 0; which < 2; ++which) {
            const std::uint64_t headerAddress =
                readWord(blob.data() + 16 + which * pointerSize, pointerSize, bigEndian);
            std::uint8_t header[16] = {};
            if (!binary.readVirtual(headerAddress, 2 * pointerSize, header)) {
                error = "corrupt Go build info (string header outside the image)";
                return std::nullopt;
            }
            const std::uint64_t dataAddress = readWord(header, pointerSize, bigEndian);
            const std::uint64_t length = readWord(header + pointerSize, pointerSize, bigEndian);
            if (length > kMaxString) {
                error = "corrupt Go build info (string length " + std::to_string(length) + ")";
                return std::nullopt;
            }
            std::string text(static_cast<std::size_t>(length), '\0');
            if (length && !binary.readVirtual(dataAddress, static_cast<std::size_t>(length), text.data())) {
                error = "corrupt Go build info (string outside the image)";
                return std::nullopt;
            }
            (which == 0 ? version : mod) = std::move(text);
        }
    }
    if (version.empty()) {
        error = "not a Go program (empty Go version in its build info)";
        return std::nullopt;
    }
    info.goVersion = std::move(version);
    if (!parseModInfo(stripSentinels(mod), info, error))
        return std::nullopt;
    return info;
}

std::optional<GoBuildInfo> GoBuildInfo::read(const BinaryReader& binary, std::string& error)
{
    if (const BinarySection* section = binary.section(".go.buildinfo"))
        return parseBlob(binary, binary.sectionBytes(*section), error);
    // No section headers to name it (or an unusual linker): the header sits 16-byte aligned at
    // the start of a writable data section, as debug/buildinfo searches for it.
    for (const auto& section : binary.sections()) {
        if (!section.allocated || !section.writable || section.noBits)
            continue;
        const auto bytes = binary.sectionBytes(section);
        for (std::size_t at = 0; at + kHeaderSize <= bytes.size(); at += 16)
            if (std::memcmp(bytes.data() + at, kMagic.data(), kMagic.size()) == 0)
                return parseBlob(binary, bytes.subspan(at), error);
    }
    error = "not a Go program (no Go build info)";
    return std::nullopt;
}

} // namespace exitlens
