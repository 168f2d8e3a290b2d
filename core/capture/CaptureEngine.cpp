#include "CaptureEngine.h"

#include "filter/FilterParser.h"
#include "logging/Logging.h"

#include <QMetaObject>

namespace exitlens {

namespace {
constexpr int kPublishIntervalMs = 50;

void registerTypes()
{
    static const bool done = [] {
        qRegisterMetaType<exitlens::LaunchSpec>();
        qRegisterMetaType<exitlens::TraceSummary>();
        qRegisterMetaType<std::shared_ptr<const exitlens::CaptureData>>();
        return true;
    }();
    (void)done;
}
} // namespace

CaptureEngine::CaptureEngine(QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    registerTypes();
    m_timer->setInterval(kPublishIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &CaptureEngine::publish);
}

CaptureEngine::~CaptureEngine()
{
    // Never leave a traced program behind: kill the tree and wait for the tracer to let go.
    if (m_tracer && m_running)
        m_tracer->requestStop();
    if (m_tracerThread.joinable())
        m_tracerThread.join();
}

std::shared_ptr<const CaptureData> CaptureEngine::data() const
{
    return m_data;
}

void CaptureEngine::stop()
{
    if (m_tracer && m_running)
        m_tracer->requestStop();
}

void CaptureEngine::forwardSignal(int signal)
{
    if (m_tracer && m_running)
        m_tracer->forwardSignal(signal);
}

void CaptureEngine::start(const LaunchSpec& spec)
{
    if (m_running) {
        logging::logger(logging::Subsystem::Capture)->warn("a capture is already running; start ignored");
        return;
    }
    if (m_tracerThread.joinable())
        m_tracerThread.join();
    m_data = std::make_shared<CaptureData>(spec);
    if (!spec.captureFilter.empty()) {
        // A bad capture filter fails the launch before anything starts: the program never runs.
        FilterParseResult parsed = FilterParser::parse(spec.captureFilter);
        if (parsed.state != FilterParseResult::State::Empty && !parsed.valid()) {
            TraceSummary summary;
            summary.error = "capture filter: " + FilterParser::describeError(spec.captureFilter, parsed);
            m_data->setSummary(summary);
            logging::logger(logging::Subsystem::Capture)->error("{}", summary.error);
            Q_EMIT started(m_data);
            Q_EMIT finished(summary);
            return;
        }
        m_data->setCaptureFilter(std::move(parsed.root));
    }
    m_tracer = createPlatformTracer();
    m_tracer->setLogger(logging::traceLogger());
    m_publishedEvents = 0;
    m_publishedProcessVersion = 0;
    m_running = true;
    Q_EMIT started(m_data);
    m_tracerThread = std::thread([this, data = m_data, tracer = m_tracer.get()] {
        const TraceSummary summary = tracer->run(data->spec(), *data);
        data->setSummary(summary);
        QMetaObject::invokeMethod(this, &CaptureEngine::onTracerDone, Qt::QueuedConnection);
    });
    m_timer->start();
}

void CaptureEngine::publish()
{
    if (!m_data)
        return;
    const std::uint64_t count = m_data->events().size();
    if (count > m_publishedEvents) {
        Q_EMIT batchAppended(m_publishedEvents, count - m_publishedEvents);
        m_publishedEvents = count;
    }
    const std::uint64_t version = m_data->processes().version();
    if (version != m_publishedProcessVersion) {
        m_publishedProcessVersion = version;
        Q_EMIT processesChanged();
    }
}

void CaptureEngine::onTracerDone()
{
    if (m_tracerThread.joinable())
        m_tracerThread.join();
    m_timer->stop();
    publish();
    m_running = false;
    const auto summary = m_data->summary();
    if (summary && !summary->error.empty())
        logging::logger(logging::Subsystem::Capture)->error("capture failed: {}", summary->error);
    Q_EMIT finished(summary.value_or(TraceSummary {}));
}

} // namespace exitlens
