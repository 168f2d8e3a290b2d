#pragma once

#include "go/BinaryReader.h"
#include "go/GoBuildInfo.h"

#include <optional>
#include <string>

namespace exitlens {

// Everything `exitlens inspect` says about an executable: its format facts and, for a Go
// program, its build info, pclntab format and whether cgo is linked in.
struct BinaryInspection {
    std::string path;
    bool readable = false; // false: `error` says why ("not an ELF executable", "cannot open ...")
    std::string error;
    BinaryFacts facts;
    bool isGo = false;
    std::string notGoReason; // "not a Go program (...)" when !isGo
    std::optional<GoBuildInfo> buildInfo;
    std::string buildInfoError; // why buildInfo is absent in a Go program
    std::string pclntabFormat; // "go1.18", "go1.20", ... empty when none
    std::size_t goFunctions = 0;
    bool cgo = false; // runtime/cgo is linked in (not just CGO_ENABLED=1 at build time)

    static BinaryInspection inspect(const std::string& path);
    static BinaryInspection inspect(const BinaryReader& binary);
};

} // namespace exitlens
