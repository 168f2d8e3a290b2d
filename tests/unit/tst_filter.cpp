// The filter language: valid and invalid expressions with error positions, a fuzz run, evaluation
// on a real capture, and the engine's generations (a newer filter wins). Hostile text (issue 19):
// nesting past the bound is refused with its position, long expressions stay shallow, and
// `matches` is RE2 (no pattern hangs; back-references and lookaround are refused by name).
#include "TestPaths.h"
#include "filter/CompiledFilter.h"
#include "filter/FilterEngine.h"
#include "filter/FilterParser.h"
#include "filter/FilterRules.h"
#include "filter/RuntimeNoise.h"
#include "integration/TraceRun.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <random>

using namespace exitlens;
using exitlens::test::TraceRun;

Q_DECLARE_METATYPE(FilterParseResult::State)

class FilterTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void parse_data();
    void parse();
    void fuzzNeverCrashes();
    void evaluatesOnARealCapture_data();
    void evaluatesOnARealCapture();
    void captureFilterDropsBeforeNumbering();
    void engineDeliversOnlyTheLatestGeneration();
    void blockScanAgreesWithAPlainEvaluator();
    void errorsAreShownWithACaret();
    void rulesAndExpressionsRoundTrip();
    void runtimeNoiseIsHousekeepingOnly();
    void deepNestingIsRefusedWithItsPosition();
    void longExpressionsStayShallow();
    void catastrophicRegexFinishes();
    void unsupportedRegexSyntaxIsNamed_data();
    void unsupportedRegexSyntaxIsNamed();
    void quotedPatternsKeepTheirBackslashes();

private:
    QTemporaryDir m_dir;
    TraceRun m_run;
};

void FilterTest::initTestCase()
{
    LaunchSpec spec = TraceRun::fixture("missing_file");
    spec.workingDirectory = m_dir.path().toStdString();
    m_run = TraceRun::run(spec);
    QCOMPARE(m_run.summary.rootStatus.code, 1);
}

void FilterTest::parse_data()
{
    using S = FilterParseResult::State;
    QTest::addColumn<QString>("text");
    QTest::addColumn<S>("state");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("error");

    QTest::newRow("empty") << "" << S::Empty << 0 << "";
    QTest::newRow("blank") << "   " << S::Empty << 0 << "";
    QTest::newRow("typical") << R"(class == file and failed and path contains "conf")" << S::Valid << 0 << "";
    QTest::newRow("or/not/parens") << "not (op == openat or op == stat) && pid != 1" << S::Valid << 0 << "";
    QTest::newRow("in list") << "errno in (ENOENT, EACCES)" << S::Valid << 0 << "";
    QTest::newRow("duration") << "duration >= 5ms" << S::Valid << 0 << "";
    QTest::newRow("regex") << "path matches '\\.json$'" << S::Valid << 0 << "";
    QTest::newRow("bare boolean") << "failed" << S::Valid << 0 << "";
    QTest::newRow("typo in field") << "pathh == x" << S::Invalid << 0 << "unknown field 'pathh' — did you mean 'path'?";
    QTest::newRow("still typing a field") << "class == file and pa" << S::Incomplete << 18 << "unknown field 'pa'";
    QTest::newRow("still typing the value") << "path == " << S::Incomplete << 8 << "expected a value";
    QTest::newRow("open string") << "path == \"/etc" << S::Incomplete << 8 << "unterminated string";
    QTest::newRow("missing paren") << "(pid == 1" << S::Incomplete << 9 << "missing ')'";
    QTest::newRow("extra paren") << "pid == 1)" << S::Invalid << 8 << "unbalanced ')'";
    QTest::newRow("bad number") << "pid > abc" << S::Invalid << 6 << "'abc' is not a number";
    QTest::newRow("bad duration") << "duration > 5parsecs" << S::Invalid << 11 << "is not a duration";
    QTest::newRow("bad class") << "class == fil" << S::Invalid << 9 << "unknown class 'fil'";
    QTest::newRow("bad regex") << "path matches '('" << S::Invalid << 13 << "invalid regular expression";
    QTest::newRow("regex classes") << R"(path matches '^/etc/\w+\.d/\d{2,}-[a-z]+\.conf$')" << S::Valid << 0 << "";
    QTest::newRow("regex too large") << "path matches '((a{100}){100}){100}'" << S::Invalid << 13
                                     << "invalid regular expression";
    QTest::newRow("nesting at the bound") << QString(256, '(') + "failed" + QString(256, ')') << S::Valid << 0 << "";
    QTest::newRow("nesting past the bound")
        << QString(257, '(') + "failed" + QString(257, ')') << S::Invalid << 256 << "nested too deeply";
    QTest::newRow("not past the bound") << QString(257, '!') + "failed" << S::Invalid << 256 << "more than 256 levels";
    QTest::newRow("order on text") << "path < x" << S::Invalid << 7 << "is text";
    QTest::newRow("no operator") << "path x" << S::Invalid << 5 << "expected an operator";
}

