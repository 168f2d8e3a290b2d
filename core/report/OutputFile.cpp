#include "OutputFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

namespace exitlens {

namespace {
constexpr qint64 kCopyBlock = 1 << 20;

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// Writes all of DATA to FD. A reader that closed its end raises SIGPIPE, whose default action
// would end ExitLens (and with it `exitlens run`'s report of the program): block it on this
// thread for the write, and take back the one the failed write left pending. Returns 0 or errno.
int writeAll(int fd, const char* data, qint64 size)
{
    sigset_t pipeSignal;
    sigset_t previous;
    sigemptyset(&pipeSignal);
    sigaddset(&pipeSignal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous);
    int error = 0;
    while (size > 0) {
        const ssize_t written = ::write(fd, data, static_cast<std::size_t>(size));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            error = written < 0 ? errno : EIO;
            break;
        }
        data += written;
        size -= written;
    }
    if (error == EPIPE && !sigismember(&previous, SIGPIPE)) {
        const timespec now {};
        sigtimedwait(&pipeSignal, nullptr, &now);
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return error;
}

// A symlink to a regular file is replaced at its target, as QSaveFile does: the link stays.
QString resolved(const QString& path)
{
    const QFileInfo info(path);
    if (info.isSymLink() && info.isFile())
        return info.canonicalFilePath();
    return path;
}
} // namespace

OutputFile::OutputFile(QString path)
    : m_path(std::move(path))
{
}

OutputFile::~OutputFile()
{
    if (m_through >= 0)
        ::close(m_through);
}

bool OutputFile::writesThrough(const QString& path)
{
    struct stat info { };
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return false;
    return !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode);
}

bool OutputFile::open(QString& error)
{
    if (writesThrough(m_path)) {
        // No O_CREAT: it exists; no O_TRUNC: meaningless for what is not a regular file.
        m_through = ::open(QFile::encodeName(m_path).constData(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (m_through < 0) {
            error = systemError(errno);
            return false;
        }
        return true;
    }
    m_atomic = std::make_unique<QSaveFile>(m_path);
    if (!m_atomic->open(QIODevice::WriteOnly)) {
        error = m_atomic->errorString();
        return false;
    }
    return true;
}

void OutputFile::write(const char* data, qint64 size)
{
    if (m_atomic) {
        m_atomic->write(data, size); // QSaveFile remembers a failure until commit()
        return;
    }
    if (m_through >= 0 && m_throughError == 0)
        m_throughError = writeAll(m_through, data, size);
}

bool OutputFile::commit(QString& error)
{
    if (m_atomic) {
        if (!m_atomic->commit()) {
            error = m_atomic->errorString();
            return false;
        }
        return true;
    }
    if (m_through < 0) {
        error = "not open";
        return false;
    }
    const int fd = m_through;
    m_through = -1;
    if (::close(fd) != 0 && errno != EINTR && m_throughError == 0)
        m_throughError = errno;
    if (m_throughError != 0) {
        error = systemError(m_throughError);
        return false;
    }
    return true;
}

QString OutputFile::temporaryFor(const QString& destination)
{
    if (!writesThrough(destination))
        return resolved(destination) + ".part";
    // An unguessable name: the temporary folder is shared, and SQLite's VACUUM INTO creates it.
    return QDir::tempPath() + "/exitlens-" + QString::number(QRandomGenerator::system()->generate64(), 16) + ".part";
}

bool OutputFile::placeInto(const QString& temporary, const QString& destination, QString& error)
{
    const QByteArray temporaryName = QFile::encodeName(temporary);
    if (!writesThrough(destination)) {
        // rename(2) replaces an existing destination atomically: a reader sees the old file or
        // the new one, never none (QFile::rename refuses to overwrite, and remove-then-rename
        // leaves a gap).
        if (std::rename(temporaryName.constData(), QFile::encodeName(resolved(destination)).constData()) != 0) {
            error = "cannot write " + destination + ": " + systemError(errno);
            QFile::remove(temporary);
            return false;
        }
        return true;
    }
    QFile source(temporary);
    OutputFile target(destination);
    QString why;
    bool copied = source.open(QIODevice::ReadOnly);
    if (!copied)
        why = source.errorString();
    else
        copied = target.open(why);
    while (copied) {
        const QByteArray block = source.read(kCopyBlock);
        if (block.isEmpty())
            break;
        target.write(block);
    }
    if (copied && source.error() != QFileDevice::NoError) {
        why = source.errorString();
        copied = false;
    }
    if (copied)
        copied = target.commit(why);
    source.close();
    QFile::remove(temporary);
    if (!copied)
        error = "cannot write " + destination + ": " + why;
    return copied;
}

} // namespace exitlens
