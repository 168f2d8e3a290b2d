#include "ShellWords.h"

namespace exitlens {

ShellWords::Result ShellWords::split(const QString& line)
{
    Result result;
    QString word;
    bool inWord = false;
    enum class Quote { None, Single, Double } quote = Quote::None;
    int quoteStart = -1;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        switch (quote) {
        case Quote::Single:
            if (c == u'\'')
                quote = Quote::None;
            else
                word += c;
            continue;
        case Quote::Double:
            if (c == u'"') {
                quote = Quote::None;
            } else if (c == u'\\' && i + 1 < line.size()
                && (line[i + 1] == u'"' || line[i + 1] == u'\\' || line[i + 1] == u'$' || line[i + 1] == u'`')) {
                word += line[++i];
            } else {
                word += c;
            }
            continue;
        case Quote::None:
            break;
        }
        if (c.isSpace()) {
            if (inWord) {
                result.words << word;
                word.clear();
                inWord = false;
            }
        } else if (c == u'\'') {
            quote = Quote::Single;
            quoteStart = i;
            inWord = true;
        } else if (c == u'"') {
            quote = Quote::Double;
            quoteStart = i;
            inWord = true;
        } else if (c == u'\\') {
            inWord = true;
            if (i + 1 < line.size())
                word += line[++i];
            else {
                result.error = QStringLiteral("a backslash at the end escapes nothing");
                result.errorPosition = i;
            }
        } else {
            word += c;
            inWord = true;
        }
    }
    if (quote != Quote::None) {
        result.error = quote == Quote::Single ? QStringLiteral("unterminated single quote")
                                              : QStringLiteral("unterminated double quote");
        result.errorPosition = quoteStart;
    }
    if (inWord)
        result.words << word;
    return result;
}

QString ShellWords::quote(const QString& word)
{
    if (word.isEmpty())
        return QStringLiteral("''");
    bool plain = true;
    for (QChar c : word) {
        if (!(c.isLetterOrNumber() || QStringLiteral("-_./=:,+@%").contains(c))) {
            plain = false;
            break;
        }
    }
    if (plain)
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString ShellWords::join(const QStringList& words)
{
    QStringList quoted;
    for (const QString& word : words)
        quoted << quote(word);
    return quoted.join(QLatin1Char(' '));
}

} // namespace exitlens
