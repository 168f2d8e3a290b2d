#pragma once

// Helpers shared by the Go insight tests: run a real program and collect what it printed.
#include "TestPaths.h"

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace exitlens::testing {

struct ProcessOutput {
    QByteArray out;
    QByteArray err;
    int exitCode = -1;
    bool crashed = false;
    bool started = false;
};

inline QString fixturePath(const QString& name)
{
    return QString(EXITLENS_FIXTURE_DIR) + "/" + name;
}

// Runs PROGRAM with ARGUMENTS; EXTRA_ENV entries ("NAME=value") are added to the environment.
inline ProcessOutput runProgram(const QString& program, const QStringList& arguments, const QStringList& extraEnv = {},
    const QString& workingDirectory = {}, int timeoutMs = 120000)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const auto& entry : extraEnv) {
        const auto equals = entry.indexOf('=');
        environment.insert(entry.left(equals), entry.mid(equals + 1));
    }
    process.setProcessEnvironment(environment);
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(program, arguments);
    ProcessOutput output;
    output.started = process.waitForStarted(10000);
    if (!output.started)
        return output;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    output.out = process.readAllStandardOutput();
    output.err = process.readAllStandardError();
    output.crashed = process.exitStatus() == QProcess::CrashExit;
    output.exitCode = process.exitCode();
    return output;
}

} // namespace exitlens::testing