void FilterTest::parse()
{
    QFETCH(QString, text);
    QFETCH(FilterParseResult::State, state);
    QFETCH(int, position);
    QFETCH(QString, error);
    const FilterParseResult result = FilterParser::parse(text.toStdString());
    QVERIFY2(result.state == state, result.error.c_str());
    if (state == FilterParseResult::State::Invalid || state == FilterParseResult::State::Incomplete) {
        QCOMPARE(static_cast<int>(result.errorPosition), position);
        QVERIFY2(QString::fromStdString(result.error).contains(error), result.error.c_str());
    }
    QCOMPARE(result.root != nullptr, state == FilterParseResult::State::Valid);
}

void FilterTest::fuzzNeverCrashes()
{
    // Random sequences of the language's own pieces, and random bytes: every result is one of
    // the four states, with an error position inside the text.
    const std::vector<std::string> pieces = { "path", "pid", "==", "!=", "<", "contains", "in", "(", ")", ",", "and",
        "or", "not", "\"x", "'y'", "ENOENT", "5ms", "matches", "[", "\\", "failed", "class", "file", "&&", "!", "" };
    std::mt19937 random(12345);
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        const int count = static_cast<int>(random() % 9);
        for (int i = 0; i < count; ++i) {
            if (random() % 10 == 0)
                text += static_cast<char>(random() % 256);
            else
                text += pieces[random() % pieces.size()];
            text += random() % 3 ? " " : "";
        }
        const FilterParseResult result = FilterParser::parse(text);
        QVERIFY(result.errorPosition <= text.size());
        QVERIFY(result.valid() == (result.root != nullptr));
    }
}

void FilterTest::evaluatesOnARealCapture_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<int>("expected"); // -1: at least one
    QTest::newRow("the failing open") << "class == file and failed and path endswith \"config.json\"" << 1;
    QTest::newRow("by errno") << "errno == ENOENT and path contains config" << 1;
    QTest::newRow("errno list") << "errno in (EACCES, ENOENT) and op == openat and path endswith config.json" << 1;
    QTest::newRow("regex") << "path matches 'config\\.json$'" << 1;
    QTest::newRow("process name") << "process == missing_file and kind == process_exit" << 1;
    QTest::newRow("stderr output") << "stream == stderr" << 1;
    QTest::newRow("nothing") << "path == /no/such/path" << 0;
    QTest::newRow("negation") << "not failed" << -1;
}

void FilterTest::evaluatesOnARealCapture()
{
    QFETCH(QString, expression);
    QFETCH(int, expected);
    FilterParseResult parsed = FilterParser::parse(expression.toStdString());
    QVERIFY2(parsed.valid(), parsed.error.c_str());
    CompiledFilter filter(std::move(parsed.root), m_run.data);
    std::vector<std::uint64_t> rows;
    filter.scan(0, m_run.data->events().size(), rows);
    if (expected < 0)
        QVERIFY(!rows.empty());
    else
        QCOMPARE(static_cast<int>(rows.size()), expected);
    // The same answer event by event (the cache must not change results).
    std::size_t matched = 0;
    for (std::uint64_t seq = 0; seq < m_run.data->events().size(); ++seq)
        matched += filter.matches(seq) ? 1 : 0;
    QCOMPARE(matched, rows.size());
    // And for a copy of each event outside the store (the capture filter's path, matchesEvent).
    FilterParseResult again = FilterParser::parse(expression.toStdString());
    CompiledFilter single(std::move(again.root), m_run.data);
    for (std::uint64_t seq = 0; seq < m_run.data->events().size(); ++seq) {
        const Event copy = m_run.data->events().at(seq);
        QCOMPARE(single.matchesEvent(copy, seq), filter.matches(seq));
    }
}

