#include "Theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

namespace exitlens {

namespace {
ThemeMode g_mode = ThemeMode::System;
bool g_systemSaved = false;
QPalette g_systemPalette;
QString g_systemStyle;

QColor pick(const QPalette& palette, QColor light, QColor dark)
{
    return Theme::isDark(palette) ? dark : light;
}
} // namespace

void Theme::apply(ThemeMode mode)
{
    if (!g_systemSaved) {
        g_systemPalette = QApplication::palette();
        g_systemStyle = QApplication::style() ? QApplication::style()->name() : QString();
        g_systemSaved = true;
    }
    if (mode == ThemeMode::System && g_mode == ThemeMode::System)
        return; // nothing to undo; leaving the palette alone keeps following the desktop's changes
    g_mode = mode;
    switch (mode) {
    case ThemeMode::System:
        if (!g_systemStyle.isEmpty())
            QApplication::setStyle(QStyleFactory::create(g_systemStyle));
        QApplication::setPalette(g_systemPalette);
        break;
    case ThemeMode::Light:
        // Fusion honours every palette role; platform styles may ignore an application palette.
        QApplication::setStyle(QStyleFactory::create("Fusion"));
        QApplication::setPalette(lightPalette());
        break;
    case ThemeMode::Dark:
        QApplication::setStyle(QStyleFactory::create("Fusion"));
        QApplication::setPalette(darkPalette());
        break;
    }
}

ThemeMode Theme::mode()
{
    return g_mode;
}

QString Theme::modeName(ThemeMode mode)
{
    switch (mode) {
    case ThemeMode::Light:
        return QStringLiteral("light");
    case ThemeMode::Dark:
        return QStringLiteral("dark");
    case ThemeMode::System:
        break;
    }
    return QStringLiteral("system");
}

ThemeMode Theme::modeFromName(const QString& name)
{
    if (name == QLatin1String("light"))
        return ThemeMode::Light;
    if (name == QLatin1String("dark"))
        return ThemeMode::Dark;
    return ThemeMode::System;
}

bool Theme::isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QPalette Theme::lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf3, 0xf4, 0xf6));
    p.setColor(QPalette::WindowText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf6, 0xf8, 0xfa));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf0));
    p.setColor(QPalette::ToolTipText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x95, 0x9f));
    p.setColor(QPalette::Text, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::Button, QColor(0xf6, 0xf8, 0xfa));
    p.setColor(QPalette::ButtonText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(0x09, 0x69, 0xda));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, Qt::white);
    p.setColor(QPalette::Midlight, QColor(0xe1, 0xe4, 0xe8));
    p.setColor(QPalette::Mid, QColor(0xc8, 0xcd, 0xd3));
    p.setColor(QPalette::Dark, QColor(0x8c, 0x95, 0x9f));
    p.setColor(QPalette::Shadow, QColor(0x57, 0x60, 0x6a));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x8c, 0x95, 0x9f));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x8c, 0x95, 0x9f));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x8c, 0x95, 0x9f));
    return p;
}

QPalette Theme::darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x24, 0x27, 0x2e));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::Base, QColor(0x1b, 0x1d, 0x22));
    p.setColor(QPalette::AlternateBase, QColor(0x22, 0x25, 0x2b));
    p.setColor(QPalette::ToolTipBase, QColor(0x30, 0x34, 0x3c));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::PlaceholderText, QColor(0x7d, 0x85, 0x90));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::Button, QColor(0x2d, 0x31, 0x39));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::BrightText, QColor(0xff, 0x7b, 0x72));
    p.setColor(QPalette::Link, QColor(0x58, 0xa6, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x3a, 0x3f, 0x48));
    p.setColor(QPalette::Midlight, QColor(0x33, 0x37, 0x40));
    p.setColor(QPalette::Mid, QColor(0x2a, 0x2e, 0x35));
    p.setColor(QPalette::Dark, QColor(0x16, 0x18, 0x1c));
    p.setColor(QPalette::Shadow, QColor(0x0d, 0x0e, 0x11));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6e, 0x76, 0x81));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6e, 0x76, 0x81));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6e, 0x76, 0x81));
    return p;
}

QColor Theme::failureText(const QPalette& palette)
{
    return pick(palette, QColor(0xb3, 0x1d, 0x28), QColor(0xff, 0x7b, 0x72));
}

QColor Theme::failureBackground(const QPalette& palette)
{
    return pick(palette, QColor(0xff, 0xeb, 0xe9), QColor(0x4a, 0x1e, 0x22));
}

QColor Theme::lifecycleText(const QPalette& palette)
{
    return pick(palette, QColor(0x0a, 0x55, 0xb8), QColor(0x79, 0xc0, 0xff));
}

QColor Theme::lifecycleBackground(const QPalette& palette)
{
    return pick(palette, QColor(0xe7, 0xf0, 0xfd), QColor(0x1d, 0x2d, 0x45));
}

QColor Theme::signalText(const QPalette& palette)
{
    return pick(palette, QColor(0x9a, 0x57, 0x00), QColor(0xf0, 0xb4, 0x5a));
}

QColor Theme::signalBackground(const QPalette& palette)
{
    return pick(palette, QColor(0xff, 0xf4, 0xd6), QColor(0x45, 0x36, 0x18));
}

QColor Theme::mutedText(const QPalette& palette)
{
    return pick(palette, QColor(0x6a, 0x73, 0x7d), QColor(0x8b, 0x94, 0x9e));
}

QColor Theme::successText(const QPalette& palette)
{
    return pick(palette, QColor(0x1a, 0x7f, 0x37), QColor(0x56, 0xd3, 0x64));
}

QColor Theme::warningText(const QPalette& palette)
{
    return pick(palette, QColor(0x9a, 0x67, 0x00), QColor(0xe3, 0xb3, 0x41));
}

QColor Theme::highlightBackground(const QPalette& palette)
{
    return pick(palette, QColor(0xfd, 0xf3, 0xc4), QColor(0x3d, 0x38, 0x1c));
}

QColor Theme::stderrText(const QPalette& palette)
{
    return pick(palette, QColor(0xa4, 0x0e, 0x26), QColor(0xff, 0xa1, 0x98));
}

QColor Theme::stderrBackground(const QPalette& palette)
{
    return pick(palette, QColor(0xff, 0xf5, 0xf5), QColor(0x2d, 0x1f, 0x22));
}

QColor Theme::accent(const QPalette& palette)
{
    return pick(palette, QColor(0x2f, 0x6f, 0xd6), QColor(0x58, 0xa6, 0xff));
}

} // namespace exitlens
