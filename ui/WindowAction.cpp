#include "WindowAction.h"

#include <QAction>
#include <QWidget>

namespace exitlens {

QAction* newWindowAction(QWidget* window, const QString& name, const QString& text, const QIcon& icon,
    const QKeySequence& key, const QString& tip)
{
    auto* action = new QAction(icon, text, window);
    action->setObjectName(name);
    if (!key.isEmpty())
        action->setShortcut(key);
    const QString shortcut = key.toString(QKeySequence::NativeText);
    action->setToolTip(shortcut.isEmpty() ? tip : QStringLiteral("%1 (%2)").arg(tip, shortcut));
    action->setStatusTip(tip);
    window->addAction(action);
    return action;
}

} // namespace exitlens