// The capture filter on a real run: the tracer offers each syscall/signal event to the sink before
// numbering it; only matches are stored (with seqs that still tile the store), lifecycle events
// always are, and the rest is counted. `process` needs the process table while it is built.
void FilterTest::captureFilterDropsBeforeNumbering()
{
    const std::string expression = "process == missing_file and class == file";
    LaunchSpec spec = TraceRun::fixture("missing_file");
    spec.workingDirectory = m_dir.path().toStdString();
    spec.captureFilter = expression;
    auto data = std::make_shared<CaptureData>(spec);
    FilterParseResult parsed = FilterParser::parse(expression);
    QVERIFY(parsed.valid());
    data->setCaptureFilter(std::move(parsed.root));
    auto tracer = createPlatformTracer();
    const TraceSummary summary = tracer->run(data->spec(), *data);
    QCOMPARE(summary.rootStatus.code, 1);
    QVERIFY(summary.filteredOut > 0);
    QCOMPARE(summary.events, data->events().size());

    FilterParseResult check = FilterParser::parse(expression);
    CompiledFilter filter(std::move(check.root), data);
    bool sawConfig = false;
    bool sawExit = false;
    for (std::uint64_t seq = 0; seq < data->events().size(); ++seq) {
        const Event& event = data->events().at(seq);
        if (event.kind == EventKind::Syscall || event.kind == EventKind::Output || event.kind == EventKind::Signal) {
            QVERIFY2(filter.matches(seq), qPrintable(QString::number(seq)));
            sawConfig |= data->text(event.path).ends_with("/config.json");
        }
        sawExit |= event.kind == EventKind::ProcessExit;
    }
    QVERIFY(sawConfig);
    QVERIFY(sawExit);
    // The unfiltered run of the same program stored more syscall events than this one.
    const auto all = m_run.find([](const Event& e) { return e.kind == EventKind::Syscall; });
    std::size_t kept = 0;
    for (std::uint64_t seq = 0; seq < data->events().size(); ++seq)
        kept += data->events().at(seq).kind == EventKind::Syscall ? 1 : 0;
    QVERIFY(kept < all.size());
    // The process table is whole: the root process ended with its code.
    const auto processes = data->processes().snapshot();
    QVERIFY(!processes.empty());
    QCOMPARE(processes.front().status.code, 1);
}

void FilterTest::engineDeliversOnlyTheLatestGeneration()
{
    FilterEngine engine;
    QSignalSpy filtered(&engine, &FilterEngine::filtered);
    QSignalSpy invalid(&engine, &FilterEngine::invalid);
    QCOMPARE(engine.apply(m_run.data, "pathh == x"), quint64(0));
    QCOMPARE(invalid.size(), 1);
    const quint64 first = engine.apply(m_run.data, "not failed");
    const quint64 second = engine.apply(m_run.data, "failed and path endswith config.json");
    QVERIFY(second > first);
    QTRY_VERIFY(!filtered.isEmpty());
    QTest::qWait(100);
    // Whatever the first scan did, only the latest generation is delivered last.
    const auto last = filtered.last();
    QCOMPARE(last.at(0).toULongLong(), second);
    QCOMPARE(last.at(1).value<FilterEngine::Rows>()->size(), std::size_t(1));
}

namespace {
// A store shaped like a busy capture, crossing several 65,536-event chunks, for comparing the
// compiled filter's block evaluation with a plain one written here from the language's rules.
std::shared_ptr<CaptureData> syntheticCapture(std::uint64_t count)
{
    LaunchSpec spec;
    spec.program = "synthetic";
    auto data = std::make_shared<CaptureData>(spec);
    std::mt19937 random(3);
    std::vector<StringId> ops;
    for (const char* op : { "openat", "close", "kill", "write", "connect" })
        ops.push_back(data->intern(op));
    std::vector<StringId> paths;
    for (int i = 0; i < 300; ++i)
        paths.push_back(data->intern((i % 3 ? "/etc/Conf/" : "/srv/") + std::to_string(i)));
    std::vector<Event> batch(1000);
    for (std::uint64_t done = 0; done < count; done += batch.size()) {
        for (auto& e : batch) {
            e.kind = static_cast<EventKind>(random() % 9);
            e.cls = static_cast<EventClass>(random() % kEventClassCount);
            e.op = ops[random() % ops.size()];
            e.path = paths[random() % paths.size()];
            e.pid = 100 + static_cast<int>(random() % 5);
            e.flags = random() % 5 == 0 ? EventFlag::Failed : 0;
            e.errnum = e.failed() ? (random() % 2 ? ENOENT : EACCES) : 0;
        }
        data->append(batch);
    }
    return data;
}

struct PlainFilter {
    std::string text;
    std::function<bool(const CaptureData&, std::uint64_t)> test;
};
} // namespace

