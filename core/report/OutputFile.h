#pragma once

#include <QSaveFile>
#include <QString>
#include <memory>

namespace exitlens {

// A file the user named for a result (`run --json`, `export --csv/--html/--json/--session`, Save As).
//
// A regular file, or a new path, is written atomically: a temporary file beside it, renamed over
// it once complete, so a reader never sees half a document and a failure leaves the old file.
// Anything else that exists there — /dev/null or another device, a FIFO, a socket, a pipe behind
// /dev/stdout or /proc/self/fd/N, or a symlink to any of these — is opened and written through,
// as a shell's redirection would: renaming over it would replace a device node with a regular
// file (run as root, that breaks every later use of /dev/null on the machine).
class OutputFile {
public:
    explicit OutputFile(QString path);

    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    // Opening a FIFO waits for its reader, as `echo >FIFO` does. The error says why, not where.
    bool open(QString& error);
    // A failure is remembered and reported by commit().
    void write(const char* data, qint64 size);
    void write(const QByteArray& data) { write(data.constData(), data.size()); }
    // Finishes the file: renames the temporary into place, or ends the writing through. A reader
    // that went away (a FIFO, a pipe) is an error here ("Broken pipe"), never a SIGPIPE.
    bool commit(QString& error);

    // True when PATH exists (after following symlinks) and is not a regular file or a folder.
    static bool writesThrough(const QString& path);
    // Where to build a finished file (a session copy) that placeInto() will then put at
    // DESTINATION: beside it for a regular or new path, so the rename stays on one file system;
    // in the temporary folder for anything written through (the device's folder, /dev, may not be
    // writable and must not collect stray files).
    static QString temporaryFor(const QString& destination);
    // Puts the finished TEMPORARY at DESTINATION: renamed over a regular or new path (atomically:
    // a reader sees the old file or the new one, never none), copied through anything else. The
    // temporary is removed either way.
    // The error names DESTINATION ("cannot write DESTINATION: why").
    static bool placeInto(const QString& temporary, const QString& destination, QString& error);

private:
    QString m_path;
    std::unique_ptr<QSaveFile> m_atomic;
    int m_through = -1; // the descriptor written through
    int m_throughError = 0; // the first errno of a write through
};

} // namespace exitlens
