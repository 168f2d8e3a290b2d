#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace exitlens {

enum class ThemeMode { System, Light, Dark };

// The window's palettes and the semantic colours every view shares. Colours are chosen per
// palette (light or dark) so failures stay readable on both; they always come with an icon or a
// text marker as well, because colour alone fails colour-blind users.
class Theme {
public:
    // Applies a palette to the application. System keeps the platform's palette and style.
    static void apply(ThemeMode mode);
    static ThemeMode mode();
    static QString modeName(ThemeMode mode); // "system", "light", "dark" (stored in QSettings)
    static ThemeMode modeFromName(const QString& name);

    static bool isDark(const QPalette& palette);

    static QColor failureText(const QPalette& palette);
    static QColor failureBackground(const QPalette& palette);
    static QColor lifecycleText(const QPalette& palette);
    static QColor lifecycleBackground(const QPalette& palette);
    static QColor signalText(const QPalette& palette);
    static QColor signalBackground(const QPalette& palette);
    static QColor mutedText(const QPalette& palette);
    static QColor successText(const QPalette& palette);
    static QColor warningText(const QPalette& palette);
    static QColor highlightBackground(const QPalette& palette); // rows of the selected process
    static QColor stderrText(const QPalette& palette);
    static QColor stderrBackground(const QPalette& palette);
    static QColor accent(const QPalette& palette);

private:
    static QPalette lightPalette();
    static QPalette darkPalette();
};

} // namespace exitlens
