#pragma once

#include "SessionInfo.h"
#include "model/CaptureData.h"

#include <QString>
#include <QStringList>
#include <string>
#include <vector>

namespace exitlens {

struct RedactionOptions {
    bool userAndHome = false; // also replace the user's name and home folder
    std::vector<std::string> extraValues; // anything else the user asks to hide
};

// One value that will be replaced, and why.
struct RedactionItem {
    QString kind; // where it was found first: environment | argument | url | assignment | user | home | extra
    QString label; // "API_TOKEN", "--password (pid 1234)", "https://deploy@host"
    QStringList sources; // every place the rules found this value: "environment: API_TOKEN", ...
    std::string value; // the text that is replaced (shown to the owner in the preview, never written)
    std::string replacement; // "[REDACTED]", "[user]", "[home]"
    bool everywhere = true; // false: too short to replace elsewhere safely; only its own field is replaced
    quint64 occurrences = 0; // in the whole session (filled by the preview)
    bool enabled = true; // the preview may untick an item
};

struct RedactionPlan {
    std::vector<RedactionItem> items;
    QStringList notes; // what the user should know (short values, ...)
};

// Makes a copy of a session for sharing with secrets replaced, never touching the original. The
// rules: values of environment variables whose names look secret (TOKEN, SECRET, PASSWORD, PASSWD,
// KEY, CREDENTIAL, AUTH, COOKIE, SESSION), --password=... style arguments (and "--password VALUE"),
// NAME=VALUE assignments with such names anywhere (build flags like -X main.secret=...),
// the password of user:password@ in URLs, optionally the user's name and home folder; then every
// other occurrence of each value anywhere in the file. The copy is built table by table into a
// fresh database, marked redacted, and written with VACUUM INTO, so no free page or journal of the
// output ever held a secret.
class Redactor {
public:
    static constexpr const char* kMarker = "[REDACTED]";
    // Values shorter than this are replaced only in their own field: "1" must not vanish everywhere.
    static constexpr std::size_t kMinGlobalLength = 6;
    // Values at least this long are also hunted in base64 (shorter ones would match by chance).
    static constexpr std::size_t kMinBase64Length = 16;

    // What would be redacted, with occurrence counts, for a loaded session.
    static RedactionPlan preview(const CaptureData& data, const SessionInfo& info, const RedactionOptions& options);
    // Loads the session first; false with a message when it cannot be read.
    static bool preview(const QString& path, const RedactionOptions& options, RedactionPlan& plan, QString& error);

    // Writes the redacted copy of source to destination (replaced if it exists).
    static bool write(const QString& source, const QString& destination, const RedactionPlan& plan, QString& error);

    // The plan applied to one text; adds to counts (one per item) when given.
    static std::string apply(std::string_view text, const RedactionPlan& plan, std::vector<quint64>* counts = nullptr);

    // Whether an environment variable or option name looks like it holds a secret.
    static bool secretName(std::string_view name);
};

} // namespace exitlens
