#pragma once

#include "filter/FilterEngine.h"

#include <QObject>
#include <QTimer>
#include <memory>

class QMenu;

namespace exitlens {

class CaptureData;
class CompiledFilter;
class EventTableModel;
class FilterBar;
class FilterVocabulary;

// Runs the window's display filter: joins the bar's expression with its toggles' clauses into the
// effective expression, scans the capture for it in FilterEngine's worker (a newer filter cancels
// an older one) and gives the model the rows when they arrive; until then the table keeps the
// previous rows. Events arriving during a capture are tested as they arrive, one batch per tick
// (sync()), never one signal per event. Small captures are filtered at once on this thread: it
// costs less than a round trip and the table never flickers. It also counts the runtime noise the
// filter hides and builds the right-click quick filters' expressions.
class FilterController : public QObject {
    Q_OBJECT
public:
    FilterController(EventTableModel* model, FilterBar* bar, QObject* parent = nullptr);
    ~FilterController() override;

    // After model->setCapture(): filters the new capture with the current expression.
    void setCapture(std::shared_ptr<const CaptureData> data);
    // Takes the store's events up to `published` into the table (EventTableModel::syncTo) and
    // tests the new ones for the noise count. Returns the rows added.
    int sync(std::uint64_t published);

    QString effectiveExpression() const;
    quint64 hiddenNoise() const { return m_noiseCount; }
    // The one count of the window, shown in the filter bar and the status bar alike: the rows the
    // table shows, of the events it has taken in (those hidden by Clear not counted).
    quint64 shownCount() const;
    quint64 totalCount() const;
    bool busy() const { return m_mainGeneration != 0; }
    // Filters of up to this many events run on the GUI thread (tests set 0 to force the worker).
    void setSynchronousLimit(quint64 events) { m_synchronousLimit = events; }
    // Every event: no expression, all classes, runtime noise shown (to go to a hidden event).
    void showEverything();

    // Quick filters: each adds a clause to the bar's expression and applies it.
    void addClause(const QString& clause);
    void filterCell(std::uint64_t seq, int column, bool include);
    void onlyFailures();
    void processAndChildren(int pid);
    // Filters to these processes, replacing the clause an earlier call added (empty: removes it).
    void onlyProcesses(const QList<int>& pids);
    // The process tree's selection (0: none), when the bar's "Tree selection" toggle is on.
    void followTreeSelection(int pid);
    // The right-click menu's filter entries for the event seq, clicked in column (-1: none).
    void addQuickFilterActions(QMenu* menu, std::uint64_t seq, int column);

    FilterVocabulary* vocabulary() const { return m_vocabulary.get(); }

Q_SIGNALS:
    // The table got new rows for a new filter (the window refreshes its status bar).
    void rowsReplaced();
    // shownCount() or totalCount() may have changed.
    void countsChanged();

private:
    void apply();
    void onFiltered(quint64 generation, FilterEngine::Rows rows, quint64 scanned);
    void onNoiseFiltered(quint64 generation, FilterEngine::Rows rows, quint64 scanned);
    void updateCounts();
    QString withoutTreeClause() const;
    std::shared_ptr<CompiledFilter> compile(const QString& expression) const;

    EventTableModel* m_model;
    FilterBar* m_bar;
    std::shared_ptr<const CaptureData> m_data;
    FilterEngine m_engine;
    FilterEngine m_noiseEngine;
    std::unique_ptr<FilterVocabulary> m_vocabulary;
    quint64 m_mainGeneration = 0; // the worker's generation the table waits for; 0: none
    quint64 m_noiseGeneration = 0;
    std::shared_ptr<CompiledFilter> m_pendingTail; // the tail test that goes with the awaited rows
    std::shared_ptr<CompiledFilter> m_noiseFilter; // events the filter hides only as noise
    std::uint64_t m_noiseEnd = 0; // noise counted in [0, m_noiseEnd) (or awaited from the worker)
    quint64 m_noiseCount = 0;
    quint64 m_synchronousLimit = 200000;
    QString m_treeClause; // the clause the process tree's selection added last
    QTimer m_busyDelay; // "busy" only for a filter that takes a noticeable time
};

} // namespace exitlens
