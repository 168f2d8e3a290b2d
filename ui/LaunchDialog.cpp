#include "LaunchDialog.h"

#include "EnvironmentEditor.h"
#include "FieldMessage.h"
#include "Icons.h"
#include "RecentList.h"
#include "ShellWords.h"
#include "Theme.h"
#include "filter/FilterParser.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QTabWidget>
#include <QVBoxLayout>

namespace exitlens {

namespace {
constexpr int kValidateDelayMs = 150;

struct GoDebugPreset {
    const char* setting;
    const char* label;
};
const GoDebugPreset kGoDebugPresets[] = {
    { "gctrace=1", "gctrace=1: one line per garbage collection (heap sizes, pauses)" },
    { "schedtrace=1000", "schedtrace=1000: scheduler state every second" },
    { "inittrace=1", "inittrace=1: time and memory of each package's init" },
    { "asyncpreemptoff=1", "asyncpreemptoff=1: no SIGURG preemption signals" },
};

QString settingsKeyFor(const QString& program)
{
    return QStringLiteral("launch/programs/")
        + QString::fromLatin1(program.toUtf8().toBase64(QByteArray::Base64UrlEncoding));
}

QStringList systemEnvironment()
{
    return QProcessEnvironment::systemEnvironment().toStringList();
}

QString environmentValue(const QStringList& environment, const QString& name)
{
    const QString prefix = name + QLatin1Char('=');
    for (const QString& entry : environment) {
        if (entry.startsWith(prefix))
            return entry.mid(prefix.size());
    }
    return QString();
}

QLabel* sectionTitle(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}
} // namespace

LaunchDialog::LaunchDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Launch a Program — ExitLens"));
    setModal(true);
    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(10);

