#include "MainWindow.h"

#include <QLabel>

namespace exitlens {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("ExitLens"));
    auto* welcome = new QLabel(tr("<h2>ExitLens</h2><p>The workbench window is under construction.</p>"
                                  "<p>Trace a program from a terminal with <code>exitlens run -- PROGRAM</code>.</p>"),
        this);
    welcome->setAlignment(Qt::AlignCenter);
    setCentralWidget(welcome);
    resize(900, 600);
}

} // namespace exitlens
