#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <cstdint>

namespace exitlens {

// What a session file says about itself, beside the capture it holds (which is loaded into a
// CaptureData). Filled by the loader; a small value type that crosses threads by copy.
struct SessionInfo {
    QString path;
    int schemaVersion = 0;
    QString exitlensVersion; // of the ExitLens that wrote it
    QString created; // ISO 8601 UTC
    QString finished; // empty for an interrupted capture
    bool complete = false; // the capture ended and the writer closed the file cleanly
    bool redacted = false; // a copy made for sharing
    QString hostOs;
    QString kernel;
    QString arch;
    QString hostname;
    QByteArray goBuildInfo; // JSON, empty when the file has none
    QByteArray elfFacts; // JSON, empty when the file has none
    QByteArray stackEvents; // JSON array: the symbolized stacks the file stored (stack_events of the result)
    std::uint64_t expectedEvents = 0; // from the file, for progress only (never trusted for sizes)
    std::uint64_t loadedEvents = 0;
    QStringList warnings; // what was missing or damaged in a partial load
    // The file lost part of the capture (cut short by a full disk, truncated, damaged pages) and
    // was read as far as it goes; damage says what was lost, in one sentence for the user.
    bool damaged = false;
    QString damage;
};

} // namespace exitlens

Q_DECLARE_METATYPE(exitlens::SessionInfo)
