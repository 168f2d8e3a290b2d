#pragma once

#include "session/Redactor.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace exitlens {

// "Export for Sharing": shows exactly what the redacted copy will replace (each value with where
// it was found and how often it occurs), lets the owner untick an item or add their user name
// and home folder, and hands back the plan. It reads the session file, never writes it; the
// window asks for the preview off the GUI thread (startPreview), since a session of millions of
// events takes seconds to read.
class SessionShareDialog : public QDialog {
    Q_OBJECT
public:
    SessionShareDialog(QString source, QWidget* parent = nullptr);

    // Recomputes the preview from the file with the current options; false with errorString().
    bool refreshPreview();
    // The same in a worker thread: the list and Write wait ("Looking for secrets…") until
    // previewFinished; a newer request (the user-and-home box) supersedes a running one.
    void startPreview();
    bool previewRunning() const { return m_generation != m_shownGeneration; }
    // The plan with the items the owner unticked disabled.
    RedactionPlan plan() const;
    QString errorString() const { return m_error; }

    QTreeWidget* itemList() const { return m_items; }
    QCheckBox* userAndHomeBox() const { return m_userAndHome; }
    QPushButton* writeButton() const { return m_write; }

Q_SIGNALS:
    void previewFinished(bool ok);

private:
    void showPlan(bool ok, RedactionPlan plan, const QString& error);
    // What the preview shows of a secret: enough for its owner to recognise it, not the whole value.
    static QString masked(const std::string& value);

    QString m_source;
    RedactionPlan m_plan;
    QString m_error;
    quint64 m_generation = 0; // of the last preview asked for
    quint64 m_shownGeneration = 0; // of the preview on screen
    QTreeWidget* m_items = nullptr;
    QCheckBox* m_userAndHome = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_notes = nullptr;
    QPushButton* m_write = nullptr;
};

} // namespace exitlens
