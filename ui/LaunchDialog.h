#pragma once

#include "LaunchSpec.h"
#include "ProgramInfo.h"

#include <QDialog>
#include <QTimer>
#include <array>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace exitlens {

class EnvironmentEditor;
class FieldMessage;

// Everything about how the program is started: program, arguments (shell-style quoting, shown
// as the exact argv), working directory (shown prominently: a wrong one is the most common
// silent-exit cause), environment, Go switches, capture mode and stdin. Problems are said next
// to their field and keep Launch disabled, except those ExitLens exists to diagnose: a program
// for the wrong architecture, or a broken one, can still be launched.
class LaunchDialog : public QDialog {
    Q_OBJECT
public:
    explicit LaunchDialog(QWidget* parent = nullptr);

    void setProgram(const QString& program);
    void setArguments(const QString& line);
    void setWorkingDirectory(const QString& folder);
    // Prefills the dialog from a previous launch (Relaunch, recent programs).
    void setSpec(const LaunchSpec& spec);
    // What will be launched; valid when canLaunch().
    LaunchSpec spec() const;
    bool canLaunch() const;

    // Validation state, as shown next to each field (for tests and the status line).
    QString programMessage() const;
    ProgramInfo::Severity programSeverity() const; // of the message shown under the program
    QString argumentsMessage() const;
    QString workingDirectoryMessage() const;
    QString captureFilterMessage() const; // empty when the expression is valid or empty
    QStringList argv() const; // the argv the program will get, argv[0] first
    const ProgramInfo::Facts& programFacts() const { return m_facts; }

    QPushButton* launchButton() const { return m_launch; }
    QLineEdit* workingDirectoryEdit() const { return m_workingDirectory; }
    QComboBox* programBox() const { return m_program; }
    QLineEdit* captureFilterEdit() const { return m_captureFilter; }

    // Re-runs validation now instead of after the typing pause.
    void validateNow();

private:
    QWidget* buildProgramSection();
    QWidget* buildWorkingDirectorySection();
    QWidget* buildGoTab();
    QWidget* buildCaptureTab();
    void scheduleValidation();
    void validate();
    void updateFacts();
    void browseProgram();
    void browseWorkingDirectory();
    void browseStdin();
    void rememberLaunch() const;
    void restoreForProgram(const QString& program);
    QString pathVariable() const;

    QComboBox* m_program = nullptr;
    FieldMessage* m_programStatus = nullptr;
    QLabel* m_factsLabel = nullptr;
    QLineEdit* m_arguments = nullptr;
    QLabel* m_argv = nullptr;
    FieldMessage* m_argumentsStatus = nullptr;
    QLineEdit* m_workingDirectory = nullptr;
    FieldMessage* m_workingDirectoryStatus = nullptr;
    QPushButton* m_programFolder = nullptr;
    QPushButton* m_currentFolder = nullptr;
    EnvironmentEditor* m_environment = nullptr;
    FieldMessage* m_environmentStatus = nullptr;
    QComboBox* m_goTraceback = nullptr;
    QList<QCheckBox*> m_goDebugPresets;
    QLineEdit* m_goDebugExtra = nullptr;
    QLabel* m_goFacts = nullptr;
    QRadioButton* m_focused = nullptr;
    QRadioButton* m_full = nullptr;
    // The capture filter's classes (by EventClass value): what the tracer stops on at all.
    std::array<QCheckBox*, kEventClassCount> m_classes {};
    // The capture filter's expression: syscall/signal events it rejects are dropped and counted.
    QLineEdit* m_captureFilter = nullptr;
    FieldMessage* m_captureFilterStatus = nullptr;
    QRadioButton* m_stdinNone = nullptr;
    QRadioButton* m_stdinFile = nullptr;
    QLineEdit* m_stdinPath = nullptr;
    FieldMessage* m_stdinStatus = nullptr;
    QPushButton* m_launch = nullptr;

    QTimer m_validateTimer;
    ProgramInfo::Check m_programCheck;
    ProgramInfo::Facts m_facts;
    QString m_factsFor; // the resolved path m_facts describes
    bool m_workingDirectoryEdited = false;
    bool m_valid = false;
    QString m_argumentsError;
    QString m_workingDirectoryError;
};

} // namespace exitlens
