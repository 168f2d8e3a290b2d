#include "ProcessTreeModel.h"

#include "EventTableModel.h"
#include "Icons.h"
#include "Names.h"
#include "ShellWords.h"
#include "Theme.h"
#include "model/CaptureData.h"

#include <QApplication>
#include <QFileInfo>
#include <QFont>

namespace exitlens {

ProcessTreeModel::ProcessTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
{
}

void ProcessTreeModel::setCapture(std::shared_ptr<const CaptureData> data)
{
    beginResetModel();
    m_data = std::move(data);
    m_nodes.clear();
    m_roots.clear();
    m_spanNs = 0;
    m_version = ~std::uint64_t(0);
    endResetModel();
    refresh();
}

bool ProcessTreeModel::failed(const ProcessRecord& record)
{
    switch (record.status.kind) {
    case ExitStatus::Kind::Exited:
        return record.status.code != 0;
    case ExitStatus::Kind::Signaled:
    case ExitStatus::Kind::LaunchFailed:
        return true;
    case ExitStatus::Kind::Running:
        break;
    }
    return false;
}

QString ProcessTreeModel::endedText(const ProcessRecord& record)
{
    switch (record.status.kind) {
    case ExitStatus::Kind::Exited:
        return QStringLiteral("exit %1").arg(record.status.code);
    case ExitStatus::Kind::Signaled:
        return QString::fromStdString(signalName(record.status.signal))
            + (record.status.coreDumped ? tr(" (core dumped)") : QString());
    case ExitStatus::Kind::LaunchFailed:
        return tr("not executed: %1").arg(QString::fromStdString(errnoName(record.status.launchErrno)));
    case ExitStatus::Kind::Running:
        break;
    }
    // A daemon ExitLens let go of when the program exited: it runs on, no longer followed.
    return record.detached ? tr("running, detached") : tr("running");
}

QString ProcessTreeModel::commandLine(const ProcessRecord& record)
{
    QStringList words;
    for (const auto& arg : record.argv)
        words << QString::fromStdString(arg);
    if (words.isEmpty())
        words << QString::fromStdString(record.exe);
    return ShellWords::join(words);
}

int ProcessTreeModel::findParent(const ProcessRecord& record, int before) const
{
    // The latest process with the parent's pid that started before this one.
    for (int i = before - 1; i >= 0; --i) {
        const ProcessRecord& candidate = m_nodes[std::size_t(i)].record;
        if (candidate.pid == record.ppid && candidate.startSeq <= record.startSeq)
            return i;
    }
    return -1;
}

void ProcessTreeModel::refresh()
{
    if (!m_data)
        return;
    const std::uint64_t version = m_data->processes().version();
    if (version == m_version)
        return;
    m_version = version;
    const std::vector<ProcessRecord> records = m_data->processes().snapshot();
    // Existing rows: the table replaces records in place (exec, exit).
    const std::size_t known = std::min(records.size(), m_nodes.size());
    for (std::size_t i = 0; i < known; ++i) {
        Node& node = m_nodes[i];
        const ProcessRecord& fresh = records[i];
        if (fresh.endNs != node.record.endNs || fresh.status.kind != node.record.status.kind
            || fresh.exe != node.record.exe || fresh.argv != node.record.argv || fresh.threads != node.record.threads
            || fresh.endSeq != node.record.endSeq || fresh.detached != node.record.detached) {
            node.record = fresh;
            Q_EMIT dataChanged(indexOfNode(int(i), 0), indexOfNode(int(i), ColumnCount - 1));
        }
    }
    for (std::size_t i = m_nodes.size(); i < records.size(); ++i) {
        Node node;
        node.record = records[i];
        node.parent = findParent(node.record, int(i));
        const QModelIndex parentIndex = node.parent < 0 ? QModelIndex() : indexOfNode(node.parent);
        node.row = int(node.parent < 0 ? m_roots.size() : m_nodes[std::size_t(node.parent)].children.size());
        const int parent = node.parent;
        beginInsertRows(parentIndex, node.row, node.row);
        m_nodes.push_back(std::move(node));
        // Only now take the sibling list: push_back may have moved every node.
        (parent < 0 ? m_roots : m_nodes[std::size_t(parent)].children).append(int(i));
        endInsertRows();
    }
}

void ProcessTreeModel::setTimeSpan(std::uint64_t spanNs)
{
    if (spanNs == m_spanNs)
        return;
    m_spanNs = spanNs;
    // Only the lifetime bars and running processes' end times depend on the axis.
    for (std::size_t i = 0; i < m_nodes.size(); ++i)
        Q_EMIT dataChanged(indexOfNode(int(i), LifetimeColumn), indexOfNode(int(i), LifetimeColumn));
}

QModelIndex ProcessTreeModel::indexOfNode(int node, int column) const
{
    if (node < 0 || std::size_t(node) >= m_nodes.size())
        return {};
    return createIndex(m_nodes[std::size_t(node)].row, column, quintptr(node));
}

const ProcessRecord* ProcessTreeModel::record(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this || index.internalId() >= m_nodes.size())
        return nullptr;
    return &m_nodes[index.internalId()].record;
}

