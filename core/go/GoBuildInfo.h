#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace exitlens {

class BinaryReader;

struct GoModule {
    std::string path;
    std::string version; // "" prints as "(devel)"
    std::string sum;
    bool replaced = false; // a "=>" line followed
    std::string replacePath;
    std::string replaceVersion;
    std::string replaceSum;
};

// The build information the Go linker embeds in every executable (`go version -m`, the
// runtime/debug.BuildInfo of the program itself), read from the file without running it.
struct GoBuildInfo {
    std::string goVersion; // "go1.19.8"
    std::string path; // main package path ("command-line-arguments" for `go build file.go`)
    std::optional<GoModule> main; // absent in GOPATH mode (GO111MODULE=off)
    std::vector<GoModule> deps;
    std::vector<std::pair<std::string, std::string>> settings; // in order: -compiler, CGO_ENABLED, ...
    bool legacyLayout = false; // pre-Go 1.18: pointers to string headers instead of inline strings

    // The value of a build setting ("" when absent) and whether it is present.
    std::string setting(std::string_view key) const;
    bool hasSetting(std::string_view key) const;
    // The module path the program's own code lives under: the main module, else the main
    // package path, else "main" (GOPATH-mode `go build file.go`).
    std::string ownModule() const;
    // runtime/debug.BuildInfo.String() without the "go" line: exactly the lines `go version -m`
    // prints after the first (each of which it indents with a tab).
    std::string modInfoText() const;

    // Reads the .go.buildinfo data of BINARY. nullopt with a reason ("not a Go program", ...)
    // when it has none or it is corrupt.
    static std::optional<GoBuildInfo> read(const BinaryReader& binary, std::string& error);
    // Parses the 32-byte-header blob itself (the section's bytes, or a buffer found by scanning).
    static std::optional<GoBuildInfo> parseBlob(
        const BinaryReader& binary, std::span<const std::uint8_t> blob, std::string& error);
    // Parses the modinfo text (without its 16-byte sentinels) into INFO; false on a malformed line.
    static bool parseModInfo(std::string_view text, GoBuildInfo& info, std::string& error);

    static std::string quote(std::string_view text); // strconv.Quote
    static bool unquote(std::string_view quoted, std::string& out); // strconv.Unquote
};

} // namespace exitlens
