#pragma once

namespace exitlens {

// The workbench window is its own executable, exitlens-gui, installed beside exitlens. The command
// line then starts without Qt Widgets, Qt Gui and the ~40 libraries they pull in, whose loading
// took most of a short `exitlens run` (and is paid again by every traced run in a script).
//
// Replaces this process with exitlens-gui, passing the arguments on. Returns only when that
// failed, after saying why on stderr, with the exit status to use.
int execWindow(int argc, char** argv);

} // namespace exitlens
