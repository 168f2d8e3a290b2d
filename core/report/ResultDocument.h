#pragma once

#include "Tracer.h"
#include "diagnosis/Verdict.h"
#include "model/CaptureData.h"

#include <QJsonObject>
#include <QString>

namespace exitlens {

// The result document of `exitlens run --json FILE`, described field by field in docs/cli.md.
class ResultDocument {
public:
    static QJsonObject build(const CaptureData& data, const TraceSummary& summary, const Verdict& verdict);
    // Writes atomically (temporary file + rename) so a reader never sees half a document; through
    // a device, FIFO or pipe (OutputFile.h).
    static bool write(const QJsonObject& document, const QString& path, QString& error);

    static QJsonObject exitObject(const ExitStatus& status);
    static QJsonObject verdictObject(const Verdict& verdict);
};

} // namespace exitlens
