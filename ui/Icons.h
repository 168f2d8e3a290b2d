#pragma once

#include <QIcon>
#include <QPalette>
#include <QPixmap>

namespace exitlens {

enum class IconId {
    // Actions
    Launch,
    Relaunch,
    Stop,
    Capture,
    Autoscroll,
    Clear,
    Filter,
    Find,
    ProcessTree,
    Open,
    Save,
    Copy,
    Demo,
    Folder,
    // Event and process states
    Failure,
    ProcessStart,
    ProcessExec,
    ProcessExit,
    ExitOk,
    ExitFailed,
    ExitSignal,
    Signal,
    Thread,
    Output,
    Note,
    Running,
    Warning,
    Error,
    Ok,
    Info,
};

// Icons drawn with QPainter at the screen's device pixel ratio, in the current palette's colours:
// no image files to ship, sharp on HiDPI, readable on light and dark palettes. Every state icon
// has a distinct shape (cross, triangle, bolt, flag...) so it reads without colour.
class Icons {
public:
    static QIcon icon(IconId id);
    // A pixmap of size x size logical pixels at devicePixelRatio; cached.
    static QPixmap pixmap(IconId id, int size, qreal devicePixelRatio);
    // Drops cached pixmaps (after a palette change).
    static void clearCache();

private:
    static void paint(QPainter& painter, IconId id, const QPalette& palette);
};

} // namespace exitlens
