// The filter language: valid and invalid expressions with error positions, a fuzz run, evaluation
// on a real capture, and the engine's generations (a newer filter wins).
#include "TestPaths.h"
#include "filter/CompiledFilter.h"
#include "filter/FilterEngine.h"
#include "filter/FilterParser.h"
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
    void engineDeliversOnlyTheLatestGeneration();

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

QTEST_GUILESS_MAIN(FilterTest)
#include "tst_filter.moc"
