#include "TraceeMemory.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <sys/uio.h>
#include <unistd.h>

namespace exitlens::linux_trace {

namespace {
constexpr std::uint64_t kPageSize = 4096;

// process_vm_readv never splits one remote iovec, so a read that crosses into an unmapped
// page would fail whole. Splitting the remote range at page boundaries lets the call return
// everything up to the first unreadable page.
std::size_t readPaged(int tid, std::uint64_t address, char* buffer, std::size_t length)
{
    constexpr std::size_t kMaxSegments = 64;
    std::size_t done = 0;
    while (done < length) {
        std::array<iovec, kMaxSegments> remote {};
        std::size_t segments = 0;
        std::size_t planned = 0;
        std::uint64_t cursor = address + done;
        while (segments < kMaxSegments && done + planned < length) {
            const std::uint64_t pageEnd = (cursor / kPageSize + 1) * kPageSize;
            const std::size_t chunk = std::min<std::uint64_t>(pageEnd - cursor, length - done - planned);
            remote[segments].iov_base = reinterpret_cast<void*>(cursor);
            remote[segments].iov_len = chunk;
            ++segments;
            planned += chunk;
            cursor += chunk;
        }
        iovec local { buffer + done, planned };
        const ssize_t got = process_vm_readv(tid, &local, 1, remote.data(), segments, 0);
        if (got <= 0)
            break;
        done += static_cast<std::size_t>(got);
        if (static_cast<std::size_t>(got) < planned)
            break;
    }
    return done;
}
} // namespace

bool TraceeMemory::readString(int tid, std::uint64_t address, std::size_t maxLength, std::string& out, bool* truncated)
{
    out.clear();
    if (truncated)
        *truncated = false;
    if (address == 0)
        return false;
    // Read page by page: most paths end within the first page, and a later page may be unmapped.
    std::size_t offset = 0;
    std::array<char, kPageSize> page {};
    while (offset < maxLength) {
        const std::uint64_t cursor = address + offset;
        const std::size_t chunk = std::min<std::uint64_t>(kPageSize - cursor % kPageSize, maxLength - offset);
        const std::size_t got = readPaged(tid, cursor, page.data(), chunk);
        if (got == 0)
            return offset > 0;
        const void* nul = std::memchr(page.data(), '\0', got);
        if (nul) {
            out.append(page.data(), static_cast<const char*>(nul) - page.data());
            return true;
        }
        out.append(page.data(), got);
        offset += got;
        if (got < chunk)
            return true;
    }
    if (truncated)
        *truncated = true;
    return true;
}

std::size_t TraceeMemory::readBytes(int tid, std::uint64_t address, std::size_t length, std::string& out)
{
    out.resize(length);
    const std::size_t got = address == 0 ? 0 : readPaged(tid, address, out.data(), length);
    out.resize(got);
    return got;
}

bool TraceeMemory::readPointerArray(
    int tid, std::uint64_t address, std::size_t maxCount, std::vector<std::uint64_t>& out)
{
    out.clear();
    if (address == 0)
        return false;
    constexpr std::size_t kBatch = 64;
    std::array<std::uint64_t, kBatch> pointers {};
    while (out.size() < maxCount) {
        const std::size_t want = std::min(kBatch, maxCount - out.size());
        const std::size_t got = readPaged(tid, address + out.size() * sizeof(std::uint64_t),
            reinterpret_cast<char*>(pointers.data()), want * sizeof(std::uint64_t));
        const std::size_t count = got / sizeof(std::uint64_t);
        for (std::size_t i = 0; i < count; ++i) {
            if (pointers[i] == 0)
                return true;
            out.push_back(pointers[i]);
        }
        if (count < want)
            return false;
    }
    return true;
}

} // namespace exitlens::linux_trace
