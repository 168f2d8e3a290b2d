#include "InspectCommand.h"

#include "CommandLine.h"
#include "go/BinaryInspection.h"
#include "go/GoJson.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <cstdio>

namespace exitlens {

namespace {
std::string join(const std::vector<std::string>& values, const char* separator)
{
    std::string text;
    for (const auto& value : values)
        text += (text.empty() ? "" : separator) + value;
    return text;
}

void printText(const BinaryInspection& inspection)
{
    const BinaryFacts& facts = inspection.facts;
    std::printf("%s: %s %d-bit %s %s, %s%s, %s\n", inspection.path.c_str(), facts.format.c_str(), facts.bits,
        facts.architecture.c_str(), facts.fileType.c_str(), facts.isStatic ? "statically linked" : "dynamically linked",
        facts.littleEndian ? "" : ", big-endian", facts.stripped ? "stripped" : "not stripped");
    if (!facts.interpreter.empty())
        std::printf("  interpreter  %s\n", facts.interpreter.c_str());
    if (!facts.needed.empty())
        std::printf("  needed       %s\n", join(facts.needed, ", ").c_str());
    if (!facts.rpath.empty())
        std::printf("  rpath        %s\n", join(facts.rpath, ":").c_str());
    if (!facts.runpath.empty())
        std::printf("  runpath      %s\n", join(facts.runpath, ":").c_str());
    if (!inspection.isGo) {
        std::printf("%s\n", inspection.notGoReason.c_str());
        return;
    }
    std::printf("Go program%s%s\n", inspection.cgo ? ", cgo linked in" : ", no cgo",
        inspection.pclntabFormat.empty() ? ""
                                         : (", pclntab " + inspection.pclntabFormat + " format, "
                                             + std::to_string(inspection.goFunctions) + " functions")
                                               .c_str());
    if (!facts.goBuildId.empty())
        std::printf("  build id     %s\n", facts.goBuildId.c_str());
    if (!inspection.buildInfo) {
        std::printf("  no build info: %s\n", inspection.buildInfoError.c_str());
        return;
    }
    const GoBuildInfo& info = *inspection.buildInfo;
    std::printf("  %s%s\n", info.goVersion.c_str(), info.legacyLayout ? " (pre-Go 1.18 build info layout)" : "");
    // The same lines as `go version -m`.
    const std::string text = info.modInfoText();
    for (std::size_t start = 0; start < text.size();) {
        const auto end = text.find('\n', start);
        std::printf("  %s\n", text.substr(start, end - start).c_str());
        start = end == std::string::npos ? text.size() : end + 1;
    }
}
} // namespace

int inspectCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Show the ELF facts and the Go build info of PROGRAM without running it.");
    parser.addHelpOption();
    const QCommandLineOption json("json", "Print the result as JSON.");
    parser.addOption(json);
    parser.addPositionalArgument("program", "The executable to inspect.");
    if (const int status = cli::parse(parser, arguments, "inspect"); status >= 0)
        return status;
    if (parser.positionalArguments().size() != 1) {
        cli::printError("give one program. Usage: exitlens inspect PROGRAM [--json]");
        return 2;
    }
    const auto inspection = BinaryInspection::inspect(parser.positionalArguments().front().toStdString());
    if (parser.isSet(json))
        std::fputs(QJsonDocument(GoJson::inspection(inspection)).toJson(QJsonDocument::Indented).constData(), stdout);
    if (!inspection.readable) {
        cli::printError(QString::fromStdString(inspection.error));
        return 1;
    }
    if (!parser.isSet(json))
        printText(inspection);
    return 0;
}

} // namespace exitlens
