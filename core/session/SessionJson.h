#pragma once

#include "LaunchContext.h"
#include "ProcessRecord.h"
#include "diagnosis/Verdict.h"

#include <QByteArray>
#include <QJsonArray>
#include <QString>
#include <string>
#include <vector>

namespace exitlens {

// The JSON columns of a session, both ways. Parsing never trusts its input: wrong types give
// defaults, oversized arrays are cut, nothing throws.
class SessionJson {
public:
    static QByteArray stringList(const std::vector<std::string>& values);
    static std::vector<std::string> parseStringList(const QByteArray& json, std::size_t maxItems = 1 << 20);

    static QByteArray launchContext(const LaunchContext& context);
    static LaunchContext parseLaunchContext(const QByteArray& json);

    static QByteArray openFiles(const std::vector<ExitContext::OpenFile>& files);
    static std::vector<ExitContext::OpenFile> parseOpenFiles(const QByteArray& json);

    // The same object as the "verdict" of `exitlens run --json`.
    static QByteArray verdict(const Verdict& verdict);
    static bool parseVerdict(const QByteArray& json, Verdict& out);
};

} // namespace exitlens
