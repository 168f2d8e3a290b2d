#pragma once

#include "SessionInfo.h"
#include "diagnosis/Verdict.h"
#include "model/CaptureData.h"

#include <QJsonObject>
#include <QString>
#include <functional>
#include <vector>

namespace exitlens {

// The exports of a capture, live or loaded from a session: the JSON result document (the same
// as `exitlens run --json`), CSV of the events, and the self-contained HTML report (HtmlReport).
class SessionExport {
public:
    using EventFilter = std::function<bool(const Event&)>;

    // The capture's verdict: the one it carries (a saved session's), otherwise the plain
    // description of how it ended.
    static Verdict verdictOf(const CaptureData& data);
    static TraceSummary summaryOf(const CaptureData& data);

    // The result document. For a capture loaded from a session (info.path set), target.elf and
    // target.go are the ones the session stored, never read from whatever binary is at that path
    // on this machine (it may be absent, rebuilt, or hold what a redacted copy removed).
    static QJsonObject document(const CaptureData& data, const SessionInfo& info);
    static bool writeJson(const CaptureData& data, const SessionInfo& info, const QString& path, QString& error);
    // One row per event (header: seq,time_ns,pid,tid,kind,class,op,path,detail,result,errno,
    // duration_ns,flags,failed), RFC 4180 quoting. filter, when set, keeps only the events it
    // accepts (the filter bar's expression, compiled by the filter language).
    static bool writeCsv(const CaptureData& data, const QString& path, const EventFilter& filter, QString& error);
    // The same rows for the given sequence numbers only (what a compiled filter expression kept).
    static bool writeCsvRows(
        const CaptureData& data, const QString& path, const std::vector<std::uint64_t>& rows, QString& error);
    // The result document's "filter" member for `export --json --filter`: the expression, the
    // number of matching events and those events (fields as the CSV's columns).
    static QJsonObject filteredEvents(
        const CaptureData& data, const std::vector<std::uint64_t>& rows, const QString& expression);
    static bool writeHtml(const CaptureData& data, const SessionInfo& info, const QString& path, QString& error);
};

} // namespace exitlens
