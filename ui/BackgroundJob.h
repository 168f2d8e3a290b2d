#pragma once

#include <QObject>
#include <QString>
#include <functional>
#include <thread>

namespace exitlens {

// Runs one file operation (Save As, an export) off the GUI thread, so the window never freezes
// on a large session; the result comes back on the GUI thread. One job at a time: file
// operations on the same session are not worth running side by side. The destructor waits for a
// running job, so a file is never left half written because the window closed.
class BackgroundJob : public QObject {
    Q_OBJECT
public:
    // Returns an error message; empty on success.
    using Work = std::function<QString()>;

    explicit BackgroundJob(QObject* parent = nullptr);
    ~BackgroundJob() override;

    bool isRunning() const { return m_running; }
    // False when a job is already running.
    bool start(const QString& description, Work work);
    // Blocks until the running job is done and done() was emitted (tests); false on timeout.
    bool waitForDone(int timeoutMs);

Q_SIGNALS:
    void started(const QString& description);
    void done(const QString& description, const QString& error);

private:
    void join();

    std::thread m_thread;
    bool m_running = false; // GUI thread only
};

} // namespace exitlens
