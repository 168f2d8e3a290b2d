#include "FilterRulesDialog.h"

#include "filter/FilterParser.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace exitlens {

FilterRulesDialog::FilterRulesDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Filter Rules"));
    setObjectName(QStringLiteral("filterRulesDialog"));
    m_tabs = new QTabWidget(this);
    m_filter = new FilterRuleTable(FilterRuleTable::Mode::Filter, m_tabs);
    m_filter->setObjectName(QStringLiteral("filterRules"));
    m_highlight = new FilterRuleTable(FilterRuleTable::Mode::Highlight, m_tabs);
    m_highlight->setObjectName(QStringLiteral("highlightRules"));
    m_tabs->addTab(m_filter, tr("&Filter"));
    m_tabs->addTab(m_highlight, tr("&Highlight"));

    m_expression = new QLineEdit(this);
    m_expression->setObjectName(QStringLiteral("rulesExpression"));
    m_expression->setReadOnly(true);
    m_expression->setToolTip(tr("The filter expression these rules make; the filter bar shows it once applied"));
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("rulesState"));
    m_state->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Apply | QDialogButtonBox::Reset, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_apply = buttons->button(QDialogButtonBox::Apply);
    buttons->button(QDialogButtonBox::Reset)->setToolTip(tr("Remove every filter rule"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(new QLabel(tr("Expression:"), this));
    layout->addWidget(m_expression);
    layout->addWidget(m_state);
    layout->addWidget(buttons);

    connect(m_filter, &FilterRuleTable::rowsChanged, this, &FilterRulesDialog::refreshExpression);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        Q_EMIT applied();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_apply, &QPushButton::clicked, this, &FilterRulesDialog::applied);
    connect(buttons->button(QDialogButtonBox::Reset), &QPushButton::clicked, this, [this] { m_filter->setRows({}); });
    resize(760, 460);
    refreshExpression();
}

void FilterRulesDialog::setExpression(const QString& expression)
{
    std::vector<FilterRuleTable::Row> rows;
    for (const auto& rule : FilterRules::fromExpressionOrRaw(expression.toStdString()))
        rows.push_back({ rule, QColor() });
    m_filter->setRows(rows);
}

QString FilterRulesDialog::expression() const
{
    std::vector<FilterRule> rules;
    for (const auto& row : m_filter->rows())
        rules.push_back(row.rule);
    return QString::fromStdString(FilterRules::toExpression(rules));
}

void FilterRulesDialog::setHighlights(const std::vector<FilterRuleTable::Row>& rows)
{
    m_highlight->setRows(rows);
}

std::vector<FilterRuleTable::Row> FilterRulesDialog::highlights() const
{
    return m_highlight->rows();
}

std::vector<std::pair<QString, QColor>> FilterRulesDialog::highlightExpressions() const
{
    return highlightExpressions(m_highlight->rows());
}

std::vector<std::pair<QString, QColor>> FilterRulesDialog::highlightExpressions(
    const std::vector<FilterRuleTable::Row>& rows)
{
    std::vector<std::pair<QString, QColor>> out;
    for (const auto& row : rows) {
        if (!row.rule.enabled || (row.rule.raw() && row.rule.value.empty()))
            continue;
        const std::string expression = FilterRules::comparison(row.rule);
        if (FilterParser::parse(expression).valid())
            out.push_back({ QString::fromStdString(expression), row.color });
    }
    return out;
}

void FilterRulesDialog::refreshExpression()
{
    const QString text = expression();
    m_expression->setText(text);
    const std::string utf8 = text.toStdString();
    const FilterParseResult parsed = FilterParser::parse(utf8);
    const bool ok = parsed.state == FilterParseResult::State::Empty || parsed.valid();
    m_error = ok ? QString() : QString::fromStdString(parsed.error);
    m_state->setText(parsed.state == FilterParseResult::State::Empty ? tr("No rules: every event is shown.")
            : ok                                                     ? tr("Valid.")
                                                                     : tr("Not valid: %1").arg(m_error));
    m_ok->setEnabled(ok);
    m_apply->setEnabled(ok);
}

} // namespace exitlens
