#pragma once

#include <QString>
#include <QStringList>

namespace exitlens {

// Finds the bundled demo program (a small Go service that fails because its config.json is
// missing) and makes the empty folder it must run in.
class DemoLocator {
public:
    // Where the demo is looked for, in order: $EXITLENS_DEMO, next to the executable in a build
    // tree (<build>/app/exitlens -> <build>/demo/exitlens-demo), next to the executable itself,
    // and the installed location /usr/lib/exitlens/demo/exitlens-demo.
    static QStringList candidates();
    // The first candidate that is an executable file; empty when there is none.
    static QString findDemo();
    // A new, empty folder under the system's temporary folder (so no config.json is there);
    // empty and error set when it cannot be made.
    static QString createWorkingDirectory(QString* error = nullptr);
};

} // namespace exitlens
