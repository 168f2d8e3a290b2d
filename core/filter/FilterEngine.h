#pragma once

#include "filter/FilterParser.h"
#include "model/CaptureData.h"

#include <QObject>
#include <atomic>
#include <memory>
#include <vector>

namespace exitlens {

// Runs a display filter over a whole capture in a worker thread. Every apply() gets a new
// generation; a newer one makes an older scan stop early and its result is never delivered, so
// the view only ever sees the answer to the latest expression.
class FilterEngine : public QObject {
    Q_OBJECT
public:
    using Rows = std::shared_ptr<const std::vector<std::uint64_t>>;

    explicit FilterEngine(QObject* parent = nullptr);
    ~FilterEngine() override;

    // Parses synchronously (cheap) and reports a parse error at once; scans in the background.
    // Returns the generation of this request, or 0 when the expression is not valid.
    quint64 apply(std::shared_ptr<const CaptureData> data, const QString& expression);
    quint64 generation() const { return m_generation.load(); }

Q_SIGNALS:
    // rows are the matching sequence numbers of events [0, scanned).
    void filtered(quint64 generation, exitlens::FilterEngine::Rows rows, quint64 scanned);
    void invalid(const QString& error, int position);

private:
    std::shared_ptr<std::atomic<quint64>> m_latest;
    std::atomic<quint64> m_generation { 0 };
};

} // namespace exitlens

Q_DECLARE_METATYPE(exitlens::FilterEngine::Rows)
