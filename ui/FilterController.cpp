#include "FilterController.h"

#include "EventTableModel.h"
#include "FilterBar.h"
#include "FilterClauses.h"
#include "FilterVocabulary.h"
#include "Icons.h"
#include "filter/CompiledFilter.h"
#include "filter/FilterParser.h"
#include "model/CaptureData.h"

#include <QMenu>
#include <algorithm>

namespace exitlens {

namespace {
constexpr int kBusyDelayMs = 150; // below this a filter feels instant: no busy state flashes

// A menu entry shows the clause it adds, cut to a readable length.
QString elided(const QString& clause)
{
    QString text = clause.size() > 60 ? clause.left(57) + QStringLiteral("…") : clause;
    return text.replace(QLatin1Char('&'), QStringLiteral("&&")); // not a mnemonic
}

EventTableModel::RowPredicate predicateFor(const std::shared_ptr<CompiledFilter>& filter)
{
    if (!filter)
        return {};
    return [filter](std::uint64_t seq, const Event&) { return filter->matches(seq); };
}
} // namespace

FilterController::FilterController(EventTableModel* model, FilterBar* bar, QObject* parent)
    : QObject(parent)
    , m_model(model)
    , m_bar(bar)
    , m_vocabulary(std::make_unique<FilterVocabulary>())
{
    m_busyDelay.setSingleShot(true);
    m_busyDelay.setInterval(kBusyDelayMs);
    connect(&m_busyDelay, &QTimer::timeout, this, [this] { m_bar->setBusy(busy()); });
    connect(&m_engine, &FilterEngine::filtered, this, &FilterController::onFiltered);
    connect(&m_noiseEngine, &FilterEngine::filtered, this, &FilterController::onNoiseFiltered);
    connect(m_bar, &FilterBar::expressionApplied, this, &FilterController::apply);
    connect(m_bar, &FilterBar::togglesChanged, this, &FilterController::apply);
    m_bar->setValueSource([this](const QString& field) { return m_vocabulary->values(field); });
    // Clear (hideBefore) resets the model without a filter: the counts follow it all the same.
    connect(m_model, &QAbstractItemModel::modelReset, this, &FilterController::updateCounts);
    updateCounts();
}

FilterController::~FilterController() = default;

void FilterController::setCapture(std::shared_ptr<const CaptureData> data)
{
    m_data = std::move(data);
    m_vocabulary->setCapture(m_data);
    if (!m_treeClause.isEmpty()) {
        // Another capture's pids mean nothing here: the tree's clause goes with its capture.
        const QSignalBlocker block(m_bar);
        m_bar->setExpression(withoutTreeClause(), true);
        m_treeClause.clear();
    }
    apply();
}

QString FilterController::effectiveExpression() const
{
    return FilterClauses::conjoin(QStringList { m_bar->appliedExpression() } + m_bar->toggleClauses());
}

std::shared_ptr<CompiledFilter> FilterController::compile(const QString& expression) const
{
    const QByteArray utf8 = expression.toUtf8();
    FilterParseResult parsed = FilterParser::parse(std::string_view(utf8.constData(), std::size_t(utf8.size())));
    if (!parsed.valid() || !m_data)
        return nullptr;
    return std::make_shared<CompiledFilter>(std::move(parsed.root), m_data);
}

void FilterController::apply()
{
    m_mainGeneration = 0; // whatever the worker still delivers for an older filter is dropped
    m_noiseGeneration = 0;
    m_pendingTail.reset();
    m_noiseFilter.reset();
    m_noiseCount = 0;
    m_noiseEnd = 0;
    if (!m_data) {
        m_bar->setBusy(false);
        updateCounts();
        return;
    }
    const std::uint64_t first = m_model->firstShownSeq();
    const std::uint64_t known = m_model->knownEvents();
    const bool synchronous = known - std::min(first, known) <= m_synchronousLimit;

    // What the noise switch hides: events the rest of the filter would show but that are noise.
    if (m_bar->hidesNoise()) {
        QStringList clauses { QStringLiteral("noise"), m_bar->appliedExpression() };
        for (const QString& clause : m_bar->toggleClauses()) {
            if (clause != QLatin1String("not noise"))
                clauses << clause;
        }
        const QString noise = FilterClauses::conjoin(clauses);
        m_noiseFilter = compile(noise);
        if (m_noiseFilter && synchronous) {
            std::vector<std::uint64_t> rows;
            m_noiseFilter->scan(first, known, rows);
            m_noiseCount = rows.size();
            m_noiseEnd = known;
        } else if (m_noiseFilter) {
            m_noiseEnd = ~std::uint64_t(0); // counted when the worker answers
            m_noiseGeneration = m_noiseEngine.apply(m_data, noise);
        }
    }

    const QString expression = effectiveExpression();
    std::shared_ptr<CompiledFilter> filter = expression.isEmpty() ? nullptr : compile(expression);
    if (!filter) {
        m_model->setRowPredicate({}); // everything: no index to build
    } else if (synchronous) {
        std::vector<std::uint64_t> rows;
        filter->scan(first, known, rows);
        m_model->setFilteredRows(rows, known, predicateFor(filter));
    } else {
        m_pendingTail = filter;
        m_mainGeneration = m_engine.apply(m_data, expression);
        if (m_mainGeneration != 0) {
            m_busyDelay.start();
            updateCounts();
            return; // the table keeps its rows until the worker answers
        }
        m_model->setRowPredicate({});
    }
    m_busyDelay.stop();
    m_bar->setBusy(false);
    updateCounts();
    Q_EMIT rowsReplaced();
}

void FilterController::onFiltered(quint64 generation, FilterEngine::Rows rows, quint64 scanned)
{
    if (generation == 0 || generation != m_mainGeneration || !rows)
        return;
    m_mainGeneration = 0;
    m_model->setFilteredRows(*rows, scanned, predicateFor(m_pendingTail));
    m_pendingTail.reset();
    m_busyDelay.stop();
    m_bar->setBusy(false);
    updateCounts();
    Q_EMIT rowsReplaced();
}

void FilterController::onNoiseFiltered(quint64 generation, FilterEngine::Rows rows, quint64 scanned)
{
    if (generation == 0 || generation != m_noiseGeneration || !rows || !m_noiseFilter)
        return;
    m_noiseGeneration = 0;
    const std::uint64_t first = m_model->firstShownSeq();
    const std::uint64_t known = m_model->knownEvents();
    const std::uint64_t upTo = std::min<std::uint64_t>(scanned, known);
    m_noiseCount = std::uint64_t(
        std::lower_bound(rows->begin(), rows->end(), upTo) - std::lower_bound(rows->begin(), rows->end(), first));
    // The events that came in while the worker ran are counted here, like any new batch.
    std::vector<std::uint64_t> tail;
    if (upTo < known)
        m_noiseFilter->scan(std::max(upTo, first), known, tail);
    m_noiseCount += tail.size();
    m_noiseEnd = known;
    updateCounts();
}

int FilterController::sync(std::uint64_t published)
{
    const std::uint64_t before = m_model->knownEvents();
    if (m_model->capture() && published > before + m_synchronousLimit && !effectiveExpression().isEmpty()) {
        // A large jump (a session just loaded, live updates resumed): testing it here would block
        // the window, so the table takes the events unfiltered at once and the worker filters them.
        m_model->setRowPredicate({});
        const int added = m_model->syncTo(published);
        apply();
        return added;
    }
    const int added = m_model->syncTo(published);
    const std::uint64_t known = m_model->knownEvents();
    if (m_noiseFilter && m_noiseGeneration == 0 && m_noiseEnd < known) {
        std::vector<std::uint64_t> rows;
        m_noiseFilter->scan(m_noiseEnd, known, rows);
        m_noiseCount += rows.size();
        m_noiseEnd = known;
    }
    updateCounts();
    return added;
}

quint64 FilterController::shownCount() const
{
    return m_model->visibleEvents();
}

quint64 FilterController::totalCount() const
{
    const std::uint64_t known = m_model->knownEvents();
    return known - std::min(m_model->firstShownSeq(), known);
}

void FilterController::updateCounts()
{
    m_bar->setCounts(shownCount(), totalCount(), !effectiveExpression().isEmpty());
    m_bar->setHiddenNoise(m_noiseCount);
    Q_EMIT countsChanged();
}

void FilterController::showEverything()
{
    const QSignalBlocker block(m_bar);
    m_bar->setExpression(QString(), true);
    m_bar->showAllClasses();
    m_bar->setHideNoise(false);
    apply();
}

void FilterController::addClause(const QString& clause)
{
    if (clause.isEmpty())
        return;
    m_bar->setExpression(FilterClauses::conjoin({ m_bar->appliedExpression(), clause }), true);
}

void FilterController::filterCell(std::uint64_t seq, int column, bool include)
{
    if (m_data)
        addClause(FilterClauses::cellClause(*m_data, seq, column, include));
}

void FilterController::onlyFailures()
{
    addClause(QStringLiteral("failed"));
}

void FilterController::processAndChildren(int pid)
{
    if (m_data)
        addClause(FilterClauses::pidClause(FilterClauses::processAndDescendants(*m_data, pid)));
}

void FilterController::addQuickFilterActions(QMenu* menu, std::uint64_t seq, int column)
{
    if (!m_data || seq >= m_data->events().size())
        return;
    const QString include = FilterClauses::cellClause(*m_data, seq, column, true);
    const QString exclude = FilterClauses::cellClause(*m_data, seq, column, false);
    QAction* in = menu->addAction(Icons::icon(IconId::Filter),
        include.isEmpty() ? tr("&Include This Value") : tr("&Include: %1").arg(elided(include)), this,
        [this, seq, column] { filterCell(seq, column, true); });
    QAction* out =
        menu->addAction(exclude.isEmpty() ? tr("E&xclude This Value") : tr("E&xclude: %1").arg(elided(exclude)), this,
            [this, seq, column] { filterCell(seq, column, false); });
    in->setEnabled(!include.isEmpty());
    out->setEnabled(!exclude.isEmpty());
    menu->addAction(tr("Only &Failures"), this, &FilterController::onlyFailures);
    const int pid = m_data->events().at(seq).pid;
    menu->addAction(tr("This Process and Its &Children"), this, [this, pid] { processAndChildren(pid); });
}

void FilterController::onlyProcesses(const QList<int>& pids)
{
    // A new selection in the tree replaces the clause the previous one added; none removes it.
    const QString expression = withoutTreeClause();
    m_treeClause = FilterClauses::pidClause(pids);
    m_bar->setExpression(FilterClauses::conjoin({ expression, m_treeClause }), true);
}

QString FilterController::withoutTreeClause() const
{
    QString expression = m_bar->appliedExpression();
    if (!m_treeClause.isEmpty()) {
        const QString suffix = QStringLiteral(" and ") + m_treeClause;
        if (expression == m_treeClause)
            expression.clear();
        else if (expression.endsWith(suffix))
            expression.chop(suffix.size());
    }
    return expression;
}

void FilterController::followTreeSelection(int pid)
{
    if (m_bar->treeSelectionAction()->isChecked())
        onlyProcesses(pid > 0 ? QList<int> { pid } : QList<int>());
}

} // namespace exitlens
