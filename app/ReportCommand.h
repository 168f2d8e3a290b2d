#pragma once

#include <QStringList>

namespace exitlens {

// `exitlens report FILE [--json]`: prints the verdict and summary of a saved session (or its
// result document as JSON on stdout). Returns the process exit status.
int reportCommand(const QStringList& arguments);

} // namespace exitlens
