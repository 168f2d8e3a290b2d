#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace exitlens {

class CaptureData;

// What an imported Process Monitor log says about itself (its header), for titles and reports.
struct PmlImportInfo {
    std::string computerName;
    std::string windowsVersion; // "Windows 10 (build 18362)"
    std::string systemRoot;
    bool system64 = false;
    std::string captureStart; // the first event's time, ISO 8601 UTC with 100 ns
    std::uint64_t firstEventFiletime = 0; // time 0 of the imported events (FILETIME, UTC)
    std::uint64_t events = 0; // imported
    std::uint64_t skipped = 0; // damaged events left out (each counted, none silently)
    std::string firstSkipReason;
};

// Turns a Process Monitor log into a CaptureData, the model every ExitLens view and exporter reads:
// its processes (with their Windows facts and exit statuses), events with Process Monitor's
// operation and result vocabulary (NTSTATUS results), and stacks when the log kept them.
class PmlImport {
public:
    // Called every few thousand events with (done, total); return false to cancel.
    using Progress = std::function<bool(std::uint64_t done, std::uint64_t total)>;

    // True when the file starts with Process Monitor's signature ("PML_").
    static bool looksLikePml(const std::string& path);

    // Null with `error` set when the log cannot be read or the import was cancelled ("cancelled").
    static std::shared_ptr<CaptureData> load(
        const std::string& path, PmlImportInfo& info, std::string& error, const Progress& progress = {});
};

} // namespace exitlens
