#include "SessionShareDialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <thread>

namespace exitlens {

SessionShareDialog::SessionShareDialog(QString source, QWidget* parent)
    : QDialog(parent)
    , m_source(std::move(source))
{
    setObjectName(QStringLiteral("sessionShareDialog"));
    setWindowTitle(tr("Export for Sharing"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("A copy of <b>%1</b> is written with the values below replaced everywhere in it "
                                "(environment, arguments, paths, output, build information). The session itself is "
                                "not changed.")
                                 .arg(QFileInfo(m_source).fileName().toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_userAndHome = new QCheckBox(tr("Also replace my &user name and home folder"), this);
    m_userAndHome->setObjectName(QStringLiteral("userAndHome"));
    layout->addWidget(m_userAndHome);
    m_items = new QTreeWidget(this);
    m_items->setObjectName(QStringLiteral("redactionItems"));
    m_items->setRootIsDecorated(false);
    m_items->setUniformRowHeights(true);
    m_items->setHeaderLabels({ tr("Replace"), tr("Value"), tr("Occurrences"), tr("Found in") });
    m_items->header()->setStretchLastSection(true);
    m_items->setMinimumSize(640, 220);
    layout->addWidget(m_items, 1);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_notes = new QLabel(this);
    m_notes->setWordWrap(true);
    layout->addWidget(m_notes);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_write = buttons->addButton(tr("&Write Copy…"), QDialogButtonBox::AcceptRole);
    m_write->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_userAndHome, &QCheckBox::toggled, this, &SessionShareDialog::startPreview);
}

QString SessionShareDialog::masked(const std::string& value)
{
    const QString text = QString::fromStdString(value);
    if (text.size() <= 4)
        return QString(text.size(), QChar(0x2022));
    return text.left(3) + QString(std::min<qsizetype>(text.size() - 3, 8), QChar(0x2022))
        + tr(" (%n characters)", nullptr, int(text.size()));
}

bool SessionShareDialog::refreshPreview()
{
    RedactionOptions options;
    options.userAndHome = m_userAndHome->isChecked();
    RedactionPlan plan;
    QString error;
    const bool ok = Redactor::preview(m_source, options, plan, error);
    m_shownGeneration = ++m_generation;
    showPlan(ok, std::move(plan), error);
    return ok;
}

void SessionShareDialog::startPreview()
{
    const quint64 generation = ++m_generation;
    m_items->setEnabled(false);
    m_write->setEnabled(false);
    m_summary->setText(tr("Looking for secrets in the session…"));
    RedactionOptions options;
    options.userAndHome = m_userAndHome->isChecked();
    // Detached: the worker owns copies of what it reads, and its answer is dropped if the dialog
    // has closed or a newer preview was asked for meanwhile. Closing never waits for it.
    std::thread([dialog = QPointer<SessionShareDialog>(this), source = m_source, options, generation] {
        RedactionPlan plan;
        QString error;
        const bool ok = Redactor::preview(source, options, plan, error);
        QMetaObject::invokeMethod(qApp, [dialog, generation, ok, plan = std::move(plan), error]() mutable {
            if (!dialog || generation != dialog->m_generation)
                return;
            dialog->m_shownGeneration = generation;
            dialog->showPlan(ok, std::move(plan), error);
        });
    }).detach();
}

void SessionShareDialog::showPlan(bool ok, RedactionPlan plan, const QString& error)
{
    m_error = error;
    m_items->setEnabled(true);
    if (!ok) {
        m_items->clear();
        m_summary->setText(tr("The session cannot be read: %1").arg(m_error.toHtmlEscaped()));
        m_write->setEnabled(false);
        Q_EMIT previewFinished(false);
        return;
    }
    m_plan = std::move(plan);
    m_items->clear();
    for (std::size_t i = 0; i < m_plan.items.size(); ++i) {
        const RedactionItem& item = m_plan.items[i];
        auto* row = new QTreeWidgetItem(m_items);
        row->setText(0, item.label);
        row->setCheckState(0, item.enabled ? Qt::Checked : Qt::Unchecked);
        row->setText(1, masked(item.value));
        // The full value for its owner only, on demand: never written anywhere.
        row->setToolTip(1, QString::fromStdString(item.value));
        row->setText(2, QLocale().toString(qulonglong(item.occurrences)));
        row->setText(3, item.sources.join(QStringLiteral("; ")));
        row->setData(0, Qt::UserRole, qulonglong(i));
    }
    for (int column = 0; column < 3; ++column)
        m_items->resizeColumnToContents(column);
    m_summary->setText(m_plan.items.empty()
            ? tr("Nothing in this session matched the rules for secrets (names with TOKEN, SECRET, PASSWORD, KEY, "
                 "AUTH, COOKIE, SESSION…, --password=… arguments, passwords in URLs). The copy is marked as made for "
                 "sharing.")
            : tr("%n value(s) will be replaced. Untick one to keep it.", nullptr, int(m_plan.items.size())));
    m_notes->setText(m_plan.notes.join(QLatin1Char('\n')));
    m_notes->setVisible(!m_plan.notes.isEmpty());
    m_write->setEnabled(true);
    Q_EMIT previewFinished(true);
}

RedactionPlan SessionShareDialog::plan() const
{
    RedactionPlan plan = m_plan;
    for (int i = 0; i < m_items->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* row = m_items->topLevelItem(i);
        const auto index = std::size_t(row->data(0, Qt::UserRole).toULongLong());
        if (index < plan.items.size())
            plan.items[index].enabled = row->checkState(0) == Qt::Checked;
    }
    return plan;
}

} // namespace exitlens
