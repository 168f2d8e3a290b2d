// The verdict panel shows the program's own source line behind a verdict (from the Go stack of
// the exit, or from a traceback) as a link that asks the window to open it. Real captures of real
// programs, real widgets under the offscreen platform.
#include "TestPaths.h"
#include "diagnosis/Verdict.h"
#include "integration/TraceRun.h"
#include "ui/VerdictPanel.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace exitlens;
using exitlens::test::TraceRun;

class VerdictPanelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sourceLinkOfASilentExit()
    {
        const TraceRun run = TraceRun::run(TraceRun::fixture("diag", { "silent-nested-exit" }));
        const Verdict verdict = describeExit(*run.data, run.summary);
        QCOMPARE(verdict.category, std::string("os_exit"));
        VerdictPanel panel;
        panel.resize(900, 700);
        panel.show();
        panel.setVerdict(verdict, *run.data, run.summary);
        const int line =
            exitlens::test::programLine(QStringLiteral("diag.go"), QStringLiteral("// silent-nested-exit"));
        QVERIFY(panel.sourceLink()->isVisible());
        QVERIFY2(panel.sourceLink()->text().contains("diag.go:" + QString::number(line)),
            qPrintable(panel.sourceLink()->text()));
        QVERIFY(panel.sourceLink()->text().contains("main.(*service).shutdown"));
        QVERIFY(panel.headlineText().contains("os.Exit(5) was called from main.(*service).shutdown"));
        QSignalSpy open(&panel, &VerdictPanel::openSourceRequested);
        Q_EMIT panel.sourceLink()->linkActivated("source");
        QCOMPARE(open.size(), 1);
        QVERIFY(open.front().at(0).toString().endsWith("/tests/programs/diag.go"));
        QCOMPARE(open.front().at(1).toInt(), line);
    }

    void noSourceLinkWithoutOne()
    {
        const TraceRun run = TraceRun::run(TraceRun::fixture("exit_normal"));
        VerdictPanel panel;
        panel.show();
        panel.setVerdict(describeExit(*run.data, run.summary), *run.data, run.summary);
        QVERIFY(!panel.sourceLink()->isVisible());
    }
};

QTEST_MAIN(VerdictPanelTest)
#include "tst_gui_verdict.moc"