    auto* title = new QLabel(tr("Launch a program"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setBold(true);
    title->setFont(titleFont);
    layout->addWidget(title);
    auto* subtitle = new QLabel(
        tr("ExitLens starts it, follows every process it creates, records what it does and explains how it ends."),
        this);
    subtitle->setWordWrap(true);
    layout->addWidget(subtitle);

    layout->addWidget(buildProgramSection());
    layout->addWidget(buildWorkingDirectorySection());

    auto* tabs = new QTabWidget(this);
    tabs->addTab(buildGoTab(), tr("&Go"));
    auto* environmentPage = new QWidget(tabs);
    auto* environmentLayout = new QVBoxLayout(environmentPage);
    m_environment = new EnvironmentEditor(environmentPage);
    m_environment->setInherited(systemEnvironment());
    environmentLayout->addWidget(m_environment, 1);
    m_environmentStatus = new FieldMessage(environmentPage);
    environmentLayout->addWidget(m_environmentStatus);
    tabs->addTab(environmentPage, tr("&Environment"));
    tabs->addTab(buildCaptureTab(), tr("&Capture and input"));
    layout->addWidget(tabs, 1);

    auto* buttons = new QDialogButtonBox(this);
    m_launch = buttons->addButton(tr("&Launch"), QDialogButtonBox::AcceptRole);
    m_launch->setIcon(Icons::icon(IconId::Launch));
    m_launch->setDefault(true);
    m_launch->setToolTip(tr("Start the program under ExitLens (Enter)"));
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        validate();
        if (!canLaunch())
            return;
        rememberLaunch();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    m_validateTimer.setSingleShot(true);
    m_validateTimer.setInterval(kValidateDelayMs);
    connect(&m_validateTimer, &QTimer::timeout, this, &LaunchDialog::validate);

    const QStringList recent = RecentList(QStringLiteral("launch/recentPrograms")).items();
    m_program->addItems(recent);
    m_program->setCurrentText(recent.isEmpty() ? QString() : recent.front());
    if (!recent.isEmpty())
        restoreForProgram(recent.front());
    resize(760, 720);
    validate();
}

QWidget* LaunchDialog::buildProgramSection()
{
    auto* section = new QWidget(this);
    auto* grid = new QGridLayout(section);
    grid->setContentsMargins(0, 6, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(4);

    auto* programLabel = new QLabel(tr("&Program:"), section);
    m_program = new QComboBox(section);
    m_program->setEditable(true);
    m_program->setInsertPolicy(QComboBox::NoInsert);
    m_program->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_program->setMinimumContentsLength(30);
    m_program->lineEdit()->setPlaceholderText(tr("/path/to/program, or a name found in PATH"));
    m_program->setToolTip(tr("The executable to launch; the list holds recently launched programs"));
    programLabel->setBuddy(m_program);
    auto* browse = new QPushButton(tr("&Browse…"), section);
    browse->setToolTip(tr("Choose an executable file"));
    connect(browse, &QPushButton::clicked, this, &LaunchDialog::browseProgram);
    grid->addWidget(programLabel, 0, 0);
    grid->addWidget(m_program, 0, 1);
    grid->addWidget(browse, 0, 2);
    m_programStatus = new FieldMessage(section);
    grid->addWidget(m_programStatus, 1, 1, 1, 2);
    m_factsLabel = new QLabel(section);
    m_factsLabel->setWordWrap(true);
    m_factsLabel->setTextFormat(Qt::RichText);
    m_factsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(m_factsLabel, 2, 1, 1, 2);

    auto* argumentsLabel = new QLabel(tr("&Arguments:"), section);
    m_arguments = new QLineEdit(section);
    m_arguments->setPlaceholderText(tr("--port 8080 --name 'two words'"));
    m_arguments->setToolTip(
        tr("Split like a shell does ('single', \"double\" quotes and \\ escapes), without expanding anything"));
    argumentsLabel->setBuddy(m_arguments);
    grid->addWidget(argumentsLabel, 3, 0);
    grid->addWidget(m_arguments, 3, 1, 1, 2);
    m_argumentsStatus = new FieldMessage(section);
    grid->addWidget(m_argumentsStatus, 4, 1, 1, 2);
    m_argv = new QLabel(section);
    m_argv->setWordWrap(true);
    m_argv->setTextFormat(Qt::RichText);
    m_argv->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_argv->setToolTip(tr("Exactly what the program receives as its argument vector"));
    grid->addWidget(m_argv, 5, 1, 1, 2);
    grid->setColumnStretch(1, 1);

    connect(m_program, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        if (m_program->findText(text) >= 0 && m_program->hasFocus())
            restoreForProgram(text);
        scheduleValidation();
    });
    connect(m_program, qOverload<int>(&QComboBox::activated), this,
        [this](int index) { restoreForProgram(m_program->itemText(index)); });
    connect(m_arguments, &QLineEdit::textChanged, this, &LaunchDialog::scheduleValidation);
    return section;
}

QWidget* LaunchDialog::buildWorkingDirectorySection()
{
    auto* frame = new QFrame(this);
    frame->setObjectName(QStringLiteral("workingDirectoryFrame"));
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setStyleSheet(QStringLiteral("#workingDirectoryFrame { border: 1px solid palette(mid); border-left: 4px "
                                        "solid %1; border-radius: 3px; background: palette(alternate-base); }")
                             .arg(Theme::accent(palette()).name()));
    auto* layout = new QVBoxLayout(frame);
    layout->setContentsMargins(12, 8, 10, 8);
    layout->setSpacing(4);
    auto* title = sectionTitle(tr("&Working directory"), frame);
    layout->addWidget(title);
    auto* row = new QHBoxLayout;
    m_workingDirectory = new QLineEdit(frame);
    m_workingDirectory->setPlaceholderText(tr("The folder the program starts in"));
    m_workingDirectory->setToolTip(tr("Relative paths the program opens (config.json, ./data) are looked up here"));
    title->setBuddy(m_workingDirectory);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(m_workingDirectory->font().pointSizeF());
    m_workingDirectory->setFont(mono);
    auto* browse = new QPushButton(tr("Bro&wse…"), frame);
    browse->setIcon(Icons::icon(IconId::Folder));
    browse->setToolTip(tr("Choose the working directory"));
    connect(browse, &QPushButton::clicked, this, &LaunchDialog::browseWorkingDirectory);
    row->addWidget(m_workingDirectory, 1);
    row->addWidget(browse);
    layout->addLayout(row);
    auto* shortcuts = new QHBoxLayout;
    m_programFolder = new QPushButton(tr("Program's &folder"), frame);
    m_programFolder->setToolTip(tr("Start in the folder that contains the program"));
    m_currentFolder = new QPushButton(tr("ExitLens's &current folder"), frame);
    m_currentFolder->setToolTip(tr("Start where ExitLens was started: %1").arg(QDir::currentPath()));
    shortcuts->addWidget(m_programFolder);
    shortcuts->addWidget(m_currentFolder);
    shortcuts->addStretch(1);
    layout->addLayout(shortcuts);
    m_workingDirectoryStatus = new FieldMessage(frame);
    layout->addWidget(m_workingDirectoryStatus);
    auto* hint = new QLabel(tr("A wrong working directory is the most common reason a program exits silently: "
                               "files it opens by relative path are looked up here."),
        frame);
    hint->setWordWrap(true);
    QPalette hintPalette = hint->palette();
    hintPalette.setColor(QPalette::WindowText, Theme::mutedText(palette()));
    hint->setPalette(hintPalette);
    layout->addWidget(hint);

    connect(m_workingDirectory, &QLineEdit::textEdited, this, [this] { m_workingDirectoryEdited = true; });
    connect(m_workingDirectory, &QLineEdit::textChanged, this, &LaunchDialog::scheduleValidation);
    connect(m_programFolder, &QPushButton::clicked, this, [this] {
        if (!m_programCheck.resolvedPath.isEmpty()) {
            m_workingDirectoryEdited = true;
            m_workingDirectory->setText(QFileInfo(m_programCheck.resolvedPath).absolutePath());
        }
    });
    connect(m_currentFolder, &QPushButton::clicked, this, [this] {
        m_workingDirectoryEdited = true;
        m_workingDirectory->setText(QDir::currentPath());
    });
    return frame;
}

QWidget* LaunchDialog::buildGoTab()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    m_goFacts = new QLabel(page);
    m_goFacts->setWordWrap(true);
    m_goFacts->setTextFormat(Qt::RichText);
    m_goFacts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_goFacts);

