#pragma once

#include <QString>
#include <cstdint>
#include <functional>

namespace exitlens {

class SessionConnection;

// The layout of a .exitlens file (docs/session-format.md is the reference for users of other
// SQLite tools). Every statement here is a fixed string: nothing is ever built from a file's
// contents.
class SessionSchema {
public:
    // Bump on any change a reader of the previous version could misread; docs/session-format.md
    // lists what each version added.
    static constexpr int kVersion = 1;
    // PRAGMA application_id: "ExLn", so `file` and other tools can tell a session from any SQLite file.
    static constexpr std::int32_t kApplicationId = 0x45784C6E;
    static constexpr const char* kExtension = "exitlens";

    // Creates every table, view and lookup table in an empty database (inside one transaction).
    // firstRows, when given, runs inside that same transaction after the tables exist: a writer
    // puts the meta row there, so no committed state of the file lacks it.
    static bool create(
        SessionConnection& connection, QString& error, const std::function<bool(QString&)>& firstRows = {});
    // The indexes a GUI queries by; built when a capture ends (a sorted build is several times
    // faster and denser than maintaining them row by row while the capture runs).
    static bool createIndexes(SessionConnection& connection, QString& error);
};

} // namespace exitlens
