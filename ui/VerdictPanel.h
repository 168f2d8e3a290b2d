#pragma once

#include "VerdictMarkdown.h"
#include "diagnosis/Verdict.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QGroupBox;
class QScrollArea;

namespace exitlens {

class CaptureData;
class GoSection;
struct TraceSummary;

// Why the program exited: the headline in large type, the category as a badge, the explanation,
// the evidence (click an item to select its event in the table), what to do, failed child
// processes, and the Go section. "Copy as Markdown" puts it all on the clipboard for a bug report.
class VerdictPanel : public QWidget {
    Q_OBJECT
public:
    explicit VerdictPanel(QWidget* parent = nullptr);

    // No capture yet.
    void clear();
    // A capture is running: the verdict comes when it ends.
    void showRunning(const QString& program);
    // What is known so far, while the program runs.
    struct LiveState {
        QString program;
        qint64 elapsedMs = 0;
        int processes = 0;
        int runningProcesses = 0;
        std::uint64_t events = 0;
        std::uint64_t failures = 0;
        QString lastFailure; // "newfstatat /srv/queue/pending.json → ENOENT"
        std::uint64_t lastFailureSeq = 0;
        QString lastStderr; // the last line written to stderr
    };
    void updateRunning(const LiveState& state);
    // Shows a verdict; data is the finished capture it is about.
    void setVerdict(const Verdict& verdict, const CaptureData& capture, const TraceSummary& summary);

    bool hasVerdict() const { return m_hasVerdict; }
    // The user's note on the verdict, under the explanation (empty hides it).
    void setNote(const QString& text);
    QString noteText() const;
    const Verdict& verdict() const { return m_verdict; }
    QString markdown() const;
    QString headlineText() const;
    QListWidget* evidenceList() const { return m_evidence; }
    GoSection* goSection() const { return m_go; }
    QPushButton* copyButton() const { return m_copy; }
    // "Source: diag.go:82 in main.(*service).shutdown": the program's own line behind the
    // verdict (the facts file/line or location); a click asks to open it (openSourceRequested).
    QLabel* sourceLink() const { return m_source; }

Q_SIGNALS:
    void evidenceActivated(quint64 seq);
    void openSourceRequested(const QString& file, int line);

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void applyBadgeStyle();
    void fitEvidenceList();

    QScrollArea* m_scroll = nullptr;
    QLabel* m_state = nullptr;
    QLabel* m_headline = nullptr;
    QLabel* m_badge = nullptr;
    QLabel* m_confidence = nullptr;
    QLabel* m_explanation = nullptr;
    QLabel* m_note = nullptr;
    QLabel* m_source = nullptr;
    QString m_sourceFile;
    int m_sourceLine = 0;
    QLabel* m_evidenceTitle = nullptr;
    QListWidget* m_evidence = nullptr;
    QLabel* m_suggestionsTitle = nullptr;
    QLabel* m_suggestions = nullptr;
    QLabel* m_childrenTitle = nullptr;
    QLabel* m_children = nullptr;
    QGroupBox* m_goBox = nullptr;
    GoSection* m_go = nullptr;
    QPushButton* m_copy = nullptr;
    Verdict m_verdict;
    VerdictMarkdown::Context m_context;
    bool m_hasVerdict = false;
};

} // namespace exitlens
