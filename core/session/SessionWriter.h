#pragma once

#include "diagnosis/Verdict.h"
#include "model/CaptureData.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace exitlens {

class SessionConnection;

// Writes one capture into a session file while it runs. The writer has its own thread and its
// own named connection; it polls the capture's published counts (the store is append-only, like
// the engine's publish tick), so it holds no queue of its own and cannot grow without bound: when
// it is slower than the capture it reports how far behind it is. Every transaction commits within
// 250 ms in WAL mode, so a writer killed with SIGKILL leaves a file that opens with everything
// up to its last commit; on a full disk it leaves one consistent file (no -wal) holding what fit.
class SessionWriter : public QObject {
    Q_OBJECT
public:
    struct Stats {
        quint64 committedEvents = 0;
        quint64 lagEvents = 0; // published by the capture, not yet committed
        double lagSeconds = 0; // capture time between the last committed and the last published event
        quint64 commits = 0;
        bool behind = false;
        bool complete = false; // everything, summary and verdict included, is committed (indexes may follow)
        bool failing = false; // the disk is full (or failing): the file stopped growing, the capture goes on
    };
    // Behind means more than this much capture time is not yet in the file.
    static constexpr double kBehindSeconds = 1.0;

    explicit SessionWriter(QObject* parent = nullptr);
    // Finishes (without a verdict if finish() was never called) and waits for the thread.
    ~SessionWriter() override;

    // Creates the file (replacing any file at path) on the writer's thread and starts writing
    // from data. Returns false, with the reason in error, when the file cannot be created.
    bool start(const QString& path, std::shared_ptr<const CaptureData> data, QString& error);

    // Any thread; written with the next commit. JSON documents from the build-info and ELF readers
    // (GoJson::go, GoJson::elf). When neither is set, finish() reads the target executable itself.
    void setGoBuildInfo(const QByteArray& json);
    void setElfFacts(const QByteArray& json);

    // Any thread: commit what the capture has published now instead of at the next tick.
    void flush();
    // Any thread, after the capture ended (its summary is set): writes everything left, the
    // summary and the verdict, builds the indexes and closes the file. finished() follows.
    void finish(const std::optional<Verdict>& verdict);
    // Blocks until the writer has closed the file; false on timeout (timeoutMs < 0: no limit).
    bool waitForFinished(int timeoutMs = -1);

    bool isRunning() const { return m_running.load(); }
    QString path() const { return m_path; }
    QString errorString() const;
    Stats stats() const;

Q_SIGNALS:
    // After a commit that wrote something (at most a few per second).
    void progress(quint64 committedEvents, quint64 lagEvents);
    // When the writer falls behind the capture by more than kBehindSeconds, and when it catches up.
    void lagChanged(bool behind, quint64 lagEvents, double lagSeconds);
    void finished(bool ok, const QString& error);
    // When a write fails for want of room (or the device fails), at once: the file keeps a
    // consistent prefix of the capture, the capture goes on in memory and the writer tries again
    // every second. If the disk is still full at the end, finished() reports what the file lacks.
    void storageFailed(const QString& message);

private:
    struct Worker;
    void run(std::shared_ptr<const CaptureData> data, std::promise<QString>* opened);
    void fail(const QString& error);

    QString m_path;
    std::thread m_thread;
    std::atomic<bool> m_running { false };

    mutable std::mutex m_mutex; // guards the fields below
    std::condition_variable m_wake;
    bool m_flushRequested = false;
    bool m_finishRequested = false;
    bool m_started = false;
    bool m_done = false;
    std::optional<Verdict> m_verdict;
    std::optional<QByteArray> m_goBuildInfo;
    std::optional<QByteArray> m_elfFacts;
    QString m_error;
    Stats m_stats;
};

} // namespace exitlens
