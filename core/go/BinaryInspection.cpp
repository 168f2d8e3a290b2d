#include "BinaryInspection.h"

#include "go/GoPclnTable.h"

namespace exitlens {

BinaryInspection BinaryInspection::inspect(const std::string& path)
{
    std::string error;
    auto binary = BinaryReader::open(path, error);
    if (!binary) {
        BinaryInspection result;
        result.path = path;
        result.error = error;
        return result;
    }
    return inspect(*binary);
}

BinaryInspection BinaryInspection::inspect(const BinaryReader& binary)
{
    BinaryInspection result;
    result.path = binary.path();
    result.readable = true;
    result.facts = binary.facts();
    std::string buildInfoError;
    result.buildInfo = GoBuildInfo::read(binary, buildInfoError);
    std::string pclnError;
    const auto pcln = GoPclnTable::load(binary, pclnError);
    if (pcln) {
        result.pclntabFormat = pcln->formatName();
        result.goFunctions = pcln->functionCount();
    }
    result.isGo = result.buildInfo || pcln || !result.facts.goBuildId.empty();
    if (!result.isGo) {
        result.notGoReason = "not a Go program (no Go build info, no Go pclntab, no Go build ID)";
        return result;
    }
    if (!result.buildInfo)
        result.buildInfoError = buildInfoError;
    // CGO_ENABLED=1 at build time does not mean cgo is in: only a package that uses it (net,
    // os/user, or the program's own import "C") pulls runtime/cgo and the C toolchain's code.
    // The Go wrappers of C calls (pkg._Cfunc_name, net._C2func_getaddrinfo) are in the pclntab
    // even when stripped; the C side's x_cgo_init/crosscall2 are in the symbol table when not.
    bool cgo = pcln && pcln->hasFunctionContaining({ "._Cfunc_", "._C2func_", "runtime/cgo." });
    for (const auto& symbol : binary.symbols()) {
        if (cgo)
            break;
        cgo = symbol.function && (symbol.name == "x_cgo_init" || symbol.name == "crosscall2");
    }
    result.cgo = cgo;
    return result;
}

} // namespace exitlens
