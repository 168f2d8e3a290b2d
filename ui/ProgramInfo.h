#pragma once

#include <QString>
#include <QStringList>

namespace exitlens {

// What the launch dialog says about a program before it runs: where it is, whether it can be
// executed at all, and what kind of executable it is (ELF facts and Go build info from the
// core's binary reader). A program for another architecture, or a broken one, is reported but
// still launchable: that is exactly what ExitLens diagnoses.
class ProgramInfo {
public:
    enum class Severity { Ok, Warning, Error };

    struct Check {
        Severity severity = Severity::Ok;
        QString resolvedPath; // absolute path that will be executed ("" when not found)
        QString message; // said next to the field; empty when all is well
    };

    struct Facts {
        bool readable = false;
        QString format; // "ELF 64-bit x86-64 executable, statically linked"
        bool isGo = false;
        QString goVersion; // "go1.19.8"
        QString mainPath; // main package or module path
        QString moduleVersion;
        QString cgo; // "off", "on (runtime/cgo linked)", "CGO_ENABLED=1"
        QString goArch; // GOARCH build setting
        QString ownModule; // whose frames are "the program's own" in a traceback
        QString notGo; // why it is not a Go program
        QString architecture; // "x86-64"
        bool foreignArchitecture = false; // built for a different machine than this one
        QString error;
    };

    // Resolves PROGRAM the way the launcher will: a path with a slash is taken relative to
    // ExitLens's own current folder; a bare name is searched in pathVariable (the target's PATH).
    static Check check(const QString& program, const QString& pathVariable);
    static Facts inspect(const QString& path);
    // The architecture name the binary reader uses for this machine ("x86-64").
    static QString hostArchitecture();
};

} // namespace exitlens
