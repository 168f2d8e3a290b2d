#include "SessionReader.h"

#include "SessionLoader.h"

#include <QThread>
#include <chrono>

namespace exitlens {

namespace {
void registerTypes()
{
    static const bool done = [] {
        qRegisterMetaType<exitlens::SessionInfo>();
        qRegisterMetaType<std::shared_ptr<const exitlens::CaptureData>>();
        return true;
    }();
    (void)done;
}
} // namespace

SessionReader::SessionReader(QObject* parent)
    : QObject(parent)
{
    registerTypes();
}

SessionReader::~SessionReader()
{
    cancel();
    join();
}

void SessionReader::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

void SessionReader::open(const QString& path)
{
    cancel();
    join();
    m_cancel = false;
    m_loading = true;
    m_thread = std::thread([this, path] {
        SessionLoader loader(path);
        loader.setCancelFlag(&m_cancel);
        SessionLoader::Callbacks callbacks;
        callbacks.opened = [this](std::shared_ptr<const CaptureData> data, const SessionInfo& info) {
            Q_EMIT opened(std::move(data), info);
        };
        callbacks.progress = [this](
                                 std::uint64_t loaded, std::uint64_t expected) { Q_EMIT progress(loaded, expected); };
        SessionInfo info;
        QString error;
        std::shared_ptr<const CaptureData> data = loader.load(info, error, callbacks);
        m_loading = false;
        if (data)
            Q_EMIT finished(std::move(data), info);
        else
            Q_EMIT failed(error);
    });
}

void SessionReader::cancel()
{
    m_cancel = true;
}

bool SessionReader::waitForFinished(int timeoutMs)
{
    const auto start = std::chrono::steady_clock::now();
    while (m_loading) {
        if (timeoutMs >= 0 && std::chrono::steady_clock::now() - start > std::chrono::milliseconds(timeoutMs))
            return false;
        QThread::msleep(5);
    }
    join();
    return true;
}

} // namespace exitlens
