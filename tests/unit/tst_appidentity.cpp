// The application icon compiled into the binary, and the desktop id the GUI announces, agree with
// what the package installs.
#include "AppIdentity.h"
#include "TestPaths.h"

#include <QFile>
#include <QIcon>
#include <QImage>
#include <QTest>

using namespace exitlens;

class AppIdentityTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void iconHasEveryRenderedSize();
    void iconPixelsAreTheDrawing_data();
    void iconPixelsAreTheDrawing();
    void desktopIdNamesTheInstalledEntry();
};

void AppIdentityTest::iconHasEveryRenderedSize()
{
    const QIcon icon = appIcon();
    QVERIFY(!icon.isNull());
    const QList<QSize> sizes = icon.availableSizes();
    for (const int size : { 16, 24, 32, 48, 64, 128, 256 })
        QVERIFY2(sizes.contains(QSize(size, size)), qPrintable(QString("no %1 px icon").arg(size)));
    // Asking for an in-between size picks a real rendering, not an empty pixmap.
    QCOMPARE(icon.pixmap(QSize(40, 40)).isNull(), false);
}

void AppIdentityTest::iconPixelsAreTheDrawing_data()
{
    QTest::addColumn<int>("size");
    for (const int size : { 16, 24, 32, 48, 64, 128, 256 })
        QTest::addRow("%d", size) << size;
}

void AppIdentityTest::iconPixelsAreTheDrawing()
{
    QFETCH(int, size);
    appIcon(); // registers the resources
    const QImage image(QString(":/icons/exitlens-%1.png").arg(size));
    QVERIFY2(!image.isNull(), "the PNG is not in the resources");
    QCOMPARE(image.size(), QSize(size, size));
    // The rounded tile leaves the corner transparent...
    QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
    // ...the end of the handle (bottom right, amber) is opaque and warm...
    const QRgb handle = image.pixel(size * 13 / 16 - 1, size * 13 / 16 - 1);
    QCOMPARE(qAlpha(handle), 255);
    QVERIFY2(qRed(handle) > qBlue(handle) + 80, qPrintable(QString::number(handle, 16)));
    // ...and the arrow in the glass is green.
    const QRgb arrow = image.pixel(size * 6 / 16, size * 7 / 16);
    QVERIFY2(qGreen(arrow) > qRed(arrow) + 60 && qGreen(arrow) > qBlue(arrow), qPrintable(QString::number(arrow, 16)));
}

void AppIdentityTest::desktopIdNamesTheInstalledEntry()
{
    const QString id = desktopFileName();
    // Reverse DNS, as AppStream and Wayland's app_id expect ("io.github.exitlens.ExitLens").
    QVERIFY2(id.count('.') >= 2 && !id.startsWith('.') && !id.endsWith('.'), qPrintable(id));
    QFile entry(QString(EXITLENS_BUILD_DIR) + "/resources/desktop/" + id + ".desktop");
    QVERIFY2(entry.open(QIODevice::ReadOnly), qPrintable(entry.fileName()));
    const QByteArray text = entry.readAll();
    QVERIFY(text.contains("\nIcon=" + id.toUtf8() + "\n"));
    QVERIFY(text.contains("\nExec=exitlens %f\n"));
}

QTEST_MAIN(AppIdentityTest)
#include "tst_appidentity.moc"
