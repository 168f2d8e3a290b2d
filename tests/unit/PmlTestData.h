#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

// The real Process Monitor logs beside the project (../shared/data/procmon, see its README):
// gzip-compressed .PML files with the CSV Process Monitor exported from each.
namespace pmltest {

QString dataDir();
// The decompressed bytes of a .gz file (zlib's gzip reader); empty with `error` set on failure.
QByteArray gunzip(const QString& path, QString* error = nullptr);
// Writes the decompressed log to `dir` and returns its path.
QString extractLog(const QString& name, const QString& dir);
// RFC 4180 rows (quoted fields may hold line breaks) of a UTF-8 CSV with a BOM.
QVector<QStringList> parseCsv(const QByteArray& bytes);

} // namespace pmltest
