#include "ProgramInfo.h"

#include "go/BinaryInspection.h"

#include <QDir>
#include <QFileInfo>
#include <sys/utsname.h>

namespace exitlens {

QString ProgramInfo::hostArchitecture()
{
    utsname name {};
    if (uname(&name) != 0)
        return QString();
    const QString machine = QString::fromLatin1(name.machine);
    if (machine == QLatin1String("x86_64"))
        return QStringLiteral("x86-64");
    if (machine == QLatin1String("aarch64"))
        return QStringLiteral("AArch64");
    return machine;
}

ProgramInfo::Check ProgramInfo::check(const QString& program, const QString& pathVariable)
{
    Check result;
    const QString trimmed = program.trimmed();
    if (trimmed.isEmpty()) {
        result.severity = Severity::Error;
        result.message = QObject::tr("Choose the program to launch.");
        return result;
    }
    QString candidate;
    if (trimmed.contains(QLatin1Char('/'))) {
        candidate = QDir::cleanPath(QDir::current().absoluteFilePath(trimmed));
    } else {
        const QString path = pathVariable.isEmpty() ? QStringLiteral("/usr/local/bin:/usr/bin:/bin") : pathVariable;
        for (const QString& folder : path.split(QLatin1Char(':'))) {
            const QFileInfo info(QDir(folder.isEmpty() ? QStringLiteral(".") : folder), trimmed);
            if (info.isFile()) {
                candidate = info.absoluteFilePath();
                if (info.isExecutable())
                    break;
            }
        }
        if (candidate.isEmpty()) {
            result.severity = Severity::Error;
            result.message = QObject::tr("Not found in PATH.");
            return result;
        }
    }
    result.resolvedPath = candidate;
    const QFileInfo info(candidate);
    if (!info.exists()) {
        result.severity = Severity::Error;
        result.message = QObject::tr("No such file.");
    } else if (info.isDir()) {
        result.severity = Severity::Error;
        result.message = QObject::tr("This is a folder, not a program.");
    } else if (!info.isExecutable()) {
        result.severity = Severity::Error;
        result.message = QObject::tr("Not executable (no execute permission: chmod +x).");
    }
    return result;
}

ProgramInfo::Facts ProgramInfo::inspect(const QString& path)
{
    Facts facts;
    if (path.isEmpty())
        return facts;
    const BinaryInspection inspection = BinaryInspection::inspect(path.toStdString());
    if (!inspection.readable) {
        facts.error = QString::fromStdString(inspection.error);
        return facts;
    }
    facts.readable = true;
    const BinaryFacts& binary = inspection.facts;
    facts.architecture = QString::fromStdString(binary.architecture);
    QStringList format;
    format << QString::fromStdString(binary.format);
    if (binary.bits)
        format << QStringLiteral("%1-bit").arg(binary.bits);
    format << facts.architecture << QString::fromStdString(binary.fileType);
    QString text = format.join(QLatin1Char(' ')).simplified();
    text += binary.isStatic ? QObject::tr(", statically linked") : QObject::tr(", dynamically linked");
    facts.format = text;
    const QString host = hostArchitecture();
    facts.foreignArchitecture = !host.isEmpty() && !facts.architecture.isEmpty() && facts.architecture != host;
    facts.isGo = inspection.isGo;
    facts.notGo = QString::fromStdString(inspection.notGoReason);
    if (inspection.buildInfo) {
        const GoBuildInfo& info = *inspection.buildInfo;
        facts.goVersion = QString::fromStdString(info.goVersion);
        if (info.main) {
            facts.mainPath = QString::fromStdString(info.main->path);
            facts.moduleVersion = QString::fromStdString(info.main->version.empty() ? "(devel)" : info.main->version);
        } else {
            facts.mainPath = QString::fromStdString(info.path);
        }
        facts.goArch = QString::fromStdString(info.setting("GOARCH"));
        facts.ownModule = QString::fromStdString(info.ownModule());
        const std::string cgoSetting = info.setting("CGO_ENABLED");
        if (inspection.cgo)
            facts.cgo = QObject::tr("on (runtime/cgo is linked in)");
        else if (cgoSetting == "1")
            facts.cgo = QObject::tr("enabled at build time, not linked in");
        else
            facts.cgo = QObject::tr("off");
    } else if (inspection.isGo) {
        facts.goVersion = QObject::tr("unknown (%1)").arg(QString::fromStdString(inspection.buildInfoError));
    }
    return facts;
}

} // namespace exitlens