    auto* form = new QFormLayout;
    m_goTraceback = new QComboBox(page);
    m_goTraceback->setObjectName(QStringLiteral("goTraceback"));
    m_goTraceback->addItem(tr("as inherited"), QString());
    m_goTraceback->addItem(tr("none — no goroutine traces"), QStringLiteral("none"));
    m_goTraceback->addItem(tr("single — the failing goroutine (Go's default)"), QStringLiteral("single"));
    m_goTraceback->addItem(tr("all — every user goroutine"), QStringLiteral("all"));
    m_goTraceback->addItem(tr("system — all, with runtime frames"), QStringLiteral("system"));
    m_goTraceback->addItem(tr("crash — system, then abort with a core dump"), QStringLiteral("crash"));
    m_goTraceback->setToolTip(tr("Sets GOTRACEBACK: how much the Go runtime prints when the program dies"));
    form->addRow(tr("GO&TRACEBACK:"), m_goTraceback);
    layout->addLayout(form);

    auto* debugBox = new QGroupBox(tr("GODEBUG switches"), page);
    auto* debugLayout = new QVBoxLayout(debugBox);
    for (const GoDebugPreset& preset : kGoDebugPresets) {
        auto* box = new QCheckBox(tr(preset.label), debugBox);
        box->setProperty("setting", QString::fromLatin1(preset.setting));
        debugLayout->addWidget(box);
        m_goDebugPresets << box;
        connect(box, &QCheckBox::toggled, this, &LaunchDialog::scheduleValidation);
    }
    m_goDebugExtra = new QLineEdit(debugBox);
    m_goDebugExtra->setPlaceholderText(tr("more settings, comma-separated (e.g. madvdontneed=1)"));
    m_goDebugExtra->setToolTip(tr("Added to GODEBUG after the switches above"));
    debugLayout->addWidget(m_goDebugExtra);
    layout->addWidget(debugBox);
    layout->addStretch(1);
    connect(m_goTraceback, qOverload<int>(&QComboBox::currentIndexChanged), this, &LaunchDialog::scheduleValidation);
    return page;
}

