#pragma once

#include <QIcon>
#include <QKeySequence>
#include <QString>

class QAction;
class QWidget;

namespace exitlens {

// An action of the window, named for tests (MainWindow::action), with its shortcut in the tooltip.
// It is added to window, so its shortcut works even when menus and toolbars are hidden.
QAction* newWindowAction(QWidget* window, const QString& name, const QString& text, const QIcon& icon,
    const QKeySequence& key, const QString& tip);

} // namespace exitlens
