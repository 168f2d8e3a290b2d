#pragma once

// What the window tests share: the path and launch spec of a fixture from tests/programs, a
// CaptureEngine in its own thread (as the window runs it) that runs one spec to the end, and a
// shown MainWindow.
#include "trace/LaunchSpec.h"

#include <QObject>
#include <QString>
#include <QThread>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace exitlens {
class CaptureData;
class CaptureEngine;
class MainWindow;
} // namespace exitlens

namespace exitlens::test {

// The built fixture NAME (tests/programs/NAME.go).
QString fixture(const QString& name);

struct FixtureSpecOptions {
    bool pipes = false; // StdioMode::Pipes, so the capture records the program's output
    bool systemEnvironment = false; // the test's own environment, not an empty one
};

LaunchSpec fixtureSpec(const QString& name, const QString& workingDirectory, std::vector<std::string> args = {},
    FixtureSpecOptions options = {});

// A MainWindow without confirmation dialogs, at a fixed size, shown and exposed; null when the
// platform never exposed it.
std::unique_ptr<MainWindow> newShownWindow();

// A CaptureEngine living in its own thread for the lifetime of this object.
class ThreadedEngine {
public:
    ThreadedEngine();
    ~ThreadedEngine();
    ThreadedEngine(const ThreadedEngine&) = delete;
    ThreadedEngine& operator=(const ThreadedEngine&) = delete;

    // Runs spec to its end, calling onStart with the capture, onBatch on every tick and
    // onProcesses when the process table changes (each only when set), on the calling thread.
    // Returns the capture; a timeout is recorded as a test failure.
    std::shared_ptr<const CaptureData> capture(const LaunchSpec& spec,
        const std::function<void(std::shared_ptr<const CaptureData>)>& onStart = {},
        const std::function<void(quint64, quint64)>& onBatch = {}, const std::function<void()>& onProcesses = {});

private:
    QThread m_thread;
    CaptureEngine* m_engine = nullptr;
    QObject m_receiver; // lives in the calling thread, so the signals arrive queued there
};

} // namespace exitlens::test
