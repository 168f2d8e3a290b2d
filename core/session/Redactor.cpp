#include "Redactor.h"

#include "SessionConnection.h"
#include "SessionFile.h"
#include "SessionLoader.h"
#include "SessionSchema.h"
#include "logging/Logging.h"
#include "report/OutputFile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

namespace exitlens {

namespace {
constexpr const char* kSecretWords[] = { "TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL", "AUTH", "COOKIE",
    "SESSION" };

std::string upper(std::string_view text)
{
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
        [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return result;
}

// How the value appears inside a JSON string (the args, environment and verdict columns).
std::string jsonForm(const std::string& value)
{
    const QByteArray json =
        QJsonDocument(QJsonArray { QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size())) })
            .toJson(QJsonDocument::Compact);
    // ["..."] -> ...
    return json.size() >= 4 ? std::string(json.constData() + 2, static_cast<std::size_t>(json.size() - 4)) : value;
}

// As the tracer writes a string into an event's detail (ArgumentDecoder's appendEscaped): \n,
// \t, \r and \\ spelled out, a quote escaped inside quotes, every other byte outside printable
// ASCII as \xHH.
std::string cForm(std::string_view value, bool quoted)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += quoted ? "\\\"" : "\"";
        else if (byte >= 0x20 && byte < 0x7f)
            out += c;
        else {
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xf];
        }
    }
    return out;
}

// JSON with every non-ASCII character as \uXXXX (what other JSON writers than Qt's produce).
std::string asciiJsonForm(const std::string& value)
{
    const QString text = QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
    std::string out;
    for (const QChar c : text) {
        const char16_t unit = c.unicode();
        if (unit == '"' || unit == '\\')
            out += { '\\', static_cast<char>(unit) };
        else if (unit == '\n')
            out += "\\n";
        else if (unit == '\t')
            out += "\\t";
        else if (unit == '\r')
            out += "\\r";
        else if (unit >= 0x20 && unit < 0x7f)
            out += static_cast<char>(unit);
        else
            out += QString::asprintf("\\u%04x", unit).toStdString();
    }
    return out;
}

// Percent-encoding of every byte outside RFC 3986's unreserved set, with upper- or lower-case hex
// (and, for forms, '+' for a space).
std::string urlForm(std::string_view value, bool lowerHex, bool plusForSpace)
{
    const char* hex = lowerHex ? "0123456789abcdef" : "0123456789ABCDEF";
    std::string out;
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~')
            out += c;
        else if (c == ' ' && plusForSpace)
            out += '+';
        else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        }
    }
    return out;
}

// Base64 of the value as it reads inside a longer encoded text, at each of the three alignments
// it can have there: only the characters that encode the value's bytes alone (the ones at the
// edges also depend on the neighbours), in the standard and the URL-safe alphabet.
std::vector<std::string> base64Forms(const std::string& value)
{
    std::vector<std::string> forms;
    for (std::size_t skip = 0; skip < 3 && skip < value.size(); ++skip) {
        const std::size_t whole = (value.size() - skip) / 3 * 3;
        if (whole < 12)
            continue;
        const QByteArray bytes(value.data() + skip, static_cast<qsizetype>(whole));
        forms.push_back(bytes.toBase64().toStdString());
        forms.push_back(bytes.toBase64(QByteArray::Base64UrlEncoding).toStdString());
    }
    return forms;
}

// Every spelling of a value a session can hold: raw (paths, output), JSON-escaped (args,
// environment, verdict, build info), C-escaped as the tracer writes event details (and that
// again inside JSON), URL-encoded, and base64 for values long enough not to match by chance.
std::vector<std::string> spellings(const std::string& value)
{
    std::vector<std::string> forms { value, jsonForm(value), asciiJsonForm(value) };
    for (const bool quoted : { true, false }) {
        const std::string c = cForm(value, quoted);
        forms.push_back(c);
        forms.push_back(jsonForm(c));
    }
    for (const bool lower : { false, true }) {
        for (const bool plus : { false, true })
            forms.push_back(urlForm(value, lower, plus));
    }
    if (value.size() >= Redactor::kMinBase64Length) {
        for (auto& form : base64Forms(value))
            forms.push_back(std::move(form));
    }
    std::sort(forms.begin(), forms.end());
    forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
    std::erase_if(forms, [](const std::string& form) { return form.empty(); });
    return forms;
}

