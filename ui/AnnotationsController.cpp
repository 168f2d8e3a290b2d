#include "AnnotationsController.h"

#include "EventDetailsPane.h"
#include "EventTableModel.h"
#include "EventTableView.h"
#include "SessionController.h"
#include "VerdictPanel.h"
#include "WindowAction.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

namespace exitlens {

AnnotationsController::AnnotationsController(SessionController* sessions, EventTableView* view,
    EventDetailsPane* details, VerdictPanel* verdict, std::function<bool(std::uint64_t)> goToEvent, QWidget* window)
    : QObject(window)
    , m_sessions(sessions)
    , m_view(view)
    , m_details(details)
    , m_verdict(verdict)
    , m_goToEvent(std::move(goToEvent))
    , m_window(window)
{
    const auto make = [window](const QString& name, const QString& text, const QKeySequence& key, const QString& tip) {
        return newWindowAction(window, name, text, QIcon(), key, tip);
    };
    m_bookmarkAction = make(QStringLiteral("bookmark"), tr("Toggle &Bookmark"), QKeySequence(Qt::CTRL | Qt::Key_B),
        tr("Bookmark the selected event, or remove its bookmark"));
    m_nextBookmarkAction = make(
        QStringLiteral("nextBookmark"), tr("Ne&xt Bookmark"), QKeySequence(Qt::Key_F2), tr("Select the next bookmark"));
    m_previousBookmarkAction = make(QStringLiteral("previousBookmark"), tr("Pre&vious Bookmark"),
        QKeySequence(Qt::SHIFT | Qt::Key_F2), tr("Select the previous bookmark"));
    m_noteAction = make(QStringLiteral("note"), tr("&Note on Event…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M),
        tr("Write a note on the selected event; it is saved in the session"));
    m_verdictNoteAction = make(QStringLiteral("verdictNote"), tr("Note on the &Verdict…"), QKeySequence(),
        tr("Write a note on the verdict; it is saved in the session"));

    connect(m_bookmarkAction, &QAction::triggered, this, &AnnotationsController::toggleBookmark);
    connect(m_nextBookmarkAction, &QAction::triggered, this, [this] { goToBookmark(false); });
    connect(m_previousBookmarkAction, &QAction::triggered, this, [this] { goToBookmark(true); });
    connect(m_noteAction, &QAction::triggered, this, [this] {
        const int row = m_view->currentRow();
        if (row >= 0)
            editNote(m_view->model()->seqAt(row));
    });
    connect(m_verdictNoteAction, &QAction::triggered, this, [this] { editNote(std::nullopt); });
    connect(m_sessions, &SessionController::notesChanged, this, &AnnotationsController::refresh);
    setState(false, false);
}

void AnnotationsController::setState(bool haveCapture, bool finished)
{
    m_haveCapture = haveCapture;
    m_bookmarkAction->setEnabled(haveCapture);
    m_noteAction->setEnabled(haveCapture);
    m_verdictNoteAction->setEnabled(finished);
}

void AnnotationsController::toggleBookmark()
{
    const int row = m_view->currentRow();
    if (!m_haveCapture || row < 0)
        return;
    QString error;
    if (!m_sessions->toggleBookmark(m_view->model()->seqAt(row), error))
        Q_EMIT errorReported(tr("Bookmark"), error);
}

bool AnnotationsController::goToBookmark(bool backward)
{
    const std::vector<quint64> marks = m_sessions->bookmarks();
    if (!m_haveCapture || marks.empty()) {
        Q_EMIT statusMessage(tr("No bookmarks: Ctrl+B bookmarks the selected event"), 4000);
        return false;
    }
    const int row = m_view->currentRow();
    quint64 target = backward ? marks.back() : marks.front(); // wrap around
    if (row >= 0) {
        const quint64 current = m_view->model()->seqAt(row);
        if (backward) {
            const auto it = std::lower_bound(marks.begin(), marks.end(), current);
            if (it != marks.begin())
                target = *std::prev(it);
        } else {
            const auto it = std::upper_bound(marks.begin(), marks.end(), current);
            if (it != marks.end())
                target = *it;
        }
    }
    return m_goToEvent(target);
}

bool AnnotationsController::setNote(std::optional<std::uint64_t> seq, const QString& text)
{
    QString error;
    if (!m_sessions->setNote(seq, text, error)) {
        Q_EMIT errorReported(tr("Note"), error);
        return false;
    }
    return true;
}

QDialog* AnnotationsController::editNote(std::optional<std::uint64_t> seq)
{
    if (!m_haveCapture)
        return nullptr;
    auto* dialog = new QDialog(m_window);
    dialog->setObjectName(QStringLiteral("noteDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(seq ? tr("Note on event %1").arg(*seq) : tr("Note on the verdict"));
    auto* layout = new QVBoxLayout(dialog);
    // Where the note will be seen: an event's in its details, the verdict's under the verdict.
    auto* label = new QLabel(seq ? tr("Saved in the session file and shown in this event's details. Empty "
                                      "removes it. Ctrl+Enter saves.")
                                 : tr("Saved in the session file and shown under the verdict. Empty removes it. "
                                      "Ctrl+Enter saves."),
        dialog);
    label->setWordWrap(true);
    layout->addWidget(label);
    auto* text = new QPlainTextEdit(dialog);
    text->setObjectName(QStringLiteral("noteText"));
    text->setPlainText(m_sessions->noteText(seq));
    layout->addWidget(text);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, dialog);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    // The text field takes Enter for new lines; Ctrl+Enter confirms, as in most note fields (the
    // text field would take it as a new line too, before any shortcut: see eventFilter).
    text->installEventFilter(this);
    connect(dialog, &QDialog::accepted, this, [this, seq, text] { setNote(seq, text->toPlainText()); });
    dialog->resize(460, 240);
    dialog->open();
    text->setFocus();
    return dialog;
}

bool AnnotationsController::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && (key->modifiers() & Qt::ControlModifier)) {
            if (auto* dialog = qobject_cast<QDialog*>(static_cast<QWidget*>(watched)->window())) {
                dialog->accept();
                return true;
            }
        }
    }
    return QObject::eventFilter(watched, event);
}

void AnnotationsController::refresh()
{
    const std::vector<quint64> marks = m_sessions->bookmarks();
    m_view->model()->setBookmarks(std::vector<std::uint64_t>(marks.begin(), marks.end()));
    m_view->viewport()->update();
    m_verdict->setNote(m_sessions->noteText(std::nullopt));
    updateDetails();
}

void AnnotationsController::updateDetails()
{
    const std::optional<std::uint64_t> seq = m_details->event();
    m_details->setAnnotation(seq && m_sessions->isBookmarked(*seq), seq ? m_sessions->noteText(*seq) : QString());
}

} // namespace exitlens
