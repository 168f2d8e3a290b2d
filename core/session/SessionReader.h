#pragma once

#include "SessionInfo.h"
#include "capture/CaptureEngine.h" // the metatype of std::shared_ptr<const CaptureData>
#include "model/CaptureData.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <thread>

namespace exitlens {

// Opens a session file in the background for the GUI: opened() arrives as soon as the target,
// verdict, processes and output are in (the first events follow within one batch), then
// progress() a few times a second while the events load, then finished() or failed(). The
// CaptureData it hands out is read exactly like a live capture's, without locks, while it grows.
class SessionReader : public QObject {
    Q_OBJECT
public:
    explicit SessionReader(QObject* parent = nullptr);
    // Cancels a running load and waits for the thread.
    ~SessionReader() override;

    // Starts loading path; a load already running is cancelled first.
    void open(const QString& path);
    // Any thread: stops the load (running queries are interrupted); failed() follows.
    void cancel();
    bool isLoading() const { return m_loading.load(); }
    // Blocks until the current load has ended (tests, the CLI); false on timeout.
    bool waitForFinished(int timeoutMs = -1);

Q_SIGNALS:
    void opened(std::shared_ptr<const exitlens::CaptureData> data, const exitlens::SessionInfo& info);
    void progress(quint64 loadedEvents, quint64 expectedEvents);
    void finished(std::shared_ptr<const exitlens::CaptureData> data, const exitlens::SessionInfo& info);
    void failed(const QString& error);

private:
    void join();

    std::thread m_thread;
    std::atomic<bool> m_cancel { false };
    std::atomic<bool> m_loading { false };
};

} // namespace exitlens
