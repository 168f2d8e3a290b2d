#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

namespace exitlens::cli {

// "exitlens: MESSAGE" on stderr: how every subcommand reports a usage or input error.
void printError(const QString& message);

// Parses the arguments of `exitlens NAME ...` with PARSER (options already added), and answers
// --help and parse errors the same way for every subcommand. Returns -1 when the command should go
// on, otherwise the exit status to return (0 after --help, 2 for a usage error).
int parse(QCommandLineParser& parser, const QStringList& arguments, const QString& name);

} // namespace exitlens::cli