QWidget* LaunchDialog::buildCaptureTab()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* modeBox = new QGroupBox(tr("Capture mode"), page);
    auto* modeLayout = new QVBoxLayout(modeBox);
    m_focused =
        new QRadioButton(tr("&Focused — process, file, network, signal and output calls (fast; the default)"), modeBox);
    m_full = new QRadioButton(tr("F&ull — every system call, like strace (slower)"), modeBox);
    m_focused->setChecked(true);
    modeLayout->addWidget(m_focused);
    modeLayout->addWidget(m_full);
    layout->addWidget(modeBox);

    // The capture filter: a class left out is never recorded (cheaper), and the session says so.
    auto* classBox = new QGroupBox(tr("Record these classes (capture filter)"), page);
    classBox->setToolTip(tr("Events of a class left out are never recorded; the session keeps the list so a "
                            "reader knows what is missing"));
    auto* classLayout = new QGridLayout(classBox);
    for (int cls = 0; cls < kTracedClassCount; ++cls) {
        const auto name = eventClassName(static_cast<EventClass>(cls));
        auto* box = new QCheckBox(QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size())), classBox);
        box->setObjectName(QStringLiteral("captureClass-") + box->text());
        box->setChecked(true);
        classLayout->addWidget(box, cls / 4, cls % 4);
        m_classes[static_cast<std::size_t>(cls)] = box;
    }
    layout->addWidget(classBox);

    // The expression part of the capture filter: unlike the display filter it cannot be undone
    // later (what it drops is never recorded), so it is checked here and Launch waits for it.
    auto* filterBox = new QGroupBox(tr("Record only events matching (capture filter expression)"), page);
    filterBox->setToolTip(tr("System call and signal events that do not match are dropped and counted, never "
                             "recorded; process and thread events always are. The session keeps the expression."));
    auto* filterLayout = new QVBoxLayout(filterBox);
    m_captureFilter = new QLineEdit(filterBox);
    m_captureFilter->setObjectName(QStringLiteral("captureFilter"));
    m_captureFilter->setPlaceholderText(tr("empty: record everything (e.g. class == file and failed)"));
    m_captureFilter->setClearButtonEnabled(true);
    m_captureFilter->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(m_captureFilter, &QLineEdit::textChanged, this, &LaunchDialog::scheduleValidation);
    filterLayout->addWidget(m_captureFilter);
    m_captureFilterStatus = new FieldMessage(filterBox);
    filterLayout->addWidget(m_captureFilterStatus);
    layout->addWidget(filterBox);

    auto* stdinBox = new QGroupBox(tr("Standard input"), page);
    auto* stdinLayout = new QGridLayout(stdinBox);
    m_stdinNone = new QRadioButton(tr("&None (reads from /dev/null get end-of-file at once)"), stdinBox);
    m_stdinFile = new QRadioButton(tr("From a &file:"), stdinBox);
    m_stdinNone->setChecked(true);
    m_stdinPath = new QLineEdit(stdinBox);
    m_stdinPath->setEnabled(false);
    auto* browse = new QPushButton(tr("Browse…"), stdinBox);
    browse->setEnabled(false);
    connect(browse, &QPushButton::clicked, this, &LaunchDialog::browseStdin);
    connect(m_stdinFile, &QRadioButton::toggled, m_stdinPath, &QWidget::setEnabled);
    connect(m_stdinFile, &QRadioButton::toggled, browse, &QWidget::setEnabled);
    connect(m_stdinFile, &QRadioButton::toggled, this, &LaunchDialog::scheduleValidation);
    connect(m_stdinPath, &QLineEdit::textChanged, this, &LaunchDialog::scheduleValidation);
    stdinLayout->addWidget(m_stdinNone, 0, 0, 1, 3);
    stdinLayout->addWidget(m_stdinFile, 1, 0);
    stdinLayout->addWidget(m_stdinPath, 1, 1);
    stdinLayout->addWidget(browse, 1, 2);
    m_stdinStatus = new FieldMessage(stdinBox);
    stdinLayout->addWidget(m_stdinStatus, 2, 1, 1, 2);
    layout->addWidget(stdinBox);
    auto* note = new QLabel(tr("Output (stdout and stderr) is always captured and shown in the Output pane."), page);
    note->setWordWrap(true);
    layout->addWidget(note);
    layout->addStretch(1);
    return page;
}