std::size_t replaceAll(std::string& text, const std::string& from, const std::string& to)
{
    if (from.empty())
        return 0;
    std::size_t count = 0;
    std::size_t position = 0;
    while ((position = text.find(from, position)) != std::string::npos) {
        text.replace(position, from.size(), to);
        position += to.size();
        ++count;
    }
    return count;
}

// The plan as (from, to, item) triples, longest first, JSON-escaped forms included.
struct Compiled {
    struct Pair {
        std::string from;
        std::string to;
        std::size_t item;
    };
    std::vector<Pair> pairs;

    explicit Compiled(const RedactionPlan& plan)
    {
        for (std::size_t i = 0; i < plan.items.size(); ++i) {
            const RedactionItem& item = plan.items[i];
            if (!item.enabled || item.value.empty())
                continue;
            for (auto& form : spellings(item.value))
                pairs.push_back({ std::move(form), item.replacement, i });
            // A write's preview in an event's detail is cut after a few dozen bytes ("...", see
            // ArgumentDecoder::printableBytes): the start of a value that the cut ends.
            for (std::size_t keep = Redactor::kMinGlobalLength; keep < std::min<std::size_t>(item.value.size(), 128);
                 ++keep)
                pairs.push_back({ cForm(std::string_view(item.value).substr(0, keep), true) + "\"...",
                    item.replacement + "\"...", i });
        }
        std::stable_sort(
            pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.from.size() > b.from.size(); });
    }

    std::string apply(std::string_view input, std::vector<quint64>* counts) const
    {
        std::string text(input);
        for (const auto& pair : pairs) {
            const std::size_t n = replaceAll(text, pair.from, pair.to);
            if (n && counts)
                (*counts)[pair.item] += n;
        }
        return text;
    }
};

class PlanBuilder {
public:
    explicit PlanBuilder(RedactionPlan& plan)
        : m_plan(plan)
    {
    }

    void add(const QString& kind, const QString& label, const std::string& value, const std::string& context,
        const std::string& contextReplacement, const char* replacement = Redactor::kMarker)
    {
        if (value.empty())
            return;
        RedactionItem item;
        item.kind = kind;
        item.label = label;
        item.replacement = replacement;
        if (value.size() >= Redactor::kMinGlobalLength || context.empty()) {
            item.value = value;
        } else {
            // Too short to hunt everywhere: replace it where it stands (NAME=value, --opt=value).
            item.value = context;
            item.replacement = contextReplacement;
            item.everywhere = false;
            m_plan.notes << QString("%1 (%2) is only %3 characters long: it is replaced where it is assigned, not "
                                    "everywhere else")
                                .arg(label, kind)
                                .arg(value.size());
        }
        const QString source = kind + ": " + label;
        if (auto found = m_seen.find(item.value); found != m_seen.end()) {
            // The same value found again elsewhere: one replacement, every place listed.
            QStringList& sources = m_plan.items[found->second].sources;
            if (!sources.contains(source))
                sources << source;
            return;
        }
        item.sources << source;
        m_seen.emplace(item.value, m_plan.items.size());
        m_plan.items.push_back(std::move(item));
    }

    // NAME=VALUE where NAME looks secret.
    void assignment(const QString& kind, const QString& where, const std::string& text)
    {
        static const QRegularExpression pattern(
            QStringLiteral("(?:^|[\\s\"'&?;,])(-{0,2}[A-Za-z_][A-Za-z0-9_.\\-]*)=([^\\s\"'&;,]+)"));
        const QString qtext = QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
        auto matches = pattern.globalMatch(qtext);
        while (matches.hasNext()) {
            const auto match = matches.next();
            const std::string name = match.captured(1).toStdString();
            const std::string value = match.captured(2).toStdString();
            if (!Redactor::secretName(name))
                continue;
            add(kind,
                where.isEmpty() ? QString::fromStdString(name) : QString::fromStdString(name) + " (" + where + ")",
                value, name + "=" + value, name + "=" + Redactor::kMarker);
        }
    }

