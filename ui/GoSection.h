#pragma once

#include "ProgramInfo.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace exitlens {

// The verdict panel's Go section: the program's build info, the panic or fatal error, the
// goroutines grouped into buckets with their frames (the program's own frames emphasised), and
// the raw text the runtime printed. Built on the core's traceback parser.
class GoSection : public QWidget {
    Q_OBJECT
public:
    explicit GoSection(QWidget* parent = nullptr);

    // facts: the launched program's; stderrText: what it wrote to stderr (head and tail).
    void setContent(const ProgramInfo::Facts& facts, const QString& stderrText);
    void clear();
    bool hasContent() const { return m_hasContent; }
    // The runtime's crash text, from its "panic:" / "fatal error:" line on; empty when none.
    QString crashText() const { return m_crashText; }
    QString buildSummary() const { return m_buildSummary; }
    QTreeWidget* frames() const { return m_frames; }
    QString reason() const;

    // Extracts the Go runtime's death message from stderr (public for tests).
    static QString extractCrashText(const QString& stderrText);

Q_SIGNALS:
    void openSourceRequested(const QString& file, int line);

private:
    void onFrameActivated(QTreeWidgetItem* item);
    void fitFrames();

    QLabel* m_build = nullptr;
    QLabel* m_reason = nullptr;
    QLabel* m_where = nullptr;
    QTreeWidget* m_frames = nullptr;
    QToolButton* m_rawToggle = nullptr;
    QPlainTextEdit* m_raw = nullptr;
    QString m_crashText;
    QString m_buildSummary;
    bool m_hasContent = false;
};

} // namespace exitlens
