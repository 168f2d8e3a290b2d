#pragma once

#include <QStringList>

namespace exitlens {

// `exitlens inspect PROGRAM [--json]`: the ELF facts and, for a Go program, its build info,
// read from the file without running it. Returns 0 when PROGRAM could be read as an executable,
// 1 when not ("not an ELF executable", cannot open), 2 for a usage error.
int inspectCommand(const QStringList& arguments);

} // namespace exitlens
