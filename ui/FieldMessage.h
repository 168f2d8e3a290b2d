#pragma once

#include "ProgramInfo.h"

#include <QWidget>

class QLabel;

namespace exitlens {

// A validation message shown right under the field it is about: an icon (so it reads without
// colour) and a sentence. Hidden when there is nothing to say.
class FieldMessage : public QWidget {
    Q_OBJECT
public:
    explicit FieldMessage(QWidget* parent = nullptr);

    void setMessage(ProgramInfo::Severity severity, const QString& text);
    void clear();
    QString text() const;
    ProgramInfo::Severity severity() const { return m_severity; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void refresh();

    QLabel* m_icon = nullptr;
    QLabel* m_text = nullptr;
    ProgramInfo::Severity m_severity = ProgramInfo::Severity::Ok;
};

} // namespace exitlens
