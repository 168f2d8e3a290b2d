#pragma once

#include <QStringList>

namespace exitlens {

// `exitlens run [options] [--] PROGRAM [ARGS...]`: trace a program on the caller's own stdio,
// print how it ended, and exit with its status. Returns the process exit status.
int runCommand(const QStringList& arguments);

} // namespace exitlens
