#pragma once

#include <QSet>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <memory>
#include <vector>

namespace exitlens {

class CaptureData;

// The values a capture has shown so far, for the filter bar's completion: process and executable
// names, operations, errno names, signal names and path prefixes (/etc/, /etc/ssl/). Learned
// incrementally: update() reads only the events since the last call, and each distinct string is
// looked at once (a byte per string id), so asking again during a capture costs the new events.
class FilterVocabulary {
public:
    void setCapture(std::shared_ptr<const CaptureData> data);
    void update();

    // Sorted values for a field of the language (process, exe, op, errno, signal, path, class,
    // kind, stream); empty for fields with no finite vocabulary (seq, duration...).
    QStringList values(const QString& field);

private:
    void learnPath(std::uint32_t id);

    std::shared_ptr<const CaptureData> m_data;
    std::uint64_t m_scanned = 0;
    std::vector<std::uint8_t> m_seenString; // by string id: bit 0 op, bit 1 path, bit 2 signal
    std::vector<bool> m_seenErrno;
    QSet<QString> m_ops;
    QSet<QString> m_signals;
    QSet<QString> m_pathPrefixes;
};

} // namespace exitlens
