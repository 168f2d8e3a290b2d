#include "BackgroundJob.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

namespace exitlens {

BackgroundJob::BackgroundJob(QObject* parent)
    : QObject(parent)
{
}

BackgroundJob::~BackgroundJob()
{
    join();
}

void BackgroundJob::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

bool BackgroundJob::start(const QString& description, Work work)
{
    if (m_running)
        return false;
    join();
    m_running = true;
    Q_EMIT started(description);
    m_thread = std::thread([this, description, work = std::move(work)] {
        const QString error = work();
        // Queued to this object: dropped if the object is gone (its destructor joined us first).
        QMetaObject::invokeMethod(
            this,
            [this, description, error] {
                join();
                m_running = false;
                Q_EMIT done(description, error);
            },
            Qt::QueuedConnection);
    });
    return true;
}

bool BackgroundJob::waitForDone(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (m_running) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    return true;
}

} // namespace exitlens
