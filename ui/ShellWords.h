#pragma once

#include <QString>
#include <QStringList>

namespace exitlens {

// POSIX-shell-style word splitting for the launch dialog's argument line, without expansion:
// whitespace separates words; 'single quotes' are literal; "double quotes" allow \" \\ \$ \`
// escapes; a backslash outside quotes escapes the next character. No variables, globs or
// command substitution: what you type is what the program receives.
class ShellWords {
public:
    struct Result {
        QStringList words;
        QString error; // empty when the line parsed ("unterminated double quote")
        int errorPosition = -1;
    };
    static Result split(const QString& line);
    // Quotes one word so split() gives it back unchanged; plain words stay as they are.
    static QString quote(const QString& word);
    static QString join(const QStringList& words);
};

} // namespace exitlens