void FilterTest::blockScanAgreesWithAPlainEvaluator()
{
    const std::uint64_t count = 300'000;
    const auto data = syntheticCapture(count);
    auto ev = [](const CaptureData& d, std::uint64_t seq) -> const Event& { return d.events().at(seq); };
    auto text = [](const CaptureData& d, StringId id) { return std::string(d.text(id)); };
    const std::vector<PlainFilter> atoms = {
        { "class == file", [&](const CaptureData& d, std::uint64_t s) { return ev(d, s).cls == EventClass::File; } },
        { "failed", [&](const CaptureData& d, std::uint64_t s) { return ev(d, s).failed(); } },
        { "ok", [&](const CaptureData& d, std::uint64_t s) { return !ev(d, s).failed(); } },
        { "path contains conf", // case-insensitive
            [&](const CaptureData& d, std::uint64_t s) {
                return text(d, ev(d, s).path).find("Conf") != std::string::npos;
            } },
        { "op == kill", [&](const CaptureData& d, std::uint64_t s) { return text(d, ev(d, s).op) == "kill"; } },
        { "op != close", [&](const CaptureData& d, std::uint64_t s) { return text(d, ev(d, s).op) != "close"; } },
        { "pid > 102", [&](const CaptureData& d, std::uint64_t s) { return ev(d, s).pid > 102; } },
        { "pid in (100, 103)",
            [&](const CaptureData& d, std::uint64_t s) { return ev(d, s).pid == 100 || ev(d, s).pid == 103; } },
        { "errno == ENOENT",
            [&](const CaptureData& d, std::uint64_t s) { return ev(d, s).failed() && ev(d, s).errnum == ENOENT; } },
        { "seq < 131073", [&](const CaptureData&, std::uint64_t s) { return s < 131073; } },
        { "kind == syscall",
            [&](const CaptureData& d, std::uint64_t s) { return ev(d, s).kind == EventKind::Syscall; } },
    };
    std::mt19937 random(5);
    // Random trees of and/or/not over the atoms, with the plain evaluation built alongside.
    std::function<PlainFilter(int)> generate = [&](int depth) -> PlainFilter {
        const auto choice = depth > 3 ? 0 : random() % 4;
        if (choice == 0)
            return atoms[random() % atoms.size()];
        PlainFilter a = generate(depth + 1);
        if (choice == 1)
            return { "not " + a.text, [a](const CaptureData& d, std::uint64_t s) { return !a.test(d, s); } };
        PlainFilter b = generate(depth + 1);
        if (choice == 2)
            return { "(" + a.text + " or " + b.text + ")",
                [a, b](const CaptureData& d, std::uint64_t s) { return a.test(d, s) || b.test(d, s); } };
        PlainFilter c = generate(depth + 1);
        return { "(" + a.text + " and " + b.text + " and " + c.text + ")",
            [a, b, c](const CaptureData& d, std::uint64_t s) { return a.test(d, s) && b.test(d, s) && c.test(d, s); } };
    };
    for (int round = 0; round < 60; ++round) {
        const PlainFilter plain =
            round < static_cast<int>(atoms.size()) ? atoms[static_cast<std::size_t>(round)] : generate(0);
        std::vector<std::uint64_t> expected;
        for (std::uint64_t seq = 0; seq < count; ++seq) {
            if (plain.test(*data, seq))
                expected.push_back(seq);
        }
        FilterParseResult parsed = FilterParser::parse(plain.text);
        QVERIFY2(parsed.valid(), plain.text.c_str());
        CompiledFilter filter(std::move(parsed.root), data);
        std::vector<std::uint64_t> rows;
        filter.scan(0, count, rows);
        QVERIFY2(rows == expected, plain.text.c_str());
        // A range that starts and ends inside chunks and blocks.
        std::vector<std::uint64_t> middle;
        filter.scan(70'001, 200'003, middle);
        std::vector<std::uint64_t> expectedMiddle;
        std::copy_if(expected.begin(), expected.end(), std::back_inserter(expectedMiddle),
            [](std::uint64_t seq) { return seq >= 70'001 && seq < 200'003; });
        QVERIFY2(middle == expectedMiddle, plain.text.c_str());
        // Split over threads, as FilterEngine does with a large store.
        std::vector<std::uint64_t> parallel;
        QVERIFY(filter.scanParallel(0, count, parallel, 3));
        QVERIFY2(parallel == expected, plain.text.c_str());
        // Row by row, as the window tests live rows.
        for (std::uint64_t seq = 0; seq < count; seq += 97)
            QVERIFY2(filter.matches(seq) == plain.test(*data, seq), plain.text.c_str());
    }
    // A cancelled scan says so.
    FilterParseResult parsed = FilterParser::parse("failed");
    CompiledFilter filter(std::move(parsed.root), data);
    std::vector<std::uint64_t> rows;
    QVERIFY(!filter.scanParallel(0, count, rows, 2, [] { return true; }));
}

