#include "Icons.h"

#include "Theme.h"

#include <QApplication>
#include <QHash>
#include <QPainter>
#include <QPainterPath>

namespace exitlens {

namespace {
QHash<quint64, QPixmap>& cache()
{
    static QHash<quint64, QPixmap> pixmaps;
    return pixmaps;
}

quint64 cacheKey(IconId id, int size, qreal dpr, bool dark)
{
    return (quint64(id) << 40) | (quint64(size) << 24) | (quint64(qRound(dpr * 100)) << 1) | quint64(dark);
}

// All drawing happens on a 16x16 grid; the painter is scaled to the requested size.
void disc(QPainter& p, const QColor& color)
{
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(1, 1, 14, 14));
}

void cross(QPainter& p, const QColor& color, qreal inset = 5)
{
    p.setPen(QPen(color, 2, Qt::SolidLine, Qt::RoundCap));
    p.drawLine(QPointF(inset, inset), QPointF(16 - inset, 16 - inset));
    p.drawLine(QPointF(16 - inset, inset), QPointF(inset, 16 - inset));
}

void check(QPainter& p, const QColor& color)
{
    p.setPen(QPen(color, 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(Qt::NoBrush);
    QPainterPath path;
    path.moveTo(4.5, 8.5);
    path.lineTo(7, 11);
    path.lineTo(11.5, 5.5);
    p.drawPath(path);
}

void bolt(QPainter& p, const QColor& color, qreal scale = 1.0, QPointF offset = {})
{
    QPainterPath path;
    path.moveTo(9.5, 1);
    path.lineTo(3.5, 9);
    path.lineTo(7.5, 9);
    path.lineTo(6, 15);
    path.lineTo(12.5, 6.5);
    path.lineTo(8.5, 6.5);
    path.closeSubpath();
    p.save();
    p.translate(offset);
    p.translate(8, 8);
    p.scale(scale, scale);
    p.translate(-8, -8);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawPath(path);
    p.restore();
}

void exclamation(QPainter& p, const QColor& color, qreal top = 4, qreal bottom = 9.5, qreal dot = 12)
{
    p.setPen(QPen(color, 2, Qt::SolidLine, Qt::RoundCap));
    p.drawLine(QPointF(8, top), QPointF(8, bottom));
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QPointF(8, dot), 1.2, 1.2);
}
} // namespace

QIcon Icons::icon(IconId id)
{
    QIcon result;
    for (int size : { 16, 22, 24, 32, 48 }) {
        result.addPixmap(pixmap(id, size, 1.0));
        result.addPixmap(pixmap(id, size, 2.0));
    }
    if (id == IconId::Capture) {
        // Off state: an empty ring instead of the filled record dot.
        for (int size : { 16, 22, 24, 32 }) {
            for (qreal dpr : { 1.0, 2.0 }) {
                QPixmap off(QSize(size, size) * dpr);
                off.setDevicePixelRatio(dpr);
                off.fill(Qt::transparent);
                QPainter p(&off);
                p.setRenderHint(QPainter::Antialiasing);
                p.scale(size / 16.0, size / 16.0);
                p.setPen(QPen(Theme::mutedText(QApplication::palette()), 1.6));
                p.setBrush(Qt::NoBrush);
                p.drawEllipse(QRectF(3, 3, 10, 10));
                result.addPixmap(off, QIcon::Normal, QIcon::Off);
            }
        }
        for (int size : { 16, 22, 24, 32, 48 }) {
            result.addPixmap(pixmap(id, size, 1.0), QIcon::Normal, QIcon::On);
            result.addPixmap(pixmap(id, size, 2.0), QIcon::Normal, QIcon::On);
        }
    }
    return result;
}

QPixmap Icons::pixmap(IconId id, int size, qreal devicePixelRatio)
{
    const QPalette palette = QApplication::palette();
    const quint64 key = cacheKey(id, size, devicePixelRatio, Theme::isDark(palette));
    auto found = cache().constFind(key);
    if (found != cache().constEnd())
        return *found;
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    {
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(size / 16.0, size / 16.0);
        paint(painter, id, palette);
    }
    cache().insert(key, pixmap);
    return pixmap;
}

void Icons::clearCache()
{
    cache().clear();
}

void Icons::paint(QPainter& p, IconId id, const QPalette& palette)
{
    const QColor ink = palette.color(QPalette::WindowText);
    const QColor red = Theme::failureText(palette);
    const QColor green = Theme::successText(palette);
    const QColor blue = Theme::lifecycleText(palette);
    const QColor amber = Theme::signalText(palette);
    const QColor muted = Theme::mutedText(palette);
    const QColor onDisc = Theme::isDark(palette) ? QColor(0x1b, 0x1d, 0x22) : Qt::white;

    switch (id) {
    case IconId::Launch: {
        QPainterPath path;
        path.moveTo(4, 2.5);
        path.lineTo(13.5, 8);
        path.lineTo(4, 13.5);
        path.closeSubpath();
        p.setPen(QPen(green.darker(110), 1, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(green);
        p.drawPath(path);
        break;
    }
    case IconId::Demo: {
        disc(p, Theme::accent(palette));
        QPainterPath path;
        path.moveTo(6, 4.5);
        path.lineTo(11.5, 8);
        path.lineTo(6, 11.5);
        path.closeSubpath();
        p.setBrush(onDisc);
        p.drawPath(path);
        break;
    }
    case IconId::Relaunch: {
        p.setPen(QPen(blue, 1.8, Qt::SolidLine, Qt::RoundCap));
        p.setBrush(Qt::NoBrush);
        p.drawArc(QRectF(2.5, 2.5, 11, 11), 60 * 16, 280 * 16);
        QPainterPath head;
        head.moveTo(13.8, 1.5);
        head.lineTo(13.8, 6.6);
        head.lineTo(8.8, 5.2);
        head.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(blue);
        p.drawPath(head);
        break;
    }
    case IconId::Stop:
        p.setPen(Qt::NoPen);
        p.setBrush(red);
        p.drawRoundedRect(QRectF(3, 3, 10, 10), 1.5, 1.5);
        break;
    case IconId::Capture:
        p.setPen(Qt::NoPen);
        p.setBrush(red);
        p.drawEllipse(QRectF(3, 3, 10, 10));
        break;
    case IconId::Autoscroll: {
        p.setPen(QPen(ink, 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawLine(QPointF(8, 2), QPointF(8, 10));
        QPainterPath arrow;
        arrow.moveTo(4.5, 7);
        arrow.lineTo(8, 10.5);
        arrow.lineTo(11.5, 7);
        p.setBrush(Qt::NoBrush);
        p.drawPath(arrow);
        p.drawLine(QPointF(3, 13.5), QPointF(13, 13.5));
        break;
    }
    case IconId::Clear:
        p.setPen(QPen(ink, 1.6));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QRectF(2.5, 2.5, 11, 11));
        p.drawLine(QPointF(4.6, 11.4), QPointF(11.4, 4.6));
        break;
    case IconId::Filter: {
        QPainterPath funnel;
        funnel.moveTo(2, 3);
        funnel.lineTo(14, 3);
        funnel.lineTo(9.3, 8.5);
        funnel.lineTo(9.3, 13.5);
        funnel.lineTo(6.7, 12);
        funnel.lineTo(6.7, 8.5);
        funnel.closeSubpath();
        p.setPen(QPen(ink, 1.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        p.drawPath(funnel);
        break;
    }
    case IconId::Find:
        p.setPen(QPen(ink, 1.8, Qt::SolidLine, Qt::RoundCap));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QRectF(2.5, 2.5, 8, 8));
        p.drawLine(QPointF(9.5, 9.5), QPointF(13.5, 13.5));
        break;
    case IconId::ProcessTree:
        p.setPen(QPen(ink, 1.2));
        p.drawLine(QPointF(4, 5), QPointF(4, 12.5));
        p.drawLine(QPointF(4, 8), QPointF(8, 8));
        p.drawLine(QPointF(4, 12.5), QPointF(8, 12.5));
        p.setPen(Qt::NoPen);
        p.setBrush(blue);
        p.drawRoundedRect(QRectF(1.5, 1.5, 5, 4), 1, 1);
        p.setBrush(ink);
        p.drawRoundedRect(QRectF(8, 6, 6.5, 4), 1, 1);
        p.setBrush(red);
        p.drawRoundedRect(QRectF(8, 10.5, 6.5, 4), 1, 1);
        break;
    case IconId::Open:
    case IconId::Folder: {
        QPainterPath folder;
        folder.moveTo(1.5, 4);
        folder.lineTo(6, 4);
        folder.lineTo(7.5, 5.5);
        folder.lineTo(14.5, 5.5);
        folder.lineTo(14.5, 13);
        folder.lineTo(1.5, 13);
        folder.closeSubpath();
        p.setPen(QPen(amber.darker(120), 1));
        p.setBrush(QColor(0xe8, 0xb3, 0x4d));
        p.drawPath(folder);
        break;
    }
    case IconId::Save:
        p.setPen(QPen(ink, 1.2));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(QRectF(2.5, 2.5, 11, 11), 1.5, 1.5);
        p.setBrush(ink);
        p.drawRect(QRectF(5, 2.5, 6, 3.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(4.5, 8.5, 7, 5));
        break;
    case IconId::Copy:
        p.setPen(QPen(ink, 1.2));
        p.setBrush(palette.color(QPalette::Base));
        p.drawRoundedRect(QRectF(2, 2, 8, 9.5), 1, 1);
        p.drawRoundedRect(QRectF(6, 5, 8, 9.5), 1, 1);
        break;
    case IconId::Failure:
    case IconId::ExitFailed:
        disc(p, red);
        cross(p, onDisc);
        break;
    case IconId::Error:
        disc(p, red);
        exclamation(p, onDisc);
        break;
    case IconId::ProcessStart: {
        disc(p, blue);
        p.setPen(QPen(onDisc, 2, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(8, 4.5), QPointF(8, 11.5));
        p.drawLine(QPointF(4.5, 8), QPointF(11.5, 8));
        break;
    }
    case IconId::ProcessExec: {
        disc(p, blue);
        QPainterPath arrow;
        arrow.moveTo(6, 4.5);
        arrow.lineTo(11.5, 8);
        arrow.lineTo(6, 11.5);
        arrow.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(onDisc);
        p.drawPath(arrow);
        break;
    }
    case IconId::ProcessExit: {
        // A flag: the end of a process that ended normally.
        p.setPen(QPen(blue, 1.5, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(4, 2), QPointF(4, 14.5));
        QPainterPath flag;
        flag.moveTo(4.5, 2.5);
        flag.lineTo(13, 2.5);
        flag.lineTo(10.5, 5.5);
        flag.lineTo(13, 8.5);
        flag.lineTo(4.5, 8.5);
        flag.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(blue);
        p.drawPath(flag);
        break;
    }
    case IconId::ExitOk:
    case IconId::Ok:
        disc(p, green);
        check(p, onDisc);
        break;
    case IconId::ExitSignal:
        disc(p, red);
        bolt(p, onDisc, 0.62);
        break;
    case IconId::Signal:
        bolt(p, amber);
        break;
    case IconId::Thread:
        p.setPen(QPen(muted, 1.4, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(3, 4), QPointF(13, 4));
        p.drawLine(QPointF(5, 8), QPointF(13, 8));
        p.drawLine(QPointF(7, 12), QPointF(13, 12));
        break;
    case IconId::Output:
        p.setPen(QPen(muted, 1.2));
        p.setBrush(palette.color(QPalette::Base));
        p.drawRoundedRect(QRectF(2, 2.5, 12, 11), 1.5, 1.5);
        p.setPen(QPen(muted, 1.2, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(4.5, 6), QPointF(6.5, 8));
        p.drawLine(QPointF(6.5, 8), QPointF(4.5, 10));
        p.drawLine(QPointF(8, 10.5), QPointF(11.5, 10.5));
        break;
    case IconId::Note:
    case IconId::Info:
        disc(p, muted);
        p.setPen(QPen(onDisc, 2, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(8, 7.5), QPointF(8, 11.5));
        p.setPen(Qt::NoPen);
        p.setBrush(onDisc);
        p.drawEllipse(QPointF(8, 4.8), 1.2, 1.2);
        break;
    case IconId::Running:
        p.setPen(QPen(blue, 2));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QRectF(2, 2, 12, 12));
        p.setPen(Qt::NoPen);
        p.setBrush(blue);
        p.drawPie(QRectF(2, 2, 12, 12), 90 * 16, -180 * 16);
        break;
    case IconId::Warning: {
        QPainterPath triangle;
        triangle.moveTo(8, 1.5);
        triangle.lineTo(15, 14);
        triangle.lineTo(1, 14);
        triangle.closeSubpath();
        p.setPen(QPen(amber, 1, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Theme::warningText(palette));
        p.drawPath(triangle);
        exclamation(p, onDisc, 5.5, 9.5, 11.8);
        break;
    }
    }
}

} // namespace exitlens
