#include "FilterPresetMenu.h"

#include "FilterBar.h"
#include "filter/FilterParser.h"
#include "session/SessionFile.h"

#include <QAction>
#include <QInputDialog>
#include <QMessageBox>
#include <QSettings>
#include <algorithm>

namespace exitlens {

namespace {
const QString kSettingsKey = QStringLiteral("filter/presets");
} // namespace

FilterPresetMenu::FilterPresetMenu(FilterBar* bar, std::function<QString()> sessionPath, QWidget* parent)
    : QMenu(tr("Filter &Presets"), parent)
    , m_bar(bar)
    , m_sessionPath(std::move(sessionPath))
{
    setObjectName(QStringLiteral("presetMenu"));
    connect(this, &QMenu::aboutToShow, this, &FilterPresetMenu::rebuild);
    rebuild();
}

std::vector<FilterPresetMenu::Preset> FilterPresetMenu::settingsPresets()
{
    std::vector<Preset> presets;
    QSettings settings;
    const int count = settings.beginReadArray(kSettingsKey);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        Preset preset;
        preset.name = settings.value(QStringLiteral("name")).toString();
        preset.expression = settings.value(QStringLiteral("expression")).toString();
        if (!preset.name.isEmpty())
            presets.push_back(preset);
    }
    settings.endArray();
    return presets;
}

namespace {
void writeSettingsPresets(const std::vector<FilterPresetMenu::Preset>& presets)
{
    QSettings settings;
    settings.remove(kSettingsKey);
    settings.beginWriteArray(kSettingsKey, static_cast<int>(presets.size()));
    for (int i = 0; i < static_cast<int>(presets.size()); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("name"), presets[static_cast<std::size_t>(i)].name);
        settings.setValue(QStringLiteral("expression"), presets[static_cast<std::size_t>(i)].expression);
    }
    settings.endArray();
}
} // namespace

void FilterPresetMenu::removeFromSettings(const QString& name)
{
    auto presets = settingsPresets();
    std::erase_if(presets, [&](const Preset& preset) { return preset.name == name; });
    writeSettingsPresets(presets);
}

std::vector<FilterPresetMenu::Preset> FilterPresetMenu::presets() const
{
    std::vector<Preset> all;
    const QString path = m_sessionPath ? m_sessionPath() : QString();
    if (!path.isEmpty()) {
        SessionFile file;
        QString error;
        if (file.open(path, error)) {
            for (const auto& saved : file.filters(error))
                all.push_back({ saved.name, saved.expression, true });
        }
    }
    for (const auto& preset : settingsPresets()) {
        const bool listed = std::any_of(all.begin(), all.end(),
            [&](const Preset& other) { return other.name == preset.name && other.expression == preset.expression; });
        if (!listed)
            all.push_back(preset);
    }
    return all;
}

bool FilterPresetMenu::savePreset(const QString& name, const QString& expression, QString& error)
{
    const QString trimmedName = name.trimmed();
    if (trimmedName.isEmpty()) {
        error = tr("Give the preset a name.");
        return false;
    }
    const std::string text = expression.toStdString();
    if (!FilterParser::parse(text).valid()) {
        error = tr("Only a valid, non-empty filter can be saved: %1")
                    .arg(QString::fromStdString(FilterParser::describeError(text, FilterParser::parse(text))));
        return false;
    }
    auto presets = settingsPresets();
    auto existing =
        std::find_if(presets.begin(), presets.end(), [&](const Preset& preset) { return preset.name == trimmedName; });
    if (existing != presets.end())
        existing->expression = expression;
    else
        presets.push_back({ trimmedName, expression, false });
    writeSettingsPresets(presets);

    const QString path = m_sessionPath ? m_sessionPath() : QString();
    if (path.isEmpty())
        return true;
    SessionFile file;
    SavedFilter saved;
    saved.name = trimmedName;
    saved.expression = expression;
    saved.created = QDateTime::currentDateTimeUtc();
    if (!file.open(path, error) || file.saveFilter(saved, error) == 0) {
        error = tr("Saved in the settings, but not in the session: %1").arg(error);
        return false;
    }
    return true;
}

void FilterPresetMenu::applyPreset(const Preset& preset)
{
    m_bar->setExpression(preset.expression, true);
}

void FilterPresetMenu::rebuild()
{
    clear();
    delete m_deleteMenu; // a submenu is a child widget: clear() removes only its action
    m_deleteMenu = nullptr;
    QAction* save = addAction(tr("&Save Current Filter as Preset…"));
    save->setObjectName(QStringLiteral("savePreset"));
    connect(save, &QAction::triggered, this, &FilterPresetMenu::askAndSave);
    const auto all = presets();
    if (!all.empty())
        addSeparator();
    for (const auto& preset : all) {
        QAction* action = addAction(preset.inSession ? tr("%1 (session)").arg(preset.name) : preset.name);
        action->setToolTip(preset.expression);
        action->setStatusTip(preset.expression);
        connect(action, &QAction::triggered, this, [this, preset] { applyPreset(preset); });
    }
    const auto saved = settingsPresets();
    if (saved.empty())
        return;
    addSeparator();
    m_deleteMenu = addMenu(tr("&Delete Preset"));
    m_deleteMenu->setObjectName(QStringLiteral("deletePresetMenu"));
    for (const auto& preset : saved) {
        QAction* action = m_deleteMenu->addAction(preset.name);
        action->setStatusTip(tr("Remove the preset %1 from the settings").arg(preset.name));
        connect(action, &QAction::triggered, this, [this, name = preset.name] { askAndDelete(name); });
    }
}

void FilterPresetMenu::deletePreset(const QString& name)
{
    removeFromSettings(name);
}

void FilterPresetMenu::askAndDelete(const QString& name)
{
    const auto answer = QMessageBox::question(parentWidget(), tr("Delete Filter Preset"),
        tr("Delete the preset \"%1\"? A copy saved in a session stays in that session.").arg(name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        deletePreset(name);
}

void FilterPresetMenu::askAndSave()
{
    const QString expression = m_bar->expression();
    bool ok = false;
    const QString name = QInputDialog::getText(parentWidget(), tr("Save Filter Preset"),
        tr("Name for the filter\n%1").arg(expression), QLineEdit::Normal, QString(), &ok);
    if (!ok)
        return;
    QString error;
    if (!savePreset(name, expression, error))
        QMessageBox::warning(parentWidget(), tr("Save Filter Preset"), error);
}

} // namespace exitlens