    // scheme://user:password@host
    void urls(const QString& where, const std::string& text)
    {
        if (text.find("://") == std::string::npos)
            return;
        static const QRegularExpression pattern(
            QStringLiteral("([A-Za-z][A-Za-z0-9+.\\-]*://)([^:/@\\s]+):([^@/\\s]+)@"));
        auto matches = pattern.globalMatch(QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())));
        while (matches.hasNext()) {
            const auto match = matches.next();
            const std::string user = match.captured(2).toStdString();
            const std::string password = match.captured(3).toStdString();
            const std::string whole = user + ":" + password + "@";
            add("url",
                match.captured(1) + match.captured(2) + "@…" + (where.isEmpty() ? QString() : " (" + where + ")"),
                password, whole, user + ":" + Redactor::kMarker + "@");
        }
    }

    void arguments(const QString& where, const std::vector<std::string>& args)
    {
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string& arg = args[i];
            // An argument is one value: "--password=VALUE" or "main.secret=VALUE" assigns all of
            // the rest, quotes, spaces and backslashes included (the free-text rule below stops
            // at those).
            static const QRegularExpression whole(QStringLiteral("^(-{0,2}[A-Za-z_][A-Za-z0-9_.\\-]*)=(.+)$"),
                QRegularExpression::DotMatchesEverythingOption);
            const auto match = whole.match(QString::fromUtf8(arg.data(), static_cast<qsizetype>(arg.size())));
            if (match.hasMatch() && Redactor::secretName(match.captured(1).toStdString())) {
                const std::string name = match.captured(1).toStdString();
                const std::string value = arg.substr(arg.find('=') + 1);
                add("argument", QString::fromStdString(name) + " (" + where + ")", value, arg,
                    name + "=" + Redactor::kMarker);
            } else {
                assignment("argument", where, arg);
            }
            urls(where, arg);
            // "--password VALUE": the value is the next argument.
            if (arg.size() > 1 && arg[0] == '-' && arg.find('=') == std::string::npos && secretName(arg)
                && i + 1 < args.size() && !args[i + 1].empty() && args[i + 1][0] != '-')
                add("argument", QString::fromStdString(arg) + " (" + where + ")", args[i + 1], {}, {});
        }
    }

    void environment(const std::vector<std::string>& entries)
    {
        for (const auto& entry : entries) {
            const auto equals = entry.find('=');
            if (equals == std::string::npos)
                continue;
            const std::string name = entry.substr(0, equals);
            const std::string value = entry.substr(equals + 1);
            if (Redactor::secretName(name))
                add("environment", QString::fromStdString(name), value, entry, name + "=" + Redactor::kMarker);
            urls(QString::fromStdString(name), value);
        }
    }

    static bool secretName(const std::string& name) { return Redactor::secretName(name); }

private:
    RedactionPlan& m_plan;
    std::map<std::string, std::size_t> m_seen; // value -> its item
};

// Every text a loaded session holds, for counting occurrences.
void forEachText(const CaptureData& data, const SessionInfo& info, const std::function<void(std::string_view)>& visit)
{
    const LaunchSpec& spec = data.spec();
    visit(spec.program);
    visit(spec.workingDirectory);
    for (const auto& arg : spec.args)
        visit(arg);
    for (const auto& entry : spec.environment)
        visit(entry);
    const LaunchContext context = data.context();
    visit(context.resolvedProgram);
    visit(context.cwd);
    visit(context.user);
    visit(context.hostname);
    for (const auto& entry : context.environment)
        visit(entry);
    for (const auto& process : data.processes().snapshot()) {
        visit(process.exe);
        visit(process.cwd);
        for (const auto& arg : process.argv)
            visit(arg);
        for (const auto& file : process.exitContext.openFiles) {
            visit(file.target);
            for (const auto& line : file.tail) // the last lines of files it wrote: redacted like any text
                visit(line);
        }
    }
    const std::size_t strings = data.strings().size();
    for (std::size_t id = 1; id < strings; ++id)
        visit(data.text(static_cast<StringId>(id)));
    for (int stream = 1; stream <= 2; ++stream) {
        const auto view = data.outputLog().stream(stream);
        visit(view.head);
        visit(view.tail);
    }
    if (const auto verdict = data.verdict()) {
        visit(verdict->headline);
        visit(verdict->explanation);
        for (const auto& item : verdict->evidence)
            visit(item.text);
        for (const auto& suggestion : verdict->suggestions)
            visit(suggestion);
    }
    visit(std::string_view(info.goBuildInfo.constData(), static_cast<std::size_t>(info.goBuildInfo.size())));
    visit(std::string_view(info.elfFacts.constData(), static_cast<std::size_t>(info.elfFacts.size())));
}

