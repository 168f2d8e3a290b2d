#pragma once

#include "import/PmlImport.h"
#include "session/SessionInfo.h"

#include <QString>
#include <memory>

namespace exitlens {

class CaptureData;

// A Process Monitor log opened the way a session is: the capture plus a SessionInfo whose host
// facts are the log's (computer name, Windows version, capture time), for the report, the exports
// and the window. The info's warnings say what was skipped.
std::shared_ptr<CaptureData> loadPmlSession(
    const QString& path, SessionInfo& info, QString& error, const PmlImport::Progress& progress = {});

// True for a file that starts with Process Monitor's signature.
bool isPmlFile(const QString& path);

} // namespace exitlens
