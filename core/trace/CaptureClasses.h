#pragma once

#include "Event.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace exitlens {

// The capture filter: which event classes the tracer stops on at all. What is not in the set is
// never recorded, so the set is saved with the capture for a reader to know what is missing.
class CaptureClasses {
public:
    static CaptureClasses all();
    static CaptureClasses none() { return CaptureClasses(0); }

    // Parses "process,signal,file". On error returns false and names the bad word in error.
    static bool parse(std::string_view text, CaptureClasses& out, std::string& error);

    bool has(EventClass cls) const { return (m_bits & bit(cls)) != 0; }
    void add(EventClass cls) { m_bits |= bit(cls); }
    void remove(EventClass cls) { m_bits &= ~bit(cls); }
    std::uint32_t bits() const { return m_bits; }
    std::string toString() const; // "process,thread,file" in class order

    bool operator==(const CaptureClasses&) const = default;

private:
    explicit CaptureClasses(std::uint32_t bits)
        : m_bits(bits)
    {
    }
    static std::uint32_t bit(EventClass cls) { return 1u << static_cast<unsigned>(cls); }
    std::uint32_t m_bits;
};

} // namespace exitlens
