#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace exitlens::pml {

// Appends UTF-16LE text (`units` code units at `data`) to `out` as UTF-8. Unpaired surrogates
// become U+FFFD; a NUL ends the text (Windows strings in the log are often NUL-padded).
void appendUtf16(std::string& out, const std::uint8_t* data, std::size_t units);

// A bounds-checked little-endian reader over part of the file. A read past the end yields zero
// and clears ok(): decoders read on and check once, so a short structure never reads outside.
class ByteCursor {
public:
    ByteCursor() = default;
    ByteCursor(const std::uint8_t* data, std::uint64_t size)
        : m_data(data)
        , m_size(size)
    {
    }

    bool ok() const { return m_ok; }
    std::uint64_t position() const { return m_pos; }
    std::uint64_t remaining() const { return m_pos <= m_size ? m_size - m_pos : 0; }
    const std::uint8_t* here() const { return m_data + m_pos; }
    bool empty() const { return m_size == 0; }

    bool seek(std::uint64_t pos)
    {
        if (pos > m_size)
            return fail();
        m_pos = pos;
        return true;
    }
    bool skip(std::uint64_t n) { return n <= remaining() ? (m_pos += n, true) : fail(); }
    std::uint8_t u8() { return static_cast<std::uint8_t>(read(1)); }
    std::uint16_t u16() { return static_cast<std::uint16_t>(read(2)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(read(4)); }
    std::uint64_t u64() { return read(8); }
    std::uint64_t pointer(bool wide) { return read(wide ? 8 : 4); }
    // `n` raw bytes, or null (and !ok()) when fewer remain.
    const std::uint8_t* bytes(std::uint64_t n)
    {
        if (n > remaining()) {
            fail();
            return nullptr;
        }
        const std::uint8_t* p = m_data + m_pos;
        m_pos += n;
        return p;
    }
    // A UTF-16 string of `bytesLength` bytes appended to out.
    void utf16(std::string& out, std::uint64_t bytesLength)
    {
        if (const std::uint8_t* p = bytes(bytesLength))
            appendUtf16(out, p, static_cast<std::size_t>(bytesLength / 2));
    }
    // Process Monitor's detail strings: a 16-bit info word (bit 15: ASCII; bits 0-14: characters)
    // before, the characters later.
    void detailString(std::string& out, std::uint16_t info)
    {
        const std::uint64_t count = info & 0x7FFFu;
        if ((info & 0x8000u) != 0) {
            if (const std::uint8_t* p = bytes(count))
                out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(count));
        } else {
            utf16(out, count * 2);
        }
    }

private:
    bool fail()
    {
        m_ok = false;
        m_pos = m_size;
        return false;
    }
    std::uint64_t read(unsigned n)
    {
        if (n > remaining()) {
            fail();
            return 0;
        }
        std::uint64_t value = 0;
        for (unsigned i = 0; i < n; ++i)
            value |= static_cast<std::uint64_t>(m_data[m_pos + i]) << (8 * i);
        m_pos += n;
        return value;
    }

    const std::uint8_t* m_data = nullptr;
    std::uint64_t m_size = 0;
    std::uint64_t m_pos = 0;
    bool m_ok = true;
};

} // namespace exitlens::pml
