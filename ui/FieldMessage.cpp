#include "FieldMessage.h"

#include "Icons.h"
#include "Theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>

namespace exitlens {

FieldMessage::FieldMessage(QWidget* parent)
    : QWidget(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    m_icon->setFixedSize(16, 16);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_text, 1);
    hide();
}

void FieldMessage::setMessage(ProgramInfo::Severity severity, const QString& text)
{
    m_severity = severity;
    m_text->setText(text);
    setVisible(!text.isEmpty());
    refresh();
}

void FieldMessage::clear()
{
    setMessage(ProgramInfo::Severity::Ok, QString());
}

QString FieldMessage::text() const
{
    return m_text->text();
}

void FieldMessage::refresh()
{
    IconId icon = IconId::Ok;
    QColor color = palette().color(QPalette::WindowText);
    switch (m_severity) {
    case ProgramInfo::Severity::Error:
        icon = IconId::Error;
        color = Theme::failureText(palette());
        break;
    case ProgramInfo::Severity::Warning:
        icon = IconId::Warning;
        color = Theme::warningText(palette());
        break;
    case ProgramInfo::Severity::Ok:
        icon = IconId::Info;
        color = Theme::mutedText(palette());
        break;
    }
    m_icon->setPixmap(Icons::pixmap(icon, 16, devicePixelRatioF()));
    QPalette textPalette = m_text->palette();
    textPalette.setColor(QPalette::WindowText, color);
    m_text->setPalette(textPalette);
}

void FieldMessage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        refresh();
}

} // namespace exitlens
