#pragma once

#include "LaunchSpec.h"
#include "Tracer.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <memory>
#include <optional>

class QThread;

namespace exitlens {

class CaptureData;
class CaptureEngine;

// The capture's lifecycle, kept out of MainWindow: the CaptureEngine in its own thread, launch,
// stop (repeated until the capture ends: a stop that reaches the engine before its tracer runs
// finds nothing to kill), relaunch, and the switch to the next capture once the running one has
// ended. The window shows what the signals say; one process traces one capture at a time.
class CaptureController : public QObject {
    Q_OBJECT
public:
    explicit CaptureController(QObject* parent = nullptr);
    // Kills the traced tree and joins the engine's thread.
    ~CaptureController() override;

    // Starts capturing spec (stdio forced to pipes, the system environment when it has none).
    // While a capture runs it is stopped first and spec starts when it has ended (false then).
    bool launch(LaunchSpec spec);
    bool relaunch();
    // Kills the traced tree; the capture then finishes normally.
    void stop();
    // Stops and starts nothing after (the window closes, or a session opens next).
    void stopForGood();
    bool isRunning() const { return m_running; }
    bool hasPendingLaunch() const { return m_pendingSpec.has_value(); }

    // The spec Relaunch runs: the last launched, or that of an opened session's program.
    const std::optional<LaunchSpec>& lastSpec() const { return m_lastSpec; }
    void setLastSpec(std::optional<LaunchSpec> spec) { m_lastSpec = std::move(spec); }

    QDateTime startWall() const { return m_startWall; }
    // Since launch; -1 when nothing was launched (an opened session).
    qint64 elapsedMs() const { return m_elapsed.isValid() ? m_elapsed.elapsed() : -1; }
    // How long the last capture ran; -1 while it runs or for an opened session.
    qint64 finishedAfterMs() const { return m_finishedAfterMs; }
    // An opened session has no clock of its own.
    void forgetClock();

Q_SIGNALS:
    // A capture is starting: isRunning() and lastSpec() say so already (the window clears its views).
    void launching(const exitlens::LaunchSpec& spec);
    void started(std::shared_ptr<const exitlens::CaptureData> data);
    void batchAppended(quint64 first, quint64 count);
    void processesChanged();
    // After this signal, a launch that waited for this capture to end starts.
    void finished(const exitlens::TraceSummary& summary);

private:
    void onStarted(std::shared_ptr<const CaptureData> data);
    void onBatch(quint64 first, quint64 count);
    void onProcessesChanged();
    void onFinished(const TraceSummary& summary);
    void repeatStop();

    QThread* m_thread = nullptr;
    CaptureEngine* m_engine = nullptr;
    std::optional<LaunchSpec> m_lastSpec;
    std::optional<LaunchSpec> m_pendingSpec;
    bool m_running = false;
    bool m_stopRequested = false; // Stop was asked for this capture: repeated until it ends
    bool m_stopForGood = false;
    QDateTime m_startWall;
    QElapsedTimer m_elapsed;
    qint64 m_finishedAfterMs = -1;
};

} // namespace exitlens
