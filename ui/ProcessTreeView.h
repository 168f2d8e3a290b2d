#pragma once

#include <QTreeView>

namespace exitlens {

class ProcessTreeModel;

// The process tree (Ctrl+T): selecting a process highlights its events in the table;
// double-click jumps to its first event; the context menu also goes to its exit.
class ProcessTreeView : public QTreeView {
    Q_OBJECT
public:
    explicit ProcessTreeView(QWidget* parent = nullptr);

    void setProcessModel(ProcessTreeModel* model);
    ProcessTreeModel* processModel() const { return m_model; }
    // Selects the latest process with this pid.
    void selectPid(int pid);
    int selectedPid() const;

Q_SIGNALS:
    void processSelected(int pid); // 0 when the selection is cleared
    void goToEvent(quint64 seq);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    ProcessTreeModel* m_model = nullptr;
};

} // namespace exitlens