void FilterTest::errorsAreShownWithACaret()
{
    const std::string text = "failed and pathh == x";
    const FilterParseResult invalid = FilterParser::parse(text);
    QCOMPARE(invalid.state, FilterParseResult::State::Invalid);
    QCOMPARE(QString::fromStdString(FilterParser::describeError(text, invalid)),
        QString::fromUtf8("unknown field 'pathh' — did you mean 'path'?\n  failed and pathh == x\n             ^^^^^"));
    const std::string unfinished = "path ==";
    const FilterParseResult incomplete = FilterParser::parse(unfinished);
    QCOMPARE(incomplete.state, FilterParseResult::State::Incomplete);
    QVERIFY(FilterParser::describeError(unfinished, incomplete).starts_with("incomplete filter: expected a value"));
    // The caret counts characters, not bytes, before the error.
    const std::string accented = "path == \"é\" and bogus == 1";
    const FilterParseResult wide = FilterParser::parse(accented);
    const std::string message = FilterParser::describeError(accented, wide);
    QVERIFY2(message.ends_with("\n                  ^^^^^"), message.c_str());
}

void FilterTest::rulesAndExpressionsRoundTrip()
{
    // Rules → expression, Process Monitor's way: includes on one field are alternatives, fields
    // must all hold, excludes remove; disabled rules do not count.
    std::vector<FilterRule> rules = {
        { "path", "contains", "conf", true, true },
        { "class", "==", "file", true, true },
        { "path", "endswith", ".json", true, true },
        { "op", "==", "close", false, true },
        { "pid", "==", "7", true, false },
        { "detail", "contains", "say \"hi\" and \\ more", true, true },
        { "process", "==", "and", true, true },
    };
    const std::string expression = FilterRules::toExpression(rules);
    QCOMPARE(QString::fromStdString(expression),
        QString::fromStdString("(path contains conf or path endswith .json) and class == file and detail contains "
                               "\"say \\\"hi\\\" and \\\\ more\" and process == \"and\" and not op == close"));
    QVERIFY2(FilterParser::parse(expression).valid(), expression.c_str());
    // ... and back: the enabled rules, grouped, with the values exactly as typed.
    const auto back = FilterRules::fromExpression(expression);
    QVERIFY(back.has_value());
    QCOMPARE(back->size(), std::size_t(6));
    QCOMPARE((*back)[3].value, std::string("say \"hi\" and \\ more"));
    QCOMPARE((*back)[5].include, false);
    QCOMPARE(FilterRules::toExpression(*back), expression);
    // not (a or b) reads as two excludes.
    const auto excludes = FilterRules::fromExpression("not (op == close or errno == EBADF)");
    QVERIFY(excludes && excludes->size() == 2 && !(*excludes)[0].include && !(*excludes)[1].include);
    // Shapes rules cannot express stay whole.
    for (const char* other : { "failed or pid == 3", "path contains a and path contains b", "not (failed and ok)",
             "not not failed", "pathh == x" }) {
        QVERIFY2(!FilterRules::fromExpression(other).has_value(), other);
        const auto raw = FilterRules::fromExpressionOrRaw(other);
        QVERIFY(raw.size() == 1 && raw[0].raw() && raw[0].value == other);
        QCOMPARE(FilterRules::toExpression(raw), "(" + std::string(other) + ")");
    }
    QVERIFY(FilterRules::fromExpression("  ")->empty());
    QCOMPARE(FilterRules::relationsFor("failed"), std::vector<std::string> { "is" });
    QVERIFY(FilterRules::relationsFor("nosuchfield").empty());
}

