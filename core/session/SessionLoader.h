#pragma once

#include "SessionInfo.h"
#include "model/CaptureData.h"

#include <QString>
#include <atomic>
#include <functional>
#include <memory>

namespace exitlens {

// Reads a session file into a CaptureData, on the calling thread. The file is untrusted input:
// it must be SQLite with a known schema version; every query is a fixed statement with bound
// values; value sizes are capped; missing tables and damaged pages give warnings and a partial
// load, never a crash. Events are appended in batches that the capture publishes as it goes, so
// a reader on another thread sees the first rows while the rest loads (see SessionReader).
class SessionLoader {
public:
    struct Callbacks {
        // The capture exists: target, summary, verdict, processes and output are in; events follow.
        std::function<void(std::shared_ptr<const CaptureData>, const SessionInfo&)> opened;
        // Throttled (about 10 per second): events loaded so far and the file's own estimate.
        std::function<void(std::uint64_t loaded, std::uint64_t expected)> progress;
    };

    // The longest string kept from a file; longer ones are cut (with a warning).
    static constexpr std::size_t kMaxStringBytes = 1 << 20;

    explicit SessionLoader(QString path);

    // Set from any thread to stop the load: running queries are interrupted too.
    void setCancelFlag(const std::atomic<bool>* flag) { m_cancel = flag; }

    // Returns the loaded capture, or null with a message for the user in error. A partial load
    // (an interrupted capture, a damaged file) returns the capture and lists what is missing in
    // info.warnings.
    std::shared_ptr<CaptureData> load(SessionInfo& info, QString& error, const Callbacks& callbacks = {});

    // A short check without loading: is this an ExitLens session this build can read?
    static bool probe(const QString& path, SessionInfo& info, QString& error);

private:
    QString m_path;
    const std::atomic<bool>* m_cancel = nullptr;
};

} // namespace exitlens