// The tables copied into the redacted file, with their columns (fixed strings, never read from the
// file), and which of those columns hold text that may carry a secret.
struct TableCopy {
    const char* table;
    const char* columns;
    const char* key;
    std::vector<const char*> textColumns;
    std::vector<const char*> blobColumns;
};

const std::vector<TableCopy>& copies()
{
    static const std::vector<TableCopy> tables = {
        { "meta",
            "schema_version, exitlens_version, created, finished, complete, host_os, kernel, arch, hostname, "
            "redacted",
            "rowid", { "hostname" }, {} },
        { "target",
            "program, resolved, args, cwd, environment, launch_context, capture_mode, capture_classes, stdio, "
            "stdin_file, run_as_user, go_build_info, elf_facts",
            "rowid",
            { "program", "resolved", "args", "cwd", "environment", "launch_context", "stdin_file", "run_as_user",
                "go_build_info", "elf_facts", "capture_filter" },
            {} },
        { "summary",
            "exit_kind, exit_code, exit_signal, signal_name, core_dumped, launch_errno, description, "
            "shell_status, error, events, processes, threads, dropped, stopped_by_user",
            "rowid", { "description", "error" }, {} },
        { "verdict", "category, headline, confidence, json", "rowid", { "headline", "json" }, {} },
        { "processes",
            "id, pid, ppid, exe, argv, cwd, start_ns, end_ns, start_seq, end_seq, threads, exit_kind, "
            "exit_code, exit_signal, core_dumped, launch_errno, exit_description, context_captured, context_complete, "
            "open_files, peak_rss_kib, rss_kib, address_space_limit, open_files_limit, cgroup, "
            "cgroup_memory_limit, cgroup_oom_kills",
            "id", { "exe", "argv", "cwd", "exit_description", "open_files", "cgroup" }, {} },
        { "strings", "id, text", "id", { "text" }, {} },
        { "events", "seq, time_ns, pid, tid, kind, class, op, path, detail, result, errno, duration_ns, flags", "seq",
            {}, {} },
        { "stacks", "seq, pid, pcs, symbolized", "seq", { "symbolized" }, {} },
        { "output_chunks", "seq, stream, pid, offset, length", "seq", {}, {} },
        { "output_streams", "stream, name, head, tail, total_bytes, omitted_bytes", "stream", {}, { "head", "tail" } },
        { "notes", "id, target, seq, bookmark, text, created, modified", "id", { "text" }, {} },
        { "filters", "id, name, expression, created", "id", { "name", "expression" }, {} },
    };
    return tables;
}
} // namespace

bool Redactor::secretName(std::string_view name)
{
    const std::string text = upper(name);
    for (const char* word : kSecretWords) {
        if (text.find(word) != std::string::npos)
            return true;
    }
    return false;
}