void LaunchDialog::setProgram(const QString& program)
{
    m_program->setCurrentText(program);
    restoreForProgram(program);
    validateNow();
}

void LaunchDialog::setArguments(const QString& line)
{
    m_arguments->setText(line);
    validateNow();
}

void LaunchDialog::setWorkingDirectory(const QString& folder)
{
    m_workingDirectoryEdited = true;
    m_workingDirectory->setText(folder);
    validateNow();
}

void LaunchDialog::setSpec(const LaunchSpec& spec)
{
    m_program->setCurrentText(QString::fromStdString(spec.program));
    QStringList args;
    for (const auto& arg : spec.args)
        args << QString::fromStdString(arg);
    m_arguments->setText(ShellWords::join(args));
    m_workingDirectoryEdited = true;
    m_workingDirectory->setText(QString::fromStdString(spec.workingDirectory));
    m_full->setChecked(spec.fullTrace);
    m_focused->setChecked(!spec.fullTrace);
    for (int cls = 0; cls < kTracedClassCount; ++cls)
        m_classes[static_cast<std::size_t>(cls)]->setChecked(spec.classes.has(static_cast<EventClass>(cls)));
    m_stdinFile->setChecked(!spec.stdinFile.empty());
    m_stdinNone->setChecked(spec.stdinFile.empty());
    m_stdinPath->setText(QString::fromStdString(spec.stdinFile));
    m_captureFilter->setText(QString::fromStdString(spec.captureFilter));
    validateNow();
}

void LaunchDialog::restoreForProgram(const QString& program)
{
    QSettings settings;
    const QString key = settingsKeyFor(program);
    if (!settings.contains(key + QStringLiteral("/arguments")))
        return;
    m_arguments->setText(settings.value(key + QStringLiteral("/arguments")).toString());
    const QString folder = settings.value(key + QStringLiteral("/workingDirectory")).toString();
    if (!folder.isEmpty()) {
        m_workingDirectory->setText(folder);
        m_workingDirectoryEdited = true;
    }
    m_captureFilter->setText(settings.value(key + QStringLiteral("/captureFilter")).toString());
}

void LaunchDialog::rememberLaunch() const
{
    const QString program = m_program->currentText().trimmed();
    RecentList(QStringLiteral("launch/recentPrograms")).add(program);
    QSettings settings;
    const QString key = settingsKeyFor(program);
    settings.setValue(key + QStringLiteral("/arguments"), m_arguments->text());
    settings.setValue(key + QStringLiteral("/workingDirectory"), m_workingDirectory->text());
    settings.setValue(key + QStringLiteral("/captureFilter"), m_captureFilter->text().trimmed());
}

QString LaunchDialog::pathVariable() const
{
    return environmentValue(m_environment->apply(systemEnvironment()), QStringLiteral("PATH"));
}

void LaunchDialog::scheduleValidation()
{
    m_validateTimer.start();
}

void LaunchDialog::validateNow()
{
    m_validateTimer.stop();
    validate();
}

