#include "import/PmlSession.h"

#include <QFile>

namespace exitlens {

bool isPmlFile(const QString& path)
{
    return PmlImport::looksLikePml(QFile::encodeName(path).toStdString());
}

std::shared_ptr<CaptureData> loadPmlSession(
    const QString& path, SessionInfo& info, QString& error, const PmlImport::Progress& progress)
{
    PmlImportInfo imported;
    std::string message;
    auto data = PmlImport::load(QFile::encodeName(path).toStdString(), imported, message, progress);
    if (!data) {
        error = message == "cancelled" ? QStringLiteral("cancelled")
                                       : QStringLiteral("%1: %2").arg(path, QString::fromStdString(message));
        return nullptr;
    }
    info = SessionInfo {};
    info.path = path;
    info.created = QString::fromStdString(imported.captureStart);
    info.finished = info.created;
    info.complete = imported.skipped == 0;
    info.hostOs = QString::fromStdString(imported.windowsVersion);
    info.kernel = QStringLiteral("Process Monitor log");
    info.arch = imported.system64 ? QStringLiteral("x64") : QStringLiteral("x86");
    info.hostname = QString::fromStdString(imported.computerName);
    info.expectedEvents = imported.events + imported.skipped;
    info.loadedEvents = imported.events;
    if (imported.skipped > 0)
        info.warnings << QStringLiteral("%1 damaged events were left out (first: %2)")
                             .arg(imported.skipped)
                             .arg(QString::fromStdString(imported.firstSkipReason));
    return data;
}

} // namespace exitlens
