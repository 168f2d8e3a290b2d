#include "DemoLocator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

namespace exitlens {

QStringList DemoLocator::candidates()
{
    QStringList paths;
    const QString fromEnvironment = qEnvironmentVariable("EXITLENS_DEMO");
    if (!fromEnvironment.isEmpty())
        paths << fromEnvironment;
    const QString appDir = QCoreApplication::applicationDirPath();
    if (!appDir.isEmpty()) {
        paths << QDir::cleanPath(appDir + QStringLiteral("/../demo/exitlens-demo"));
        paths << QDir::cleanPath(appDir + QStringLiteral("/exitlens-demo"));
        paths << QDir::cleanPath(appDir + QStringLiteral("/../lib/exitlens/demo/exitlens-demo"));
        paths << QDir::cleanPath(appDir + QStringLiteral("/demo/exitlens-demo")); // installed exitlens-gui
    }
    paths << QStringLiteral("/usr/lib/exitlens/demo/exitlens-demo");
    paths.removeDuplicates();
    return paths;
}

QString DemoLocator::findDemo()
{
    for (const QString& path : candidates()) {
        const QFileInfo info(path);
        if (info.isFile() && info.isExecutable())
            return info.absoluteFilePath();
    }
    return QString();
}

QString DemoLocator::createWorkingDirectory(QString* error)
{
    QTemporaryDir folder(QDir::tempPath() + QStringLiteral("/exitlens-demo-XXXXXX"));
    if (!folder.isValid()) {
        if (error)
            *error = folder.errorString();
        return QString();
    }
    // The folder outlives this call: the demo runs in it, and the window shows it.
    folder.setAutoRemove(false);
    return folder.path();
}

} // namespace exitlens