void LaunchDialog::validate()
{
    using Severity = ProgramInfo::Severity;
    bool ok = true;

    // Program.
    m_programCheck = ProgramInfo::check(m_program->currentText(), pathVariable());
    updateFacts();
    if (m_programCheck.severity == Severity::Error) {
        ok = false;
        m_programStatus->setMessage(Severity::Error, m_programCheck.message);
    } else if (m_facts.readable && m_facts.foreignArchitecture) {
        m_programStatus->setMessage(Severity::Warning,
            tr("Built for %1, but this machine is %2: it will fail to start (exec format error). You can still "
               "launch it to see how it fails.")
                .arg(m_facts.architecture, ProgramInfo::hostArchitecture()));
    } else if (!m_facts.readable && !m_facts.error.isEmpty()) {
        m_programStatus->setMessage(Severity::Warning,
            tr("%1 — not an executable ExitLens can read (a script runs through its #! line). You can still "
               "launch it.")
                .arg(m_facts.error));
    } else {
        m_programStatus->clear();
    }
    m_programFolder->setEnabled(!m_programCheck.resolvedPath.isEmpty());

    // Arguments.
    const auto words = ShellWords::split(m_arguments->text());
    m_argumentsError = words.error;
    if (!words.error.isEmpty()) {
        ok = false;
        m_argumentsStatus->setMessage(Severity::Error,
            tr("Cannot split the arguments: %1 (at character %2).").arg(words.error).arg(words.errorPosition + 1));
    } else {
        m_argumentsStatus->clear();
    }
    QStringList argvText;
    const QStringList vector = argv();
    for (int i = 0; i < vector.size(); ++i)
        argvText << QStringLiteral("<span style='color:%1'>[%2]</span>&nbsp;<code>%3</code>")
                        .arg(Theme::mutedText(palette()).name())
                        .arg(i)
                        .arg(vector[i].toHtmlEscaped());
    m_argv->setText(tr("argv: %1").arg(argvText.join(QStringLiteral("&nbsp;&nbsp; "))));

    // Working directory: the program's own folder until the user picks one.
    if (!m_workingDirectoryEdited && !m_programCheck.resolvedPath.isEmpty()) {
        const QSignalBlocker blocker(m_workingDirectory);
        m_workingDirectory->setText(QFileInfo(m_programCheck.resolvedPath).absolutePath());
    }
    const QString folder = m_workingDirectory->text().trimmed();
    m_workingDirectoryError.clear();
    if (folder.isEmpty()) {
        m_workingDirectoryError = tr("Choose the folder the program starts in.");
    } else {
        const QFileInfo info(folder);
        if (!info.exists())
            m_workingDirectoryError = tr("This folder does not exist.");
        else if (!info.isDir())
            m_workingDirectoryError = tr("This is a file, not a folder.");
        else if (!info.isExecutable())
            m_workingDirectoryError = tr("This folder cannot be entered (no search permission).");
        else if (QFileInfo(folder).isRelative())
            m_workingDirectoryError = tr("Use an absolute path.");
    }
    if (!m_workingDirectoryError.isEmpty()) {
        ok = false;
        m_workingDirectoryStatus->setMessage(Severity::Error, m_workingDirectoryError);
    } else {
        m_workingDirectoryStatus->clear();
    }

    // Environment.
    const QString environmentError = m_environment->validationError();
    if (!environmentError.isEmpty()) {
        ok = false;
        m_environmentStatus->setMessage(Severity::Error, environmentError);
    } else {
        m_environmentStatus->clear();
    }

    // Stdin.
    if (m_stdinFile->isChecked()) {
        const QFileInfo info(m_stdinPath->text().trimmed());
        if (m_stdinPath->text().trimmed().isEmpty()) {
            ok = false;
            m_stdinStatus->setMessage(Severity::Error, tr("Choose the file to read standard input from."));
        } else if (!info.isFile() || !info.isReadable()) {
            ok = false;
            m_stdinStatus->setMessage(Severity::Error, tr("No readable file here."));
        } else {
            m_stdinStatus->clear();
        }
    } else {
        m_stdinStatus->clear();
    }

    // Capture filter expression: an incomplete one is an error here too, since Launch would use it.
    const QString expression = m_captureFilter->text().trimmed();
    const FilterParseResult parsed = FilterParser::parse(expression.toStdString());
    if (parsed.state == FilterParseResult::State::Invalid || parsed.state == FilterParseResult::State::Incomplete) {
        ok = false;
        // Byte offset to a character column: the expression may hold non-ASCII text.
        const qsizetype column = QString::fromUtf8(expression.toUtf8().left(qsizetype(parsed.errorPosition))).size();
        const QString error = QString::fromStdString(parsed.error);
        m_captureFilterStatus->setMessage(Severity::Error,
            parsed.state == FilterParseResult::State::Incomplete
                ? tr("Unfinished expression: %1").arg(error.isEmpty() ? tr("it needs more") : error)
                : tr("%1 (at column %2)").arg(error).arg(column + 1));
    } else {
        m_captureFilterStatus->clear();
    }

    m_valid = ok;
    m_launch->setEnabled(ok);
}

