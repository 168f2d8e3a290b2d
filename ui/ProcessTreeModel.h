#pragma once

#include "ProcessRecord.h"

#include <QAbstractItemModel>
#include <QVector>
#include <memory>

namespace exitlens {

class CaptureData;

// Every process of the capture as a tree (parent -> children), with how each one ended.
// Processes only ever appear or change, so refresh() inserts new rows and updates changed ones
// instead of resetting: expansion and selection survive a live capture.
class ProcessTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column : int {
        NameColumn,
        PidColumn,
        EndedColumn, // before the bar: how it ended stays in view in a narrow pane
        LifetimeColumn,
        StartColumn,
        EndColumn,
        CommandColumn,
        ColumnCount
    };
    enum Role : int {
        PidRole = Qt::UserRole + 1,
        StartNsRole, // quint64
        EndNsRole, // quint64, 0 while running
        SpanNsRole, // quint64: the session's time axis
        FailedRole, // bool
        RunningRole, // bool
        StartSeqRole, // quint64: its first event
        EndSeqRole, // quint64: its exit event (valid when it ended)
    };

    explicit ProcessTreeModel(QObject* parent = nullptr);

    void setCapture(std::shared_ptr<const CaptureData> data);
    // Reads the process table again; inserts new processes and updates changed ones.
    void refresh();
    // The end of the session's time axis (the latest event time while running).
    void setTimeSpan(std::uint64_t spanNs);
    std::uint64_t timeSpan() const { return m_spanNs; }

    const ProcessRecord* record(const QModelIndex& index) const;
    // The latest process with this pid, or an invalid index.
    QModelIndex indexForPid(int pid) const;
    int processCount() const { return int(m_nodes.size()); }

    static bool failed(const ProcessRecord& record);
    static QString endedText(const ProcessRecord& record);
    static QString commandLine(const ProcessRecord& record);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    struct Node {
        ProcessRecord record;
        int parent = -1; // node index
        int row = 0; // among its siblings
        QVector<int> children;
    };
    QModelIndex indexOfNode(int node, int column = 0) const;
    int findParent(const ProcessRecord& record, int before) const;

    std::shared_ptr<const CaptureData> m_data;
    std::vector<Node> m_nodes; // in the process table's order (start order)
    QVector<int> m_roots;
    std::uint64_t m_spanNs = 0;
    std::uint64_t m_version = ~std::uint64_t(0);
};

} // namespace exitlens
