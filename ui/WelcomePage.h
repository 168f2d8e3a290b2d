#pragma once

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace exitlens {

// What the window shows before the first capture: launch a program, try the bundled demo,
// open a session, or pick a recent program or session.
class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

    // Reloads the recent lists from QSettings.
    void refresh();
    // Open session stays visible but disabled, with the reason, until sessions are available.
    void setSessionsAvailable(bool available, const QString& reason);
    void setDemoAvailable(bool available, const QString& reason);

    QPushButton* demoButton() const { return m_demo; }
    QPushButton* launchButton() const { return m_launch; }
    QListWidget* recentPrograms() const { return m_recentPrograms; }

Q_SIGNALS:
    void launchRequested();
    void demoRequested();
    void openSessionRequested();
    void recentProgramActivated(const QString& program);
    void recentSessionActivated(const QString& path);

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyStyle();

    QLabel* m_title = nullptr;
    QPushButton* m_launch = nullptr;
    QPushButton* m_demo = nullptr;
    QPushButton* m_open = nullptr;
    QLabel* m_demoNote = nullptr;
    QListWidget* m_recentPrograms = nullptr;
    QListWidget* m_recentSessions = nullptr;
    QLabel* m_noPrograms = nullptr;
    QLabel* m_noSessions = nullptr;
    QString m_sessionsReason;
};

} // namespace exitlens
