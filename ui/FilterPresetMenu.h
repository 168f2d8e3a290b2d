#pragma once

#include <QMenu>
#include <functional>
#include <vector>

namespace exitlens {

class FilterBar;

// Edit → Filter Presets: named filter expressions. "Save Current Filter…" stores the bar's
// expression under a name in the settings (every session sees it) and, when the window shows a
// session file nobody is writing, in that file's `filters` table too (it travels with the session).
// The menu lists both, rebuilt each time it opens; choosing one applies it in the bar. Delete
// Preset lists the settings' presets (a session's copy stays with the session) and asks first.
class FilterPresetMenu : public QMenu {
    Q_OBJECT
public:
    struct Preset {
        QString name;
        QString expression;
        bool inSession = false;
    };
    // sessionPath: the session file presets may be written to now ("" when none, or while the
    // capture's writer still owns it).
    FilterPresetMenu(FilterBar* bar, std::function<QString()> sessionPath, QWidget* parent = nullptr);

    // Settings presets by name (a name saved again replaces its expression).
    static std::vector<Preset> settingsPresets();
    static void removeFromSettings(const QString& name);

    // The presets the menu offers now: the session's, then the settings' not already listed.
    std::vector<Preset> presets() const;
    // Saves expression under name in the settings and, when possible, in the session. Returns
    // false with a message when the name or expression is empty or invalid, or the session refused
    // (the settings copy is kept).
    bool savePreset(const QString& name, const QString& expression, QString& error);
    void applyPreset(const Preset& preset);
    // Removes the settings preset without asking (Delete Preset asks, then calls this).
    void deletePreset(const QString& name);

private:
    void rebuild();
    void askAndSave();
    void askAndDelete(const QString& name);

    FilterBar* m_bar;
    std::function<QString()> m_sessionPath;
    QMenu* m_deleteMenu = nullptr;
};

} // namespace exitlens