RedactionPlan Redactor::preview(const CaptureData& data, const SessionInfo& info, const RedactionOptions& options)
{
    RedactionPlan plan;
    PlanBuilder builder(plan);
    const LaunchSpec& spec = data.spec();
    const LaunchContext context = data.context();
    builder.environment(spec.environment);
    builder.environment(context.environment);
    builder.arguments("command line", spec.args);
    for (const auto& process : data.processes().snapshot()) {
        if (process.argv.size() > 1)
            builder.arguments(QString("pid %1").arg(process.pid),
                std::vector<std::string>(process.argv.begin() + 1, process.argv.end()));
    }
    const std::string buildInfo(info.goBuildInfo.constData(), static_cast<std::size_t>(info.goBuildInfo.size()));
    const std::string elfFacts(info.elfFacts.constData(), static_cast<std::size_t>(info.elfFacts.size()));
    builder.assignment("assignment", "build info", buildInfo);
    builder.assignment("assignment", "ELF facts", elfFacts);
    // Strings the program produced (paths, details, output): URLs with passwords and secret-looking
    // assignments the program printed.
    const std::size_t strings = data.strings().size();
    for (std::size_t id = 1; id < strings; ++id) {
        const std::string text(data.text(static_cast<StringId>(id)));
        builder.urls({}, text);
        if (text.find('=') != std::string::npos)
            builder.assignment("assignment", "recorded text", text);
    }
    for (int stream = 1; stream <= 2; ++stream) {
        const auto view = data.outputLog().stream(stream);
        for (const std::string* part : { &view.head, &view.tail }) {
            builder.urls(stream == 1 ? "stdout" : "stderr", *part);
            builder.assignment("assignment", stream == 1 ? "stdout" : "stderr", *part);
        }
    }
    for (const auto& value : options.extraValues)
        builder.add("extra", "requested", value, {}, {});
    if (options.userAndHome) {
        std::string home;
        std::string user = context.user;
        for (const auto* entries : { &context.environment, &spec.environment }) {
            for (const auto& entry : *entries) {
                if (entry.rfind("HOME=", 0) == 0 && home.empty())
                    home = entry.substr(5);
                if (entry.rfind("USER=", 0) == 0 && user.empty())
                    user = entry.substr(5);
            }
        }
        if (home.size() > 1) // never "/"
            builder.add("home", "home folder", home, {}, {}, "[home]");
        if (user.size() >= 3)
            builder.add("user", "user name", user, {}, {}, "[user]");
        else if (!user.empty())
            plan.notes
                << QString("the user name \"%1\" is too short to replace safely").arg(QString::fromStdString(user));
    }
    // Longest first, so a value inside another is replaced as part of the longer one.
    std::stable_sort(plan.items.begin(), plan.items.end(),
        [](const RedactionItem& a, const RedactionItem& b) { return a.value.size() > b.value.size(); });
    const Compiled compiled(plan);
    std::vector<quint64> counts(plan.items.size(), 0);
    forEachText(data, info, [&](std::string_view text) {
        if (!text.empty())
            compiled.apply(text, &counts);
    });
    for (std::size_t i = 0; i < plan.items.size(); ++i)
        plan.items[i].occurrences = counts[i];
    return plan;
}

bool Redactor::preview(const QString& path, const RedactionOptions& options, RedactionPlan& plan, QString& error)
{
    SessionLoader loader(path);
    SessionInfo info;
    const auto data = loader.load(info, error);
    if (!data)
        return false;
    plan = preview(*data, info, options);
    return true;
}

std::string Redactor::apply(std::string_view text, const RedactionPlan& plan, std::vector<quint64>* counts)
{
    if (counts && counts->size() < plan.items.size())
        counts->resize(plan.items.size(), 0);
    return Compiled(plan).apply(text, counts);
}

