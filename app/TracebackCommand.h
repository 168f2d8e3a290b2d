#pragma once

#include <QStringList>

namespace exitlens {

// `exitlens traceback [FILE|-] [--json] [--module PATH | --binary PROGRAM]`: parses a Go
// traceback saved anywhere (a log, a bug report, a terminal paste) and prints the reason, the
// program's own frame and the goroutine buckets. Returns 0 when a traceback was found, 1 when
// none was (or the input could not be read), 2 for a usage error.
int tracebackCommand(const QStringList& arguments);

} // namespace exitlens