QTEST_GUILESS_MAIN(FilterTest)
// `noise` (docs/filters.md): what the window hides by default. It must catch the runtime's own
// housekeeping and never a call that failed or a signal someone else sent.
void FilterTest::runtimeNoiseIsHousekeepingOnly()
{
    for (const char* text : { "noise", "not noise", "noise and failed", "class == file and not noise" })
        QVERIFY2(FilterParser::parse(text).valid(), text);
    QCOMPARE(FilterParser::parse("nois").state, FilterParseResult::State::Incomplete);

    Event preempt;
    preempt.kind = EventKind::Signal;
    preempt.cls = EventClass::Signal;
    preempt.flags = EventFlag::RuntimeNoise; // SIGURG from the program itself, as the tracer marks it
    QVERIFY(isRuntimeNoise(preempt, "SIGURG", ""));
    Event fromOutside = preempt;
    fromOutside.flags = 0; // a SIGURG another process sent is not housekeeping
    QVERIFY(!isRuntimeNoise(fromOutside, "SIGURG", "sender pid 42 (SI_USER)"));

    Event futex;
    futex.kind = EventKind::Syscall;
    futex.cls = EventClass::Runtime;
    QVERIFY(isRuntimeNoise(futex, "futex", ""));

    Event mask;
    mask.kind = EventKind::Syscall;
    mask.cls = EventClass::Signal;
    QVERIFY(isRuntimeNoise(mask, "rt_sigprocmask", ""));
    QVERIFY(isRuntimeNoise(mask, "tgkill", "pid 7, tid 9, SIGURG"));
    QVERIFY(!isRuntimeNoise(mask, "tgkill", "pid 7, tid 9, SIGTERM"));
    QVERIFY(!isRuntimeNoise(mask, "kill", "pid 7, SIGURG"));
    QVERIFY(!isRuntimeNoise(mask, "rt_sigaction", "SIGTERM"));
    Event failed = mask;
    failed.flags = EventFlag::Failed;
    failed.errnum = 22;
    QVERIFY(!isRuntimeNoise(failed, "rt_sigprocmask", ""));

    Event open;
    open.kind = EventKind::Syscall;
    open.cls = EventClass::File;
    QVERIFY(!isRuntimeNoise(open, "openat", "/etc/app.conf"));
}

namespace {
// Every event of the capture that `test` accepts, by a plain loop.
std::vector<std::uint64_t> plainly(const CaptureData& data, const std::function<bool(const Event&)>& test)
{
    std::vector<std::uint64_t> rows;
    for (std::uint64_t seq = 0; seq < data.events().size(); ++seq) {
        if (test(data.events().at(seq)))
            rows.push_back(seq);
    }
    return rows;
}

std::vector<std::uint64_t> scanned(const std::string& expression, const std::shared_ptr<const CaptureData>& data)
{
    FilterParseResult parsed = FilterParser::parse(expression);
    if (!parsed.valid())
        qFatal("not valid: %s", parsed.error.c_str());
    CompiledFilter filter(std::move(parsed.root), data);
    std::vector<std::uint64_t> rows;
    filter.scan(0, data->events().size(), rows);
    return rows;
}
} // namespace

