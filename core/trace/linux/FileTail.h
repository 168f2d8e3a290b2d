#pragma once

#include "ProcessRecord.h"

#include <string>
#include <string_view>
#include <vector>

namespace exitlens::linux_trace {

// The last words of a file a dying process had open for writing: a program that exits without a
// message on stdout or stderr has often logged its reason to a file ("its last words went to
// /var/log/app.log: ..."). Read at the exit_group stop through /proc/PID/fd/N, so a file deleted
// while open, or reached through a path the tracer cannot resolve, still reads. Bounded: never
// more than kMaxFiles files, never more than the last kTailBytes of each, never a non-regular
// file (a FIFO or a device could block or never end).
class FileTail {
public:
    static constexpr int kMaxFiles = 8;
    static constexpr std::size_t kTailBytes = 4096;
    static constexpr std::size_t kMaxLines = 5;
    static constexpr std::size_t kMaxLineBytes = 400;

    // Fills forWriting, size, modifiedNs and tail of the entries of FILES that are regular files
    // PID holds open for writing. Tolerates a process or file that vanished meanwhile.
    static void read(int pid, std::vector<ExitContext::OpenFile>& files);

    // The last non-empty lines of BYTES (the end of a file); STARTS_MID_FILE drops the first,
    // possibly cut, line. Lines with control bytes other than tab are binary data: none then.
    static std::vector<std::string> lastLines(std::string_view bytes, bool startsMidFile);
};

} // namespace exitlens::linux_trace
