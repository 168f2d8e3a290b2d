#pragma once

#include <QMainWindow>

namespace exitlens {

// The workbench window. For now a welcome page that points at the CLI; the event table, process
// tree and verdict panel arrive with the GUI issue.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace exitlens