void LaunchDialog::updateFacts()
{
    const QString path = m_programCheck.resolvedPath;
    if (path != m_factsFor) {
        m_factsFor = path;
        m_facts = path.isEmpty() || !QFileInfo(path).isFile() ? ProgramInfo::Facts {} : ProgramInfo::inspect(path);
    }
    const QString muted = Theme::mutedText(palette()).name();
    if (path.isEmpty() || !m_facts.readable) {
        m_factsLabel->clear();
        m_factsLabel->hide();
        m_goFacts->setText(path.isEmpty() ? tr("Choose a program to see its Go build information.")
                                          : tr("<b>Not a Go program</b>: ExitLens cannot read this file as an "
                                               "executable."));
        return;
    }
    // One line under the program field: what kind of executable this is.
    QStringList parts;
    if (m_facts.isGo) {
        QString go = QStringLiteral("<b>Go program</b> · %1").arg(m_facts.goVersion.toHtmlEscaped());
        if (!m_facts.mainPath.isEmpty())
            go += QStringLiteral(" · %1").arg(m_facts.mainPath.toHtmlEscaped());
        if (!m_facts.cgo.isEmpty())
            go += tr(" · cgo %1").arg(m_facts.cgo.toHtmlEscaped());
        parts << go;
    } else {
        parts << tr("<b>Not a Go program</b>");
    }
    parts << QStringLiteral("<span style='color:%1'>%2</span>").arg(muted, m_facts.format.toHtmlEscaped());
    m_factsLabel->setText(parts.join(QStringLiteral(" · ")));
    m_factsLabel->show();

    // The Go tab: the build information in full.
    if (m_facts.isGo) {
        QString html = tr("<b>Build information</b><table cellspacing='2'>");
        const auto row = [&](const QString& name, const QString& value) {
            if (!value.isEmpty())
                html += QStringLiteral("<tr><td style='color:%1;padding-right:12px'>%2</td><td>%3</td></tr>")
                            .arg(muted, name, value.toHtmlEscaped());
        };
        row(tr("Go version"), m_facts.goVersion);
        row(tr("Main module"), m_facts.mainPath);
        row(tr("Module version"), m_facts.moduleVersion);
        row(tr("cgo"), m_facts.cgo);
        row(tr("GOARCH"), m_facts.goArch);
        row(tr("Executable"), m_facts.format);
        html += QStringLiteral("</table>");
        m_goFacts->setText(html);
    } else {
        m_goFacts->setText(
            tr("<b>Not a Go program</b>%1. The Go switches below are passed anyway; they do "
               "nothing for other programs.")
                .arg(m_facts.notGo.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(m_facts.notGo.toHtmlEscaped())));
    }
}

void LaunchDialog::browseProgram()
{
    QFileDialog dialog(this, tr("Choose a program to launch"));
    // Qt's own dialog: the platform's native one cannot be limited to executable files.
    dialog.setOption(QFileDialog::DontUseNativeDialog);
    dialog.setFileMode(QFileDialog::ExistingFile);
    dialog.setFilter(QDir::AllDirs | QDir::Executable | QDir::NoDotAndDotDot | QDir::Files);
    dialog.setNameFilter(tr("Executables (*)"));
    const QString current = m_programCheck.resolvedPath;
    dialog.setDirectory(current.isEmpty() ? QDir::currentPath() : QFileInfo(current).absolutePath());
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    setProgram(dialog.selectedFiles().front());
}

