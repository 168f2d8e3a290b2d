#include "GuiTestSupport.h"

#include "TestPaths.h"
#include "capture/CaptureEngine.h"
#include "model/CaptureData.h"
#include "ui/MainWindow.h"

#include <QProcessEnvironment>
#include <QTest>

namespace exitlens::test {

QString fixture(const QString& name)
{
    return QStringLiteral(EXITLENS_FIXTURE_DIR "/") + name;
}

LaunchSpec fixtureSpec(
    const QString& name, const QString& workingDirectory, std::vector<std::string> args, FixtureSpecOptions options)
{
    LaunchSpec spec;
    spec.program = fixture(name).toStdString();
    spec.args = std::move(args);
    spec.workingDirectory = workingDirectory.toStdString();
    if (options.systemEnvironment) {
        for (const QString& entry : QProcessEnvironment::systemEnvironment().toStringList())
            spec.environment.push_back(entry.toStdString());
    }
    if (options.pipes)
        spec.stdio = StdioMode::Pipes;
    return spec;
}

std::unique_ptr<MainWindow> newShownWindow()
{
    auto window = std::make_unique<MainWindow>();
    window->setConfirmations(false);
    window->resize(1400, 900);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    return window;
}

ThreadedEngine::ThreadedEngine()
    : m_engine(new CaptureEngine)
{
    m_engine->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    m_thread.start();
}

ThreadedEngine::~ThreadedEngine()
{
    m_thread.quit();
    m_thread.wait();
}

std::shared_ptr<const CaptureData> ThreadedEngine::capture(const LaunchSpec& spec,
    const std::function<void(std::shared_ptr<const CaptureData>)>& onStart,
    const std::function<void(quint64, quint64)>& onBatch, const std::function<void()>& onProcesses)
{
    // A queued connection, not a QSignalSpy (which counts in the engine's thread): by the time it
    // runs here, every batch signal sent before it has been delivered too.
    bool finished = false;
    std::vector<QMetaObject::Connection> connections;
    connections.push_back(QObject::connect(m_engine, &CaptureEngine::finished, &m_receiver, [&] { finished = true; }));
    std::shared_ptr<const CaptureData> data;
    connections.push_back(QObject::connect(
        m_engine, &CaptureEngine::started, &m_receiver, [&](std::shared_ptr<const CaptureData> started) {
            data = started;
            if (onStart)
                onStart(started);
        }));
    if (onBatch)
        connections.push_back(QObject::connect(m_engine, &CaptureEngine::batchAppended, &m_receiver, onBatch));
    if (onProcesses)
        connections.push_back(QObject::connect(m_engine, &CaptureEngine::processesChanged, &m_receiver, onProcesses));
    QMetaObject::invokeMethod(m_engine, "start", Qt::QueuedConnection, Q_ARG(exitlens::LaunchSpec, spec));
    [&] { QTRY_VERIFY_WITH_TIMEOUT(finished, 60000); }();
    for (const QMetaObject::Connection& connection : connections)
        QObject::disconnect(connection);
    return data;
}

} // namespace exitlens::test
