#include "TracebackCommand.h"

#include "CommandLine.h"
#include "go/BinaryInspection.h"
#include "go/GoJson.h"
#include "go/TracebackParser.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <algorithm>
#include <cstdio>

namespace exitlens {

namespace {
constexpr qint64 kMaxInput = 512ll << 20; // a traceback of millions of goroutines still fits
// Distinct stacks listed in --json (goroutines and buckets); the counts always cover all of them.
constexpr int kMaxJsonStacks = 1000;

std::string position(const GoFrame& frame)
{
    std::string text = frame.function;
    if (!frame.file.empty())
        text += "  " + frame.file + ":" + std::to_string(frame.line);
    return text;
}

void printText(const GoTraceback& traceback)
{
    switch (traceback.kind) {
    case GoTraceback::Kind::Panic:
        std::printf("Go panic: %s\n", traceback.reason.c_str());
        for (std::size_t i = 1; i < traceback.panics.size(); ++i)
            std::printf("  then panic: %s\n", traceback.panics[i].message.c_str());
        if (!traceback.panics.empty() && traceback.panics.front().recovered)
            std::printf("  (first recovered, then raised again)\n");
        break;
    case GoTraceback::Kind::FatalError:
        std::printf("Go fatal error: %s\n", traceback.reason.c_str());
        break;
    case GoTraceback::Kind::Signal:
        std::printf("Go signal dump: %s\n", traceback.reason.c_str());
        break;
    case GoTraceback::Kind::None:
        if (traceback.report == GoTraceback::Report::DataRace)
            std::printf("Go race detector report: %s\n", traceback.reason.c_str());
        else if (traceback.report == GoTraceback::Report::HttpPanic)
            std::printf(
                "Go panic recovered and logged by net/http (the program went on): %s\n", traceback.reason.c_str());
        else
            std::printf("Go goroutine dump (no panic or fatal error header)\n");
        break;
    }
    for (const auto& line : traceback.runtimeLines)
        std::printf("  %s\n", line.c_str());
    if (traceback.signal && traceback.kind != GoTraceback::Kind::Signal)
        std::printf("signal: %s (%s) code=%s addr=%s pc=%s\n", traceback.signal->name.c_str(),
            traceback.signal->description.c_str(), traceback.signal->code.c_str(), traceback.signal->address.c_str(),
            traceback.signal->pc.c_str());
    if (traceback.panicking) {
        const GoGoroutine& dying = traceback.goroutines[*traceback.panicking];
        std::printf("goroutine: %lld [%s]%s\n", dying.id, dying.state.c_str(),
            dying.lockedToThread ? ", locked to thread" : "");
    }
    if (const GoFrame* own = traceback.ownFrameFrame())
        std::printf("your code: %s\n", position(*own).c_str());
    else if (traceback.panicking)
        std::printf("your code: no frame of the program's own code in the failing goroutine\n");
    if (traceback.exitStatus)
        std::printf("exit status: %d\n", *traceback.exitStatus);
    if (traceback.truncated)
        std::printf("note: the traceback is cut off\n");
    if (traceback.repeats)
        std::printf(
            "note: %d further dump(s) follow (GOTRACEBACK=crash); summarised from the first\n", traceback.repeats);
    std::printf("\n%zu goroutine(s) in %zu bucket(s):\n", traceback.goroutines.size(), traceback.buckets.size());
    for (const auto& bucket : traceback.buckets) {
        std::printf("%5zu × [%s]\n", bucket.ids.size(), bucket.state.c_str());
        // Beyond the largest buckets the frames are those of the bucket's first goroutine.
        const std::vector<GoFrame>& frames =
            bucket.frames.empty() ? traceback.goroutines[bucket.goroutine].frames : bucket.frames;
        std::size_t shown = 0;
        std::size_t next = 0;
        for (; next < frames.size() && shown < 6; ++next) {
            const GoFrame& frame = frames[next];
            if (frame.isRuntime() && frames.size() > 1)
                continue; // the runtime's own frames say little here; --json has them all
            std::printf("        %s\n", position(frame).c_str());
            ++shown;
        }
        // The frames after the last one shown, those the parser counted but did not keep included.
        if (const std::size_t more = frames.size() - next + bucket.framesOmitted; more > 0 && shown == 6)
            std::printf("        … %zu more frames\n", more);
        if (bucket.createdBy)
            std::printf("        created by %s\n", position(*bucket.createdBy).c_str());
    }
}
} // namespace

int tracebackCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Parse a Go traceback (panic, fatal error, goroutine dump) from FILE or standard input.");
    parser.addHelpOption();
    const QCommandLineOption json("json", "Print the parsed structure as JSON.");
    const QCommandLineOption module("module",
        "The program's own module path (frames in it are 'your code'); default: the first frame outside the Go "
        "runtime and standard library.",
        "PATH");
    const QCommandLineOption binary("binary", "Read the module path from this Go executable's build info.", "PROGRAM");
    const QCommandLineOption noAggressive(
        "no-aggressive", "Keep goroutines whose stacks differ only in argument values in buckets of their own.");
    parser.addOptions({ json, module, binary, noAggressive });
    parser.addPositionalArgument("file", "The file to read; '-' or nothing reads standard input.", "[FILE|-]");
    if (const int status = cli::parse(parser, arguments, "traceback"); status >= 0)
        return status;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        cli::printError("one input at most. Usage: exitlens traceback [FILE|-] [--json]");
        return 2;
    }
    if (parser.isSet(module) && parser.isSet(binary)) {
        cli::printError("--module and --binary cannot be combined");
        return 2;
    }
    std::string ownModule = parser.value(module).toStdString();
    if (parser.isSet(binary)) {
        const auto inspection = BinaryInspection::inspect(parser.value(binary).toStdString());
        if (!inspection.buildInfo) {
            cli::printError(QString::fromStdString(inspection.readable
                    ? (inspection.isGo ? inspection.buildInfoError : inspection.notGoReason)
                    : inspection.error));
            return 1;
        }
        ownModule = inspection.buildInfo->ownModule();
    }

    QFile input;
    const QString path = positional.isEmpty() ? QString("-") : positional.front();
    const bool fromStdin = path == "-";
    if (fromStdin ? !input.open(stdin, QIODevice::ReadOnly)
                  : (input.setFileName(path), !input.open(QIODevice::ReadOnly))) {
        cli::printError("cannot read " + (fromStdin ? QString("standard input") : path) + ": " + input.errorString());
        return 1;
    }
    // A pipe gives what has arrived so far per read: read until its end (or the cap).
    QByteArray bytes;
    if (!input.isSequential())
        bytes.reserve(std::min(input.size(), kMaxInput));
    for (QByteArray chunk; bytes.size() < kMaxInput; bytes += chunk) {
        chunk = input.read(std::min<qint64>(kMaxInput - bytes.size(), 16ll << 20));
        if (chunk.isEmpty())
            break;
    }
    TracebackParser::Options options;
    options.aggressive = !parser.isSet(noAggressive);
    const GoTraceback traceback =
        TracebackParser::parse(std::string_view(bytes.constData(), bytes.size()), ownModule, options);
    bytes = QByteArray(); // the parsed structure holds its own copies: give the input's memory back
    // A header without a goroutine and its frames is not a traceback ("panic: x" in a log).
    const bool found = traceback.found() && traceback.hasStack();
    if (parser.isSet(json)) {
        std::fputs(QJsonDocument(GoJson::traceback(traceback, kMaxJsonStacks, true))
                       .toJson(QJsonDocument::Indented)
                       .constData(),
            stdout);
    } else if (found) {
        printText(traceback);
    }
    if (!found) {
        cli::printError("no Go traceback found in " + (fromStdin ? QString("standard input") : path));
        return 1;
    }
    return 0;
}

} // namespace exitlens