void LaunchDialog::browseWorkingDirectory()
{
    const QString start = m_workingDirectory->text().isEmpty() ? QDir::currentPath() : m_workingDirectory->text();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Choose the working directory"), start);
    if (!folder.isEmpty())
        setWorkingDirectory(folder);
}

void LaunchDialog::browseStdin()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Read standard input from"), m_workingDirectory->text());
    if (!file.isEmpty())
        m_stdinPath->setText(file);
}

QStringList LaunchDialog::argv() const
{
    QString program = m_program->currentText().trimmed();
    // The launcher gets an absolute path (so it does not depend on the working directory);
    // argv[0] is that path, as a shell would pass it.
    if (!m_programCheck.resolvedPath.isEmpty() && program.contains(QLatin1Char('/')))
        program = m_programCheck.resolvedPath;
    QStringList vector { program };
    const auto words = ShellWords::split(m_arguments->text());
    vector << words.words;
    return vector;
}

bool LaunchDialog::canLaunch() const
{
    return m_valid;
}

QString LaunchDialog::programMessage() const
{
    return m_programStatus->text();
}

ProgramInfo::Severity LaunchDialog::programSeverity() const
{
    return m_programStatus->text().isEmpty() ? ProgramInfo::Severity::Ok : m_programStatus->severity();
}

QString LaunchDialog::argumentsMessage() const
{
    return m_argumentsStatus->text();
}

QString LaunchDialog::workingDirectoryMessage() const
{
    return m_workingDirectoryStatus->text();
}

QString LaunchDialog::captureFilterMessage() const
{
    return m_captureFilterStatus->text();
}

LaunchSpec LaunchDialog::spec() const
{
    LaunchSpec spec;
    const QStringList vector = argv();
    spec.program = vector.front().toStdString();
    for (int i = 1; i < vector.size(); ++i)
        spec.args.push_back(vector[i].toStdString());
    spec.workingDirectory = QDir::cleanPath(m_workingDirectory->text().trimmed()).toStdString();
    QStringList environment = m_environment->apply(systemEnvironment());
    const QString traceback = m_goTraceback->currentData().toString();
    if (!traceback.isEmpty()) {
        environment.erase(std::remove_if(environment.begin(), environment.end(),
                              [](const QString& e) { return e.startsWith(QLatin1String("GOTRACEBACK=")); }),
            environment.end());
        environment << QStringLiteral("GOTRACEBACK=") + traceback;
    }
    QStringList debug;
    for (QCheckBox* box : m_goDebugPresets) {
        if (box->isChecked())
            debug << box->property("setting").toString();
    }
    for (const QString& part : m_goDebugExtra->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        debug << part.trimmed();
    if (!debug.isEmpty()) {
        // Settings the user already had in GODEBUG stay; the switches are appended.
        QString existing = environmentValue(environment, QStringLiteral("GODEBUG"));
        environment.erase(std::remove_if(environment.begin(), environment.end(),
                              [](const QString& e) { return e.startsWith(QLatin1String("GODEBUG=")); }),
            environment.end());
        if (!existing.isEmpty())
            debug.prepend(existing);
        environment << QStringLiteral("GODEBUG=") + debug.join(QLatin1Char(','));
    }
    for (const QString& entry : std::as_const(environment))
        spec.environment.push_back(entry.toStdString());
    spec.stdio = StdioMode::Pipes;
    if (m_stdinFile->isChecked())
        spec.stdinFile = m_stdinPath->text().trimmed().toStdString();
    spec.fullTrace = m_full->isChecked();
    spec.classes = CaptureClasses::none();
    for (int cls = 0; cls < kTracedClassCount; ++cls) {
        if (m_classes[static_cast<std::size_t>(cls)]->isChecked())
            spec.classes.add(static_cast<EventClass>(cls));
    }
    spec.captureFilter = m_captureFilter->text().trimmed().toStdString();
    return spec;
}

} // namespace exitlens
