#include "PmlTestData.h"

#include "TestPaths.h"

#include <QDir>
#include <QFile>
#include <zlib.h>

namespace pmltest {

QString dataDir()
{
    const QByteArray fromEnv = qgetenv("EXITLENS_PROCMON_DATA");
    return fromEnv.isEmpty() ? QStringLiteral(EXITLENS_PROCMON_DATA) : QString::fromLocal8Bit(fromEnv);
}

QByteArray gunzip(const QString& path, QString* error)
{
    gzFile file = gzopen(QFile::encodeName(path).constData(), "rb");
    if (file == nullptr) {
        if (error)
            *error = QStringLiteral("cannot open %1").arg(path);
        return {};
    }
    QByteArray out;
    char buffer[1 << 16];
    for (;;) {
        const int n = gzread(file, buffer, sizeof buffer);
        if (n < 0) {
            if (error)
                *error = QStringLiteral("gzip error in %1").arg(path);
            gzclose(file);
            return {};
        }
        if (n == 0)
            break;
        out.append(buffer, n);
    }
    gzclose(file);
    return out;
}

QString extractLog(const QString& name, const QString& dir)
{
    const QByteArray bytes = gunzip(dataDir() + QLatin1Char('/') + name + QStringLiteral(".PML.gz"));
    if (bytes.isEmpty())
        return {};
    const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".PML");
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size())
        return {};
    return path;
}

QVector<QStringList> parseCsv(const QByteArray& bytes)
{
    QString text = QString::fromUtf8(bytes);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    QVector<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    bool fieldStarted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == QLatin1Char('"')) {
            quoted = true;
            fieldStarted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
            fieldStarted = false;
        } else if (c == QLatin1Char('\r')) {
            continue;
        } else if (c == QLatin1Char('\n')) {
            row << field;
            rows << row;
            row.clear();
            field.clear();
            fieldStarted = false;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (fieldStarted || !row.isEmpty()) {
        row << field;
        rows << row;
    }
    return rows;
}

} // namespace pmltest
