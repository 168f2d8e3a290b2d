#include "CaptureController.h"

#include "RecentList.h"
#include "capture/CaptureEngine.h"
#include "logging/Logging.h"
#include "model/CaptureData.h"

#include <QProcessEnvironment>
#include <QThread>

namespace exitlens {

namespace {
std::vector<std::string> systemEnvironment()
{
    std::vector<std::string> environment;
    for (const QString& entry : QProcessEnvironment::systemEnvironment().toStringList())
        environment.push_back(entry.toStdString());
    return environment;
}
} // namespace

CaptureController::CaptureController(QObject* parent)
    : QObject(parent)
{
    // The engine lives in its own thread; its tracer thread is its own business.
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("capture-engine"));
    m_engine = new CaptureEngine;
    m_engine->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    connect(m_engine, &CaptureEngine::started, this, &CaptureController::onStarted);
    connect(m_engine, &CaptureEngine::batchAppended, this, &CaptureController::onBatch);
    connect(m_engine, &CaptureEngine::processesChanged, this, &CaptureController::onProcessesChanged);
    connect(m_engine, &CaptureEngine::finished, this, &CaptureController::onFinished);
    m_thread->start();
}

CaptureController::~CaptureController()
{
    // Kill the traced tree before the engine goes: its destructor joins the tracer thread.
    if (m_engine)
        m_engine->stop();
    m_thread->quit();
    m_thread->wait();
}

bool CaptureController::launch(LaunchSpec spec)
{
    spec.stdio = StdioMode::Pipes;
    if (spec.environment.empty())
        spec.environment = systemEnvironment();
    if (m_running) {
        m_pendingSpec = spec;
        m_stopRequested = true;
        m_engine->stop();
        return false;
    }
    m_lastSpec = spec;
    m_startWall = QDateTime::currentDateTime();
    m_elapsed.start();
    m_finishedAfterMs = -1;
    m_running = true;
    m_stopRequested = false;
    m_stopForGood = false;
    logging::logger(logging::Subsystem::Ui)->info("launching {}", spec.program);
    RecentList(QStringLiteral("launch/recentPrograms")).add(QString::fromStdString(spec.program));
    Q_EMIT launching(spec);
    QMetaObject::invokeMethod(m_engine, "start", Qt::QueuedConnection, Q_ARG(exitlens::LaunchSpec, spec));
    return true;
}

bool CaptureController::relaunch()
{
    return m_lastSpec && launch(*m_lastSpec);
}

void CaptureController::stop()
{
    if (!m_running)
        return;
    // Remembered for the rest of this capture: a stop that reaches the engine before its tracer
    // runs finds nothing to kill, so it is repeated on the next ticks.
    m_stopRequested = true;
    m_engine->stop();
}

void CaptureController::stopForGood()
{
    m_pendingSpec.reset();
    m_stopForGood = true;
    stop();
}

void CaptureController::forgetClock()
{
    m_startWall = QDateTime();
    m_elapsed.invalidate();
    m_finishedAfterMs = -1;
}

void CaptureController::repeatStop()
{
    if (m_stopRequested && m_running)
        m_engine->stop();
}

void CaptureController::onStarted(std::shared_ptr<const CaptureData> data)
{
    if (m_stopRequested || m_stopForGood)
        m_engine->stop();
    Q_EMIT started(std::move(data));
}

void CaptureController::onBatch(quint64 first, quint64 count)
{
    // A stop asked for before the tracer was running can be lost (its run() starts by clearing the
    // stop flag): repeat it until the capture ends.
    repeatStop();
    Q_EMIT batchAppended(first, count);
}

void CaptureController::onProcessesChanged()
{
    repeatStop();
    Q_EMIT processesChanged();
}

void CaptureController::onFinished(const TraceSummary& summary)
{
    m_running = false;
    m_finishedAfterMs = m_elapsed.isValid() ? m_elapsed.elapsed() : 0;
    Q_EMIT finished(summary);
    if (m_pendingSpec) {
        LaunchSpec next = *m_pendingSpec;
        m_pendingSpec.reset();
        launch(next);
    }
}

} // namespace exitlens
