#include "AppIdentity.h"

#include <QSize>

// Q_INIT_RESOURCE declares the initializer in the scope it is used in, so it must be outside any
// namespace. Calling it makes the linker keep the icons' object file out of the static library.
static void initIconResources()
{
    Q_INIT_RESOURCE(exitlens_icons);
}

namespace exitlens {

QIcon appIcon()
{
    initIconResources();
    QIcon icon;
    for (const int size : { 16, 24, 32, 48, 64, 128, 256 })
        icon.addFile(QStringLiteral(":/icons/exitlens-%1.png").arg(size), QSize(size, size));
    return icon;
}

QString desktopFileName()
{
    return QStringLiteral(EXITLENS_APP_ID);
}

} // namespace exitlens
