#include "FilterEngine.h"

#include "filter/CompiledFilter.h"

#include <QMetaObject>
#include <QPointer>
#include <QThreadPool>

namespace exitlens {

FilterEngine::FilterEngine(QObject* parent)
    : QObject(parent)
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
{
    qRegisterMetaType<exitlens::FilterEngine::Rows>();
}

FilterEngine::~FilterEngine()
{
    m_latest->store(~0ull); // any scan still running stops at its next check
}

quint64 FilterEngine::apply(std::shared_ptr<const CaptureData> data, const QString& expression)
{
    FilterParseResult parsed = FilterParser::parse(expression.toStdString());
    if (parsed.state == FilterParseResult::State::Invalid || parsed.state == FilterParseResult::State::Incomplete) {
        Q_EMIT invalid(QString::fromStdString(parsed.error), static_cast<int>(parsed.errorPosition));
        return 0;
    }
    const quint64 generation = ++m_generation;
    m_latest->store(generation);
    auto filter = std::make_shared<CompiledFilter>(std::move(parsed.root), data);
    QPointer<FilterEngine> self(this);
    QThreadPool::globalInstance()->start([self, latest = m_latest, generation, filter, data] {
        auto rows = std::make_shared<std::vector<std::uint64_t>>();
        const std::uint64_t count = data->events().size();
        // A large store is split over the machine's cores; every slice polls the generation, so a
        // newer filter (it replaced this one) stops them all within 65,536 events.
        const bool done = filter->scanParallel(0, count, *rows, CompiledFilter::threadsFor(count),
            [&latest, generation] { return latest->load() != generation; });
        if (!done || latest->load() != generation || !self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, rows, count, latest] {
                if (self && latest->load() == generation)
                    Q_EMIT self->filtered(generation, rows, count);
            },
            Qt::QueuedConnection);
    });
    return generation;
}

} // namespace exitlens
