#pragma once

#include "ExitStatus.h"

#include <QDateTime>
#include <QFileInfoList>
#include <QString>

namespace exitlens {

// Where captures are saved automatically, and what they are called: the program, the date and
// the outcome, so a folder listing reads like a history ("inventory-service 2026-11-29 05.57.19
// exit 1.exitlens").
class SessionPaths {
public:
    // <user data folder>/exitlens/sessions (QStandardPaths::GenericDataLocation, normally
    // ~/.local/share), created on demand.
    // Empty when it cannot be created.
    static QString autosaveFolder();

    // "exit 1", "SIGKILL", "launch failed", "running" (a capture still going, or interrupted).
    static QString outcomeLabel(const ExitStatus& status);

    // A file name (no folder) from the program's base name, the capture's start (local time)
    // and the outcome; characters that are awkward in file names are replaced.
    static QString fileName(const QString& program, const QDateTime& started, const QString& outcome);

    // A path in folder that does not exist yet (" (2)", " (3)"... appended when needed).
    static QString uniquePath(const QString& folder, const QString& fileName);

    // The autosave path for a capture starting now (outcome "running"; see renameForOutcome).
    static QString autosavePath(const QString& program, const QDateTime& started);

    // After the capture ended and its writer closed the file: renames an autosaved file to carry
    // the outcome. Returns the new path, or the old one if the rename failed.
    static QString renameForOutcome(
        const QString& path, const QString& program, const QDateTime& started, const ExitStatus& status);

    // Sessions in the autosave folder, newest first (for the welcome screen).
    static QFileInfoList recentSessions(int limit = 20);
};

} // namespace exitlens