QModelIndex ProcessTreeModel::indexForPid(int pid) const
{
    for (int i = int(m_nodes.size()) - 1; i >= 0; --i) {
        if (m_nodes[std::size_t(i)].record.pid == pid)
            return indexOfNode(i);
    }
    return {};
}

QModelIndex ProcessTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    const QVector<int>* siblings = &m_roots;
    if (parent.isValid()) {
        if (parent.column() != 0 || parent.internalId() >= m_nodes.size())
            return {};
        siblings = &m_nodes[parent.internalId()].children;
    }
    if (row >= siblings->size())
        return {};
    return createIndex(row, column, quintptr((*siblings)[row]));
}

QModelIndex ProcessTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() >= m_nodes.size())
        return {};
    return indexOfNode(m_nodes[child.internalId()].parent);
}

int ProcessTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(m_roots.size());
    if (parent.column() != 0 || parent.internalId() >= m_nodes.size())
        return 0;
    return int(m_nodes[parent.internalId()].children.size());
}

int ProcessTreeModel::columnCount(const QModelIndex& parent) const
{
    Q_UNUSED(parent)
    return ColumnCount;
}

Qt::ItemFlags ProcessTreeModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

QVariant ProcessTreeModel::data(const QModelIndex& index, int role) const
{
    const ProcessRecord* process = record(index);
    if (!process)
        return {};
    const bool running = process->status.kind == ExitStatus::Kind::Running;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: {
            const QString name = QFileInfo(QString::fromStdString(process->exe)).fileName();
            return name.isEmpty() ? QStringLiteral("pid %1").arg(process->pid) : name;
        }
        case PidColumn:
            return process->pid;
        case LifetimeColumn: {
            const std::uint64_t end = running ? m_spanNs : process->endNs;
            return QStringLiteral("%1 s").arg(
                QString::number(double(end > process->startNs ? end - process->startNs : 0) / 1e9, 'f', 3));
        }
        case EndedColumn:
            return endedText(*process);
        case StartColumn:
            return EventTableModel::relativeTime(process->startNs);
        case EndColumn:
            return running ? QString() : EventTableModel::relativeTime(process->endNs);
        case CommandColumn:
            return commandLine(*process);
        default:
            break;
        }
        break;
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("%1\npid %2, parent %3\n%4\nworking directory: %5\n%6 thread(s)")
                          .arg(QString::fromStdString(process->exe))
                          .arg(process->pid)
                          .arg(process->ppid)
                          .arg(commandLine(*process))
                          .arg(QString::fromStdString(process->cwd))
                          .arg(process->threads);
        tip += running ? (process->detached ? tr("\nstill running, detached: it had left the program, which had "
                                                 "exited, and ExitLens let it run on untraced")
                                            : tr("\nstill running"))
                       : tr("\nended: %1").arg(endedText(*process));
        return tip;
    }
    case Qt::DecorationRole:
        if (index.column() == NameColumn || index.column() == EndedColumn) {
            if (running)
                return Icons::icon(IconId::Running);
            switch (process->status.kind) {
            case ExitStatus::Kind::Exited:
                return Icons::icon(process->status.code == 0 ? IconId::ExitOk : IconId::ExitFailed);
            case ExitStatus::Kind::Signaled:
                return Icons::icon(IconId::ExitSignal);
            case ExitStatus::Kind::LaunchFailed:
                return Icons::icon(IconId::Failure);
            case ExitStatus::Kind::Running:
                break;
            }
        }
        break;
    case Qt::ForegroundRole:
        if (failed(*process))
            return Theme::failureText(QApplication::palette());
        break;
    case Qt::FontRole:
        if (failed(*process) && (index.column() == NameColumn || index.column() == EndedColumn)) {
            QFont font = QApplication::font();
            font.setBold(true);
            return font;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == PidColumn || index.column() == StartColumn || index.column() == EndColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case PidRole:
        return process->pid;
    case StartNsRole:
        return QVariant::fromValue<quint64>(process->startNs);
    case EndNsRole:
        return QVariant::fromValue<quint64>(running ? 0 : process->endNs);
    case SpanNsRole:
        return QVariant::fromValue<quint64>(m_spanNs);
    case FailedRole:
        return failed(*process);
    case RunningRole:
        return running;
    case StartSeqRole:
        return QVariant::fromValue<quint64>(process->startSeq);
    case EndSeqRole:
        return QVariant::fromValue<quint64>(process->endSeq);
    default:
        break;
    }
    return {};
}

QVariant ProcessTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Process");
    case PidColumn:
        return tr("PID");
    case LifetimeColumn:
        return tr("Lifetime");
    case EndedColumn:
        return tr("Ended");
    case StartColumn:
        return tr("Start");
    case EndColumn:
        return tr("End");
    case CommandColumn:
        return tr("Command line");
    default:
        break;
    }
    return {};
}

} // namespace exitlens
