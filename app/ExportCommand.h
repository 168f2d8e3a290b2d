#pragma once

#include <QStringList>

namespace exitlens {

// `exitlens export FILE (--session OUT | --html OUT | --json OUT | --csv OUT)... [--redact] [--filter EXPR]`:
// writes a saved session in another form, optionally redacted for sharing. Returns the exit status.
int exportCommand(const QStringList& arguments);

} // namespace exitlens
