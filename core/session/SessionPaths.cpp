#include "SessionPaths.h"

#include "Names.h"
#include "SessionSchema.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace exitlens {

QString SessionPaths::autosaveFolder()
{
    // The generic data folder (~/.local/share), not the per-application one: the GUI and the CLI
    // run under different application names and must share one history.
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (base.isEmpty())
        return {};
    const QString folder = base + "/exitlens/sessions";
    if (!QDir().mkpath(folder))
        return {};
    return folder;
}

QString SessionPaths::outcomeLabel(const ExitStatus& status)
{
    switch (status.kind) {
    case ExitStatus::Kind::Exited:
        return QString("exit %1").arg(status.code);
    case ExitStatus::Kind::Signaled:
        return QString::fromStdString(signalName(status.signal));
    case ExitStatus::Kind::LaunchFailed:
        return "launch failed";
    case ExitStatus::Kind::Running:
        break;
    }
    return "running";
}

QString SessionPaths::fileName(const QString& program, const QDateTime& started, const QString& outcome)
{
    QString base = QFileInfo(program).fileName();
    if (base.isEmpty())
        base = "capture";
    // Keep names portable and shell-friendly: no separators, control characters or wildcards.
    static const QRegularExpression awkward(QStringLiteral("[^A-Za-z0-9._+@-]"));
    base.replace(awkward, "_");
    base.truncate(64);
    QString label = outcome;
    label.replace(awkward, "_");
    return QString("%1 %2 %3.%4")
        .arg(base, started.toString("yyyy-MM-dd HH.mm.ss"), label, QString::fromLatin1(SessionSchema::kExtension));
}

QString SessionPaths::uniquePath(const QString& folder, const QString& fileName)
{
    const QFileInfo info(fileName);
    const QString stem = info.completeBaseName();
    const QString suffix = info.suffix().isEmpty() ? QString() : "." + info.suffix();
    QString candidate = folder + "/" + fileName;
    for (int n = 2; QFileInfo::exists(candidate) && n < 10000; ++n)
        candidate = QString("%1/%2 (%3)%4").arg(folder, stem).arg(n).arg(suffix);
    return candidate;
}

QString SessionPaths::autosavePath(const QString& program, const QDateTime& started)
{
    const QString folder = autosaveFolder();
    if (folder.isEmpty())
        return {};
    return uniquePath(folder, fileName(program, started, "running"));
}

QString SessionPaths::renameForOutcome(
    const QString& path, const QString& program, const QDateTime& started, const ExitStatus& status)
{
    const QString folder = QFileInfo(path).absolutePath();
    const QString target = uniquePath(folder, fileName(program, started, outcomeLabel(status)));
    if (QFile::rename(path, target))
        return target;
    return path;
}

QFileInfoList SessionPaths::recentSessions(int limit)
{
    const QString folder = autosaveFolder();
    if (folder.isEmpty())
        return {};
    QFileInfoList files = QDir(folder).entryInfoList(
        { QString("*.") + SessionSchema::kExtension }, QDir::Files | QDir::Readable, QDir::Time);
    if (files.size() > limit)
        files = files.mid(0, limit);
    return files;
}

} // namespace exitlens
