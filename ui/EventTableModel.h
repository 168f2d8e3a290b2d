#pragma once

#include "Event.h"
#include "VisibleRowIndex.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QDateTime>
#include <QHash>
#include <QVector>
#include <algorithm>
#include <functional>
#include <memory>

namespace exitlens {

class CaptureData;

// The event table's model: a thin view over the capture's append-only store. It keeps no copy
// of the events and builds no text ahead of time: cell text is made when a row is painted. Rows
// are the store's events through a VisibleRowIndex (identity, or the events a filter accepts).
// New events arrive as one insert per drain tick (syncTo), never one per event.
class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column : int {
        SeqColumn,
        TimeColumn,
        ProcessColumn,
        PidColumn,
        TidColumn,
        OperationColumn,
        PathColumn,
        ResultColumn,
        DetailColumn,
        DurationColumn,
        ColumnCount
    };
    enum Role : int {
        SeqRole = Qt::UserRole + 1, // quint64 sequence number
        PidRole, // int
        RowStyleRole, // int(RowStyle)
        HighlightRole, // QColor of the first highlight rule the row matches (invalid: none)
    };
    // How a row looks: each style has its own icon (shape) and colour.
    enum class RowStyle : std::uint8_t {
        Plain,
        Failure,
        ProcessStart,
        ProcessExec,
        ProcessExit,
        ProcessExitFailed,
        Signal,
        Thread,
        Output,
        Note,
    };
    using RowPredicate = VisibleRowIndex::Predicate;

    explicit EventTableModel(QObject* parent = nullptr);
    ~EventTableModel() override;

    // Shows a capture (or nothing). startTime is the wall-clock time of the capture's start,
    // for absolute times in tooltips. The model reads up to the store's published size.
    // The predicate (see setRowPredicate) must be made for this capture.
    void setCapture(
        std::shared_ptr<const CaptureData> data, const QDateTime& startTime = {}, RowPredicate predicate = {});
    const std::shared_ptr<const CaptureData>& capture() const { return m_data; }
    QDateTime startTime() const { return m_startTime; }

    // Takes the store's events up to `published` into the table with one beginInsertRows.
    // Returns the number of rows added.
    int syncTo(std::uint64_t published);
    // Events the model has taken into account (shown or filtered out).
    std::uint64_t knownEvents() const { return m_index.end(); }
    // Events the table shows.
    std::uint64_t visibleEvents() const { return m_index.size(); }

    // The filter hook: rows are the events the predicate accepts (all when it is empty).
    void setRowPredicate(RowPredicate predicate);
    // Rows a filter worker computed: the matching sequence numbers of [0, scanned), in order. The
    // events the model knows past `scanned`, and every later one syncTo() brings, are tested with
    // the predicate (one batch per tick), so only the tail is ever tested on this thread.
    void setFilteredRows(const std::vector<std::uint64_t>& rows, std::uint64_t scanned, RowPredicate predicate);
    // "Clear": hides every event before seq (they stay in the capture for the diagnosis).
    void hideBefore(std::uint64_t seq);
    std::uint64_t firstShownSeq() const { return m_index.first(); }

    // The rules dialog's highlight rules: the background colour of an event, or an invalid colour.
    using Highlighter = std::function<QColor(std::uint64_t seq)>;
    void setHighlighter(Highlighter highlighter);
    QColor highlightColor(std::uint64_t seq) const { return m_highlighter ? m_highlighter(seq) : QColor(); }

    // The session's bookmarked events (sorted or not): their Seq cell gets the note marker.
    // Only the view repaints; no model signal (a full-range dataChanged costs seconds at millions of rows).
    void setBookmarks(std::vector<std::uint64_t> seqs);
    bool isBookmarked(std::uint64_t seq) const
    {
        return !m_bookmarks.empty() && std::binary_search(m_bookmarks.begin(), m_bookmarks.end(), seq);
    }

    // Rows of this process get a highlight background (0: none).
    void setHighlightedPid(int pid);
    int highlightedPid() const { return m_highlightedPid; }

    // Re-reads process names after the process table changed.
    void refreshProcesses();

    std::uint64_t seqAt(int row) const { return m_index.seqAt(std::uint64_t(row)); }
    const Event& eventAt(int row) const;
    // The row that shows seq, or -1 when it is filtered out or not known yet.
    int rowOfSeq(std::uint64_t seq) const;
    // The row of seq or of the closest shown event after it; -1 when the table is empty.
    int nearestRowOfSeq(std::uint64_t seq) const;

    // The hot path for the delegate: no QVariant, text made now.
    QString cellText(int row, int column) const;
    QString cellText(std::uint64_t seq, const Event& event, int column) const;
    QString toolTip(int row, int column) const;
    static RowStyle rowStyle(const Event& event);
    QString processName(int pid, std::uint64_t seq) const;
    QString absoluteTime(std::uint64_t timeNs) const { return absoluteTime(m_startTime, timeNs); }
    static QString absoluteTime(const QDateTime& startTime, std::uint64_t timeNs);
    static QString relativeTime(std::uint64_t timeNs);
    static QString durationText(const Event& event);
    QString resultText(const Event& event) const;
    // One line per row, columns separated by tabs, with a header line (for the clipboard).
    QString rowsAsText(const QVector<int>& rows, const QVector<int>& columns) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

Q_SIGNALS:
    void highlightChanged();

private:
    struct ProcessName {
        std::uint64_t startSeq;
        QString name;
    };
    void rebuildIndex(std::uint64_t first, std::uint64_t end);

    std::shared_ptr<const CaptureData> m_data;
    QDateTime m_startTime;
    VisibleRowIndex m_index;
    RowPredicate m_predicate;
    int m_highlightedPid = 0;
    std::vector<std::uint64_t> m_bookmarks;
    Highlighter m_highlighter;
    QHash<int, QVector<ProcessName>> m_processNames;
    std::uint64_t m_processVersion = ~std::uint64_t(0);
};

} // namespace exitlens