bool Redactor::write(const QString& source, const QString& destination, const RedactionPlan& plan, QString& error)
{
    SessionInfo info;
    if (!SessionLoader::probe(source, info, error))
        return false;
    if (QFileInfo(source).canonicalFilePath() == QFileInfo(destination).canonicalFilePath()
        && QFileInfo::exists(destination)) {
        error = "the redacted copy cannot replace the original";
        return false;
    }
    const Compiled compiled(plan);
    std::vector<quint64> counts(plan.items.size(), 0);
    const QString temporary = OutputFile::temporaryFor(destination);
    QFile::remove(temporary);
    {
        // The work copy lives in memory: the secrets never reach a disk page of the output or a
        // temporary file; only the finished, redacted result is written, by VACUUM INTO.
        SessionConnection work;
        if (!work.open(":memory:", SessionConnection::Mode::Create, error)
            || !work.exec("PRAGMA trusted_schema = OFF", error) || !SessionSchema::create(work, error))
            return false;
        QSqlDatabase db = work.database();
        QSqlQuery query(db);
        query.prepare("ATTACH DATABASE ? AS src");
        query.bindValue(0, source);
        if (!query.exec()) {
            error = "cannot read " + source + ": " + query.lastError().text();
            return false;
        }
        if (!work.exec("BEGIN", error))
            return false;
        QStringList missing;
        for (const TableCopy& table : copies()) {
            const QString sql =
                QString("INSERT INTO main.%1(%2) SELECT %2 FROM src.%1").arg(table.table, table.columns);
            if (!query.exec(sql))
                missing << QString("%1 (%2)").arg(table.table, query.lastError().databaseText());
        }
        // Columns added after the first files were written, copied on their own so that a source
        // without them still copies whole (the capture filter is then redacted with the rest).
        query.exec("UPDATE main.target SET capture_filter = (SELECT capture_filter FROM src.target LIMIT 1)");
        query.exec("UPDATE main.summary SET filtered_out = (SELECT filtered_out FROM src.summary LIMIT 1)");
        query.exec("UPDATE main.meta SET write_error = (SELECT write_error FROM src.meta LIMIT 1)");
        query.finish();
        if (!work.exec("COMMIT; DETACH DATABASE src", error))
            return false;
        if (!work.exec("BEGIN", error))
            return false;
        for (const TableCopy& table : copies()) {
            if (table.textColumns.empty() && table.blobColumns.empty())
                continue;
            std::vector<const char*> columns = table.textColumns;
            columns.insert(columns.end(), table.blobColumns.begin(), table.blobColumns.end());
            QString select = QString("SELECT %1").arg(table.key);
            for (const char* column : columns)
                select += QString(", %1").arg(column);
            select += QString(" FROM %1").arg(table.table);
            // Collect changes first: updating a table while a statement walks it is asking for trouble.
            std::vector<std::pair<QVariant, QVariantList>> changes;
            QSqlQuery read(db);
            read.setForwardOnly(true);
            if (!read.exec(select)) {
                error = "cannot read " + QString(table.table) + ": " + read.lastError().text();
                return false;
            }
            while (read.next()) {
                QVariantList values;
                bool changed = false;
                for (std::size_t i = 0; i < columns.size(); ++i) {
                    const QVariant value = read.value(static_cast<int>(i) + 1);
                    const bool blob = i >= table.textColumns.size();
                    if (value.isNull()) {
                        values << value;
                        continue;
                    }
                    const QByteArray bytes = value.toByteArray();
                    const std::string after = compiled.apply(
                        std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())), &counts);
                    const QByteArray afterBytes(after.data(), static_cast<qsizetype>(after.size()));
                    changed = changed || afterBytes != bytes;
                    values << (blob ? QVariant(afterBytes) : QVariant(QString::fromUtf8(afterBytes)));
                }
                if (changed)
                    changes.emplace_back(read.value(0), values);
            }
            read.finish();
            QString update = QString("UPDATE %1 SET ").arg(table.table);
            for (std::size_t i = 0; i < columns.size(); ++i)
                update += QString(i ? ", %1 = ?" : "%1 = ?").arg(columns[i]);
            update += QString(" WHERE %1 = ?").arg(table.key);
            QSqlQuery write(db);
            write.prepare(update);
            for (const auto& [key, values] : changes) {
                for (int i = 0; i < values.size(); ++i)
                    write.bindValue(i, values[i]);
                write.bindValue(values.size(), key);
                if (!write.exec()) {
                    error = "cannot redact " + QString(table.table) + ": " + write.lastError().text();
                    return false;
                }
            }
        }
        query.exec("UPDATE meta SET redacted = 1");
        query.prepare("INSERT INTO redactions(kind, label, occurrences) VALUES (?, ?, ?)");
        for (std::size_t i = 0; i < plan.items.size(); ++i) {
            const RedactionItem& item = plan.items[i];
            if (!item.enabled)
                continue;
            // The label names where the value was found; it may quote a URL, so redact it too.
            const QByteArray label = item.label.toUtf8();
            query.bindValue(0, item.kind);
            query.bindValue(1,
                QString::fromStdString(compiled.apply(
                    std::string_view(label.constData(), static_cast<std::size_t>(label.size())), nullptr)));
            query.bindValue(2, static_cast<qint64>(counts[i]));
            if (!query.exec()) {
                error = "cannot record the redaction: " + query.lastError().text();
                return false;
            }
        }
        if (!work.exec("COMMIT", error))
            return false;
        query.prepare("VACUUM INTO ?");
        query.bindValue(0, temporary);
        if (!query.exec()) {
            error = "cannot write " + destination + ": " + query.lastError().text();
            query = QSqlQuery();
            QFile::remove(temporary);
            return false;
        }
        if (!missing.isEmpty())
            logging::logger(logging::Subsystem::Store)
                ->info("redacted copy of {}: not in the original: {}", source.toStdString(),
                    missing.join(", ").toStdString());
    }
    return moveSessionIntoPlace(temporary, destination, error);
}

} // namespace exitlens
