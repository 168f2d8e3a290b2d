#include "EventTableModel.h"

#include "Icons.h"
#include "Names.h"
#include "Theme.h"
#include "model/CaptureData.h"

#include <QApplication>
#include <QFileInfo>
#include <QLocale>
#include <QPalette>
#include <climits>

namespace exitlens {

namespace {
// QAbstractItemModel counts rows in int; the store can hold 2^32 events. Beyond this the table
// shows the first INT_MAX rows of the index (a capture that big is better filtered anyway).
constexpr std::uint64_t kMaxRows = INT_MAX;

QString fromView(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}
} // namespace

EventTableModel::EventTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

EventTableModel::~EventTableModel() = default;

void EventTableModel::setCapture(
    std::shared_ptr<const CaptureData> data, const QDateTime& startTime, RowPredicate predicate)
{
    beginResetModel();
    m_data = std::move(data);
    m_predicate = std::move(predicate);
    m_startTime = startTime.isValid() ? startTime : QDateTime::currentDateTime();
    m_processNames.clear();
    m_processVersion = ~std::uint64_t(0);
    m_highlightedPid = 0;
    rebuildIndex(0, 0);
    refreshProcesses();
    endResetModel();
}

void EventTableModel::rebuildIndex(std::uint64_t first, std::uint64_t end)
{
    if (!m_data) {
        m_index.reset(0, 0, {}, {});
        return;
    }
    const CaptureData* data = m_data.get();
    m_index.reset(first, std::max(first, end), m_predicate,
        [data](std::uint64_t seq) -> const Event& { return data->events().at(seq); });
}

int EventTableModel::syncTo(std::uint64_t published)
{
    if (!m_data)
        return 0;
    published = std::min<std::uint64_t>(published, m_data->events().size());
    if (published <= m_index.end())
        return 0;
    const CaptureData* data = m_data.get();
    const auto getEvent = [data](std::uint64_t seq) -> const Event& { return data->events().at(seq); };
    const std::uint64_t oldRows = std::min(m_index.size(), kMaxRows);
    const std::uint64_t added = m_index.countNew(published, getEvent);
    const std::uint64_t newRows = std::min(m_index.size() + added, kMaxRows);
    if (newRows == oldRows) {
        m_index.extend(published, getEvent);
        return 0;
    }
    beginInsertRows({}, int(oldRows), int(newRows - 1));
    m_index.extend(published, getEvent);
    endInsertRows();
    return int(newRows - oldRows);
}

void EventTableModel::setRowPredicate(RowPredicate predicate)
{
    beginResetModel();
    m_predicate = std::move(predicate);
    rebuildIndex(m_index.first(), m_index.end());
    endResetModel();
}

void EventTableModel::setFilteredRows(
    const std::vector<std::uint64_t>& rows, std::uint64_t scanned, RowPredicate predicate)
{
    beginResetModel();
    m_predicate = predicate ? std::move(predicate) : [](std::uint64_t, const Event&) { return true; };
    if (m_data) {
        const CaptureData* data = m_data.get();
        m_index.assign(m_index.first(), m_index.end(), rows, scanned, m_predicate,
            [data](std::uint64_t seq) -> const Event& { return data->events().at(seq); });
    }
    endResetModel();
}

void EventTableModel::hideBefore(std::uint64_t seq)
{
    beginResetModel();
    rebuildIndex(std::min(seq, m_index.end()), m_index.end());
    endResetModel();
}

void EventTableModel::setBookmarks(std::vector<std::uint64_t> seqs)
{
    std::sort(seqs.begin(), seqs.end());
    m_bookmarks = std::move(seqs);
}

void EventTableModel::setHighlightedPid(int pid)
{
    if (pid == m_highlightedPid)
        return;
    m_highlightedPid = pid;
    Q_EMIT highlightChanged();
}

void EventTableModel::setHighlighter(Highlighter highlighter)
{
    m_highlighter = std::move(highlighter);
    Q_EMIT highlightChanged(); // the view repaints
}

void EventTableModel::refreshProcesses()
{
    if (!m_data)
        return;
    const std::uint64_t version = m_data->processes().version();
    if (version == m_processVersion)
        return;
    m_processVersion = version;
    m_processNames.clear();
    for (const ProcessRecord& record : m_data->processes().snapshot()) {
        auto& names = m_processNames[record.pid];
        names.push_back({ record.startSeq, QFileInfo(QString::fromStdString(record.exe)).fileName() });
    }
}

QString EventTableModel::processName(int pid, std::uint64_t seq) const
{
    auto found = m_processNames.constFind(pid);
    if (found == m_processNames.constEnd() || found->isEmpty())
        return QString();
    // A pid reused within one capture has several processes: take the latest that started
    // before this event.
    const QVector<ProcessName>& names = *found;
    for (auto it = names.crbegin(); it != names.crend(); ++it) {
        if (it->startSeq <= seq)
            return it->name;
    }
    return names.front().name;
}

const Event& EventTableModel::eventAt(int row) const
{
    return m_data->events().at(m_index.seqAt(std::uint64_t(row)));
}

int EventTableModel::rowOfSeq(std::uint64_t seq) const
{
    const std::int64_t row = m_index.rowOf(seq);
    return row < 0 || std::uint64_t(row) >= kMaxRows ? -1 : int(row);
}

int EventTableModel::nearestRowOfSeq(std::uint64_t seq) const
{
    const std::int64_t row = m_index.nearestRowOf(seq);
    if (row < 0)
        return -1;
    return int(std::min<std::uint64_t>(std::uint64_t(row), std::min(m_index.size(), kMaxRows) - 1));
}

EventTableModel::RowStyle EventTableModel::rowStyle(const Event& event)
{
    switch (event.kind) {
    case EventKind::ProcessStart:
        return RowStyle::ProcessStart;
    case EventKind::ProcessExec:
        return RowStyle::ProcessExec;
    case EventKind::ProcessExit:
        return event.failed() ? RowStyle::ProcessExitFailed : RowStyle::ProcessExit;
    case EventKind::Signal:
        return RowStyle::Signal;
    case EventKind::ThreadStart:
    case EventKind::ThreadExit:
        return RowStyle::Thread;
    case EventKind::Note:
        return RowStyle::Note;
    case EventKind::Output:
        return event.failed() ? RowStyle::Failure : RowStyle::Output;
    case EventKind::Syscall:
        break;
    }
    return event.failed() ? RowStyle::Failure : RowStyle::Plain;
}

QString EventTableModel::relativeTime(std::uint64_t timeNs)
{
    // Seconds with microseconds, like strace -r and Process Monitor's relative time.
    const std::uint64_t micros = timeNs / 1000;
    QString text = QString::number(micros / 1000000);
    text += QLatin1Char('.');
    text += QString::number(micros % 1000000).rightJustified(6, QLatin1Char('0'));
    return text;
}

QString EventTableModel::absoluteTime(const QDateTime& startTime, std::uint64_t timeNs)
{
    const qint64 micros = startTime.toMSecsSinceEpoch() * 1000 + qint64(timeNs / 1000);
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(micros / 1000);
    return when.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss."))
        + QString::number(micros % 1000000).rightJustified(6, QLatin1Char('0'));
}

QString EventTableModel::durationText(const Event& event)
{
    if (event.durationNs == 0)
        return QString();
    const double ns = event.durationNs;
    QString text;
    if (ns < 1000)
        text = QString::number(event.durationNs) + QStringLiteral(" ns");
    else if (ns < 1e6)
        text = QString::number(ns / 1e3, 'f', ns < 1e4 ? 1 : 0) + QStringLiteral(" µs");
    else if (ns < 1e9)
        text = QString::number(ns / 1e6, 'f', ns < 1e7 ? 2 : 1) + QStringLiteral(" ms");
    else
        text = QString::number(ns / 1e9, 'f', 2) + QStringLiteral(" s");
    if (event.flags & EventFlag::DurationSaturated)
        text.prepend(QStringLiteral("≥ "));
    return text;
}

QString EventTableModel::resultText(const Event& event) const
{
    switch (event.kind) {
    case EventKind::Syscall:
    case EventKind::Output:
        if (event.flags & EventFlag::Unfinished)
            return QStringLiteral("(unfinished)");
        if (event.failed() && event.errnum != 0)
            return QString::fromStdString(errnoName(event.errnum));
        // Values this large are addresses (mmap, brk): hex is how people read them.
        if (event.result > 0xffffffffLL)
            return QStringLiteral("0x") + QString::number(quint64(event.result), 16);
        return QString::number(event.result);
    case EventKind::ProcessExit:
        if (event.flags & EventFlag::Signaled) {
            QString text = QString::fromStdString(signalName(int(event.result)));
            if (event.flags & EventFlag::CoreDumped)
                text += QStringLiteral(" (core)");
            return text;
        }
        return QStringLiteral("exit ") + QString::number(event.result);
    case EventKind::Signal:
        return QStringLiteral("delivered");
    case EventKind::ProcessExec:
    case EventKind::ProcessStart:
        return QStringLiteral("ok");
    case EventKind::ThreadStart:
    case EventKind::ThreadExit:
    case EventKind::Note:
        break;
    }
    return QString();
}

QString EventTableModel::cellText(int row, int column) const
{
    if (!m_data || row < 0 || std::uint64_t(row) >= m_index.size())
        return QString();
    const std::uint64_t seq = m_index.seqAt(std::uint64_t(row));
    return cellText(seq, m_data->events().at(seq), column);
}

QString EventTableModel::cellText(std::uint64_t seq, const Event& event, int column) const
{
    switch (column) {
    case SeqColumn:
        return QString::number(seq);
    case TimeColumn:
        return relativeTime(event.timeNs);
    case ProcessColumn:
        return processName(event.pid, seq);
    case PidColumn:
        return QString::number(event.pid);
    case TidColumn:
        return QString::number(event.tid);
    case OperationColumn:
        return fromView(m_data->text(event.op));
    case PathColumn:
        return fromView(m_data->text(event.path));
    case ResultColumn:
        return resultText(event);
    case DetailColumn: {
        std::string_view detail = m_data->text(event.detail);
        // Only what can be seen: a long write() payload is cut before conversion.
        constexpr std::size_t kVisible = 600;
        if (detail.size() > kVisible)
            return fromView(detail.substr(0, kVisible)) + QChar(0x2026);
        return fromView(detail);
    }
    case DurationColumn:
        return durationText(event);
    default:
        break;
    }
    return QString();
}

QString EventTableModel::toolTip(int row, int column) const
{
    if (!m_data || row < 0 || std::uint64_t(row) >= m_index.size())
        return QString();
    const std::uint64_t seq = m_index.seqAt(std::uint64_t(row));
    const Event& event = m_data->events().at(seq);
    switch (column) {
    case TimeColumn:
        return tr("%1 s after launch\n%2").arg(relativeTime(event.timeNs), absoluteTime(event.timeNs));
    case ResultColumn:
        if (event.failed() && event.errnum != 0)
            return QStringLiteral("%1: %2").arg(
                QString::fromStdString(errnoName(event.errnum)), QString::fromStdString(errnoMessage(event.errnum)));
        return resultText(event);
    case PathColumn:
    case DetailColumn: {
        std::string_view text = m_data->text(column == PathColumn ? event.path : event.detail);
        if (text.empty())
            return QString();
        constexpr std::size_t kTip = 2000;
        QString tip = fromView(text.substr(0, kTip));
        if (text.size() > kTip)
            tip += tr("… (%1 bytes in all; see Event details)").arg(text.size());
        return tip;
    }
    case OperationColumn:
        switch (rowStyle(event)) {
        case RowStyle::Failure:
            return tr("Failed: %1").arg(resultText(event));
        case RowStyle::ProcessExitFailed:
            return tr("Process ended badly: %1").arg(fromView(m_data->text(event.detail)));
        case RowStyle::Signal:
            return tr("Signal delivered: %1").arg(fromView(m_data->text(event.detail)));
        default:
            return QString::fromLatin1(eventKindName(event.kind).data(), qsizetype(eventKindName(event.kind).size()));
        }
    default:
        break;
    }
    return QString();
}

QString EventTableModel::rowsAsText(const QVector<int>& rows, const QVector<int>& columns) const
{
    QString text;
    QStringList header;
    for (int column : columns)
        header << headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
    text += header.join(QLatin1Char('\t'));
    text += QLatin1Char('\n');
    for (int row : rows) {
        QStringList cells;
        for (int column : columns)
            cells << cellText(row, column);
        text += cells.join(QLatin1Char('\t'));
        text += QLatin1Char('\n');
    }
    return text;
}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return int(std::min(m_index.size(), kMaxRows));
}

int EventTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags EventTableModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !m_data || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const std::uint64_t seq = m_index.seqAt(std::uint64_t(index.row()));
    const Event& event = m_data->events().at(seq);
    switch (role) {
    case Qt::DisplayRole:
        return cellText(seq, event, index.column());
    case HighlightRole:
        return highlightColor(seq);
    case Qt::ToolTipRole:
        return toolTip(index.row(), index.column());
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case SeqColumn:
        case TimeColumn:
        case PidColumn:
        case TidColumn:
        case DurationColumn:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case Qt::DecorationRole:
        if (index.column() == SeqColumn && isBookmarked(seq))
            return Icons::icon(IconId::Note);
        if (index.column() == OperationColumn) {
            switch (rowStyle(event)) {
            case RowStyle::Failure:
                return Icons::icon(IconId::Failure);
            case RowStyle::ProcessStart:
                return Icons::icon(IconId::ProcessStart);
            case RowStyle::ProcessExec:
                return Icons::icon(IconId::ProcessExec);
            case RowStyle::ProcessExit:
                return Icons::icon(IconId::ProcessExit);
            case RowStyle::ProcessExitFailed:
                return Icons::icon((event.flags & EventFlag::Signaled) ? IconId::ExitSignal : IconId::ExitFailed);
            case RowStyle::Signal:
                return Icons::icon(IconId::Signal);
            case RowStyle::Thread:
                return Icons::icon(IconId::Thread);
            case RowStyle::Output:
                return Icons::icon(IconId::Output);
            case RowStyle::Note:
                return Icons::icon(IconId::Note);
            case RowStyle::Plain:
                break;
            }
        }
        return {};
    case Qt::ForegroundRole: {
        const QPalette palette = QApplication::palette();
        switch (rowStyle(event)) {
        case RowStyle::Failure:
        case RowStyle::ProcessExitFailed:
            return Theme::failureText(palette);
        case RowStyle::ProcessStart:
        case RowStyle::ProcessExec:
        case RowStyle::ProcessExit:
            return Theme::lifecycleText(palette);
        case RowStyle::Signal:
            return Theme::signalText(palette);
        case RowStyle::Thread:
        case RowStyle::Note:
            return Theme::mutedText(palette);
        default:
            return {};
        }
    }
    case SeqRole:
        return QVariant::fromValue<quint64>(seq);
    case PidRole:
        return event.pid;
    case RowStyleRole:
        return int(rowStyle(event));
    default:
        break;
    }
    return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case SeqColumn:
            return tr("Seq");
        case TimeColumn:
            return tr("Time");
        case ProcessColumn:
            return tr("Process");
        case PidColumn:
            return tr("PID");
        case TidColumn:
            return tr("TID");
        case OperationColumn:
            return tr("Operation");
        case PathColumn:
            return tr("Path");
        case ResultColumn:
            return tr("Result");
        case DetailColumn:
            return tr("Detail");
        case DurationColumn:
            return tr("Duration");
        default:
            break;
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case SeqColumn:
            return tr("Sequence number: the event's position in the capture");
        case TimeColumn:
            return tr("Seconds since launch (hover a cell for the wall-clock time)");
        case OperationColumn:
            return tr("System call or lifecycle event; failures, process events and signals have their own icon");
        case ResultColumn:
            return tr("Return value, errno name, exit code or signal");
        case DurationColumn:
            return tr("Time spent in the call, entry to exit");
        default:
            break;
        }
    } else if (role == Qt::TextAlignmentRole) {
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    }
    return {};
}

} // namespace exitlens
