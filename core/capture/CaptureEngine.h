#pragma once

#include "Tracer.h"
#include "model/CaptureData.h"

#include <QObject>
#include <QTimer>
#include <atomic>
#include <memory>
#include <thread>

namespace exitlens {

// Runs one capture at a time. The engine is a QObject meant to live in a worker QThread; the
// tracer runs on a thread the engine owns, because ptrace ties every tracee to the thread that
// forked it and that thread spends its life blocked in waitpid. The engine polls the capture's
// published counts every 50 ms and tells the GUI thread in one queued signal per tick, never one
// per event.
class CaptureEngine : public QObject {
    Q_OBJECT
public:
    explicit CaptureEngine(QObject* parent = nullptr);
    ~CaptureEngine() override;

    // The current (or last) capture; readers keep it alive while they use it.
    std::shared_ptr<const CaptureData> data() const;
    bool isRunning() const { return m_running.load(); }

    // Any thread, no event loop needed: kills the traced tree. The capture then finishes normally.
    void stop();
    // Any thread: sends a signal to the launched program (the CLI's forwarded Ctrl-C).
    void forwardSignal(int signal);

public Q_SLOTS:
    // Starts a capture; ignored (with a warning) while one is running. Call through a queued
    // connection or QMetaObject::invokeMethod when the engine lives in another thread.
    void start(const exitlens::LaunchSpec& spec);

Q_SIGNALS:
    void started(std::shared_ptr<const exitlens::CaptureData> data);
    // Events [first, first + count) are now readable.
    void batchAppended(quint64 first, quint64 count);
    void processesChanged();
    void finished(const exitlens::TraceSummary& summary);

private:
    void publish();
    void onTracerDone();

    QTimer* m_timer = nullptr;
    std::unique_ptr<Tracer> m_tracer;
    std::shared_ptr<CaptureData> m_data;
    std::thread m_tracerThread;
    std::atomic<bool> m_running { false };
    std::uint64_t m_publishedEvents = 0;
    std::uint64_t m_publishedProcessVersion = 0;
};

} // namespace exitlens

Q_DECLARE_METATYPE(exitlens::LaunchSpec)
Q_DECLARE_METATYPE(exitlens::TraceSummary)
Q_DECLARE_METATYPE(std::shared_ptr<const exitlens::CaptureData>)
