#pragma once

// What exitlens-cli and exitlens-gui do first of all, before Qt or the log open any file.
namespace exitlens {

// The front program (LoaderFront.c, installed as `exitlens`) started this one with the caller's
// LD_* variables moved to EXITLENS_SAVED_LD_*, so the loader resolved ExitLens's own libraries from
// the system. Puts them back, under their own names, into this process's environment, where every
// traced program's environment is taken from (`exitlens run`, and the window's launches). The
// loader read its variables once at start: changing them now no longer affects ExitLens itself,
// not even the plugins Qt loads later.
void restoreLoaderVariables();

// Opens /dev/null onto each of the descriptors 0, 1 and 2 that the caller left closed
// (`exitlens run -- prog >&- 2>&-`). Otherwise the next file ExitLens opens (its log, its
// signalfd) would take that number: its summary would land in its own log, and the traced
// program would be described as writing to ExitLens's files. Close-on-exec: the traced program
// (StdioMode::Inherit) still finds them closed, as it would without ExitLens.
void occupyClosedStdio();

} // namespace exitlens