// `!` 30,000 times, `(` 30,000 deep: each level used to recurse in the parser until the stack
// overflowed (SIGSEGV in the filter bar, export --filter, run --capture-filter). Past
// FilterParser::kMaxNesting the parser stops with the position of the first level too many; at the
// bound, the expression parses, compiles and evaluates like its plain form.
void FilterTest::deepNestingIsRefusedWithItsPosition()
{
    const std::size_t bound = FilterParser::kMaxNesting;
    const std::vector<std::pair<std::string, std::size_t>> hostile = {
        { std::string(30'000, '!') + "failed", bound },
        { std::string(30'000, '(') + "failed" + std::string(30'000, ')'), bound },
        { std::string(30'000, '('), bound }, // still "typing", but no stack survives it either
        { "pid > 1 and " + std::string(15'000, '(') + "failed", 12 + bound },
    };
    std::string words;
    for (int i = 0; i < 30'000; ++i)
        words += "not ";
    const std::vector<std::pair<std::string, std::size_t>> more = { { words + "failed", 4 * bound } };
    for (const auto& [text, position] : hostile) {
        const FilterParseResult result = FilterParser::parse(text);
        QCOMPARE(result.state, FilterParseResult::State::Invalid);
        QCOMPARE(result.errorPosition, position);
        QVERIFY2(
            result.error.find("nested too deeply: more than 256 levels") != std::string::npos, result.error.c_str());
        // The terminal's message names the column and shows only the text around it.
        const std::string message = FilterParser::describeError(text, result);
        QVERIFY2(
            message.find("(at character " + std::to_string(position + 1) + " of " + std::to_string(text.size()) + ")")
                != std::string::npos,
            message.c_str());
        QVERIFY2(message.size() < 400, message.c_str());
        const std::size_t caret = message.rfind('^');
        const std::size_t lineStart = message.rfind('\n', caret);
        const std::size_t shownStart = message.rfind('\n', lineStart - 1);
        // The caret stands under the first character past the bound in the shown excerpt.
        const std::string shown = message.substr(shownStart + 1, lineStart - shownStart - 1);
        const std::size_t column = caret - lineStart - 1;
        QVERIFY2(shown.size() > column, message.c_str());
    }
    for (const auto& [text, position] : more) {
        const FilterParseResult result = FilterParser::parse(text);
        QCOMPARE(result.state, FilterParseResult::State::Invalid);
        QCOMPARE(result.errorPosition, position);
    }
    // At the bound the filter works: 256 `not`s are no `not`, 256 parentheses are none.
    const auto failed = plainly(*m_run.data, [](const Event& e) { return e.failed(); });
    QVERIFY(!failed.empty());
    QCOMPARE(scanned(std::string(bound, '!') + "failed", m_run.data), failed);
    QCOMPARE(scanned(std::string(bound, '(') + "failed" + std::string(bound, ')'), m_run.data), failed);
    QCOMPARE(scanned(std::string(bound - 1, '!') + "ok", m_run.data), failed);
    // The engine (the filter bar's path) reports it as invalid, with the position.
    FilterEngine engine;
    QSignalSpy invalid(&engine, &FilterEngine::invalid);
    QCOMPARE(engine.apply(m_run.data, QString(30'000, '!') + "failed"), quint64(0));
    QCOMPARE(invalid.size(), 1);
    QVERIFY(invalid.front().at(0).toString().contains("nested too deeply"));
    QCOMPARE(invalid.front().at(1).toInt(), 256);
}

// A generated expression of tens of thousands of alternatives or conjuncts is flat (one `or`
// node with all of them), so compiling, evaluating and freeing it never recurse through the
// chain, and per-thread scan buffers exist only for and/or/not nodes.
void FilterTest::longExpressionsStayShallow()
{
    const int terms = 100'000;
    std::string alternatives = "path == /no/such/0";
    std::string conjuncts = "pid != 0";
    for (int i = 1; i < terms; ++i) {
        alternatives += " or path == /no/such/" + std::to_string(i);
        conjuncts += " and pid != " + std::to_string(-i);
    }
    alternatives += " or failed";
    const FilterParseResult orChain = FilterParser::parse(alternatives);
    QVERIFY(orChain.valid());
    QCOMPARE(orChain.root->type, FilterNode::Type::Or);
    QCOMPARE(orChain.root->children.size(), std::size_t(terms + 1));
    const FilterParseResult andChain = FilterParser::parse(conjuncts);
    QVERIFY(andChain.valid());
    QCOMPARE(andChain.root->type, FilterNode::Type::And);
    QCOMPARE(andChain.root->children.size(), std::size_t(terms));
    // `a or (b or c)` keeps its parentheses' node; `a and b or c` is still or(and(a, b), c).
    const FilterParseResult mixed = FilterParser::parse("failed and pid > 1 and ok or pid == 2 or (pid == 3 or ok)");
    QVERIFY(mixed.valid());
    QCOMPARE(mixed.root->type, FilterNode::Type::Or);
    QCOMPARE(mixed.root->children.size(), std::size_t(3));
    QCOMPARE(mixed.root->children[0]->type, FilterNode::Type::And);
    QCOMPARE(mixed.root->children[0]->children.size(), std::size_t(3));
    QCOMPARE(mixed.root->children[2]->type, FilterNode::Type::Or);

    const auto failed = plainly(*m_run.data, [](const Event& e) { return e.failed(); });
    QCOMPARE(scanned(alternatives, m_run.data), failed);
    QCOMPARE(scanned(conjuncts, m_run.data).size(), std::size_t(m_run.data->events().size()));
    // The parallel scan and the row-by-row test agree on the long `or`.
    FilterParseResult again = FilterParser::parse(alternatives);
    CompiledFilter filter(std::move(again.root), m_run.data);
    std::vector<std::uint64_t> rows;
    QVERIFY(filter.scanParallel(0, m_run.data->events().size(), rows, 2));
    QCOMPARE(rows, failed);
    for (const std::uint64_t seq : failed)
        QVERIFY(filter.matches(seq));
}

// `(a+)+$` over a long run of a's that does not end the text: a backtracking engine (std::regex)
// tries exponentially many splits and never finishes, or overflows its recursion on a long path.
// RE2 answers in time linear in the text, in scans, row tests and capture filters alike.
void FilterTest::catastrophicRegexFinishes()
{
    LaunchSpec spec;
    spec.program = "synthetic";
    auto data = std::make_shared<CaptureData>(spec);
    const std::string hostile = "/tmp/" + std::string(100'000, 'a') + "!";
    const std::string plain = "/tmp/" + std::string(40, 'A');
    std::vector<Event> events(4);
    for (std::size_t i = 0; i < events.size(); ++i) {
        events[i].kind = EventKind::Syscall;
        events[i].cls = EventClass::File;
        events[i].op = data->intern("openat");
        events[i].path = data->intern(i % 2 == 0 ? hostile : plain);
    }
    data->append(events);
    for (const char* pattern : { "(a+)+$", "(a|aa)+$", "(a*)*b", "^(([a-z])+.)+[A-Z]([a-z])+$" }) {
        const std::string expression = std::string("path matches '") + pattern + "'";
        const auto rows = scanned(expression, data);
        // Case-insensitive, as every text comparison: the plain path of A's ends in a's.
        const std::vector<std::uint64_t> expected =
            std::string_view(pattern).starts_with("(a") && std::string_view(pattern).ends_with("$")
            ? std::vector<std::uint64_t> { 1, 3 }
            : std::vector<std::uint64_t> {};
        QVERIFY2(rows == expected, expression.c_str());
        FilterParseResult parsed = FilterParser::parse(expression);
        CompiledFilter filter(std::move(parsed.root), data);
        QCOMPARE(filter.matchesEvent(events[0], 0), false);
        QCOMPARE(filter.matches(1), !expected.empty());
    }
    // A path the pattern does match, in a long text.
    QCOMPARE(scanned("path matches 'a{1000}!$'", data), (std::vector<std::uint64_t> { 0, 2 }));
}

void FilterTest::unsupportedRegexSyntaxIsNamed_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("message");
    QTest::newRow("back-reference") << R"(path matches '(a)\1')"
                                    << R"(back-references (\1) are not supported)";
    QTest::newRow("named back-reference") << R"(path matches '(?P<x>a)\k<x>')"
                                          << "back-references";
    QTest::newRow("lookahead") << "path matches 'conf(?=\\.d)'"
                               << "lookaround ((?=...) is not supported";
    QTest::newRow("negative lookahead") << "path matches 'conf(?!\\.d)'"
                                        << "lookaround ((?!...) is not supported";
    QTest::newRow("lookbehind") << "path matches '(?<=/etc/)conf'"
                                << "lookaround ((?<=...) is not supported";
    QTest::newRow("negative lookbehind") << "path matches '(?<!x)conf'"
                                         << "lookaround ((?<!...) is not supported";
}

// A saved preset or a typed filter that uses what RE2 does not support is refused with a message
// that names the construct (the filter bar, presets and the CLI all show the parser's message).
void FilterTest::unsupportedRegexSyntaxIsNamed()
{
    QFETCH(QString, expression);
    QFETCH(QString, message);
    const std::string text = expression.toStdString();
    const FilterParseResult result = FilterParser::parse(text);
    QCOMPARE(result.state, FilterParseResult::State::Invalid);
    QCOMPARE(result.errorPosition, std::size_t(13));
    QVERIFY2(QString::fromStdString(result.error).contains(message), result.error.c_str());
    QVERIFY2(QString::fromStdString(result.error).contains("RE2 syntax"), result.error.c_str());
    QVERIFY(!FilterRules::fromExpression(text).has_value());
    FilterEngine engine;
    QSignalSpy invalid(&engine, &FilterEngine::invalid);
    QCOMPARE(engine.apply(m_run.data, expression), quint64(0));
    QCOMPARE(invalid.size(), 1);
}

// In a quoted value a backslash escapes only a quote or a backslash; before anything else it stays,
// so a quoted pattern is the pattern as typed ('conf\.d' is not 'conf.d', '\d' is not 'd').
void FilterTest::quotedPatternsKeepTheirBackslashes()
{
    LaunchSpec spec;
    spec.program = "synthetic";
    auto data = std::make_shared<CaptureData>(spec);
    std::vector<Event> events(3);
    const char* paths[] = { "/etc/conf.d/10", "/etc/confxd/ab", "/etc/say \"hi\" \\ there" };
    for (std::size_t i = 0; i < events.size(); ++i) {
        events[i].kind = EventKind::Syscall;
        events[i].path = data->intern(paths[i]);
    }
    data->append(events);
    QCOMPARE(scanned("path matches 'conf\\.d/\\d+$'", data), (std::vector<std::uint64_t> { 0 }));
    QCOMPARE(scanned("path matches \"conf\\.d\"", data), (std::vector<std::uint64_t> { 0 }));
    QCOMPARE(scanned("path matches conf\\.d", data), (std::vector<std::uint64_t> { 0 }));
    QCOMPARE(scanned("path contains \"\\\"hi\\\" \\\\ t\"", data), (std::vector<std::uint64_t> { 2 }));
    QCOMPARE(scanned("path matches 'say \"hi\" \\\\\\\\ there$'", data), (std::vector<std::uint64_t> { 2 }));
    const FilterParseResult parsed = FilterParser::parse("path matches '\\w\\'\\\\\\\\'");
    QVERIFY(parsed.valid());
    QCOMPARE(parsed.root->values.front(), std::string("\\w'\\\\"));
}

#include "tst_filter.moc"
