#pragma once

#include <QIcon>
#include <QString>

namespace exitlens {

// The application icon in every rendered size (16 to 256 px), compiled into the binary from
// resources/icons/. For QApplication::setWindowIcon and anywhere the GUI shows the logo.
QIcon appIcon();

// The freedesktop id the .desktop entry, AppStream metainfo and icon are installed under
// ("io.github.exitlens.ExitLens"), for QGuiApplication::setDesktopFileName.
QString desktopFileName();

} // namespace exitlens
