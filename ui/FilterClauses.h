#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <cstdint>

namespace exitlens {

class CaptureData;

// Builds filter-language text (docs/filters.md) for the window's quick filters: a value quoted so
// the parser reads it back as the same value, `field == value` from a table cell, a process and
// its descendants as `pid in (...)`, and clauses joined without changing what each one means.
class FilterClauses {
public:
    // `openat`, `/etc/app.conf` stay bare; anything else is double-quoted with \ escapes.
    static QString quoted(const QString& value);
    static QString comparison(const QString& field, const QString& op, const QString& value);
    // `a and b`, with a clause parenthesised when it is an `or` (and binds tighter).
    static QString conjoin(const QStringList& clauses);
    // The clause for one cell of the event table (an EventTableModel column), or empty when the
    // column has no value to filter on (time, duration).
    static QString cellClause(const CaptureData& data, std::uint64_t seq, int column, bool include);
    // The process and every process it started, directly or not (by ppid in the process table).
    static QList<int> processAndDescendants(const CaptureData& data, int pid);
    static QString pidClause(const QList<int>& pids);
};

} // namespace exitlens
