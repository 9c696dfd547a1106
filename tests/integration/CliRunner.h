#pragma once
// Helpers shared by the integration tests (tst_cli, tst_receiver_sdk): run the flightdeck executable and
// other programs with a private environment, start `flightdeck serve` and wait for its "listening on" line,
// read the JSON that the command line prints, and compare times and typed attribute values.
//
// Header-only on purpose: each test is one executable with one translation unit.

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QVariant>

#include <algorithm>
#include <cmath>
#include <optional>

namespace fdtest {

constexpr int kCommandTimeoutMs = 120000;
constexpr qint64 kNanosPerSecond = 1000000000;

inline QString flightdeckBin() { return QString::fromUtf8(FD_FLIGHTDECK_BIN); }

inline QString quoteForDisplay(const QString &arg)
{
    static const QRegularExpression plain(QStringLiteral(R"(^[A-Za-z0-9_@%+=:,./-]+$)"));
    if (plain.match(arg).hasMatch())
        return arg;
    QString quoted = arg;
    quoted.replace(QStringLiteral("'"), QStringLiteral("'\\''"));
    return QStringLiteral("'") + quoted + QStringLiteral("'");
}

inline QString commandLine(const QString &program, const QStringList &args)
{
    QStringList parts{quoteForDisplay(program)};
    for (const QString &a : args)
        parts << quoteForDisplay(a);
    return parts.join(QLatin1Char(' '));
}

// The outcome of one finished (or killed) program run.
struct RunResult {
    QString command;
    bool started = false;
    bool timedOut = false;
    bool crashed = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    bool succeeded() const { return started && !timedOut && !crashed && exitCode == 0; }
    // Exited by itself with a non-zero code (not a crash, not killed after the timeout).
    bool failedCleanly() const { return started && !timedOut && !crashed && exitCode != 0; }
    QString stdOut() const { return QString::fromUtf8(out); }
    QString stdErr() const { return QString::fromUtf8(err); }

    QString describe() const
    {
        QString what;
        if (!started)
            what = QStringLiteral("did not start");
        else if (timedOut)
            what = QStringLiteral("timed out and was killed");
        else if (crashed)
            what = QStringLiteral("crashed");
        else
            what = QStringLiteral("exited with code %1").arg(exitCode);
        return QStringLiteral("`%1` %2\n--- stderr:\n%3\n--- stdout:\n%4")
            .arg(command, what, stdErr().left(4000), stdOut().left(3000));
    }
};

inline RunResult runProgram(const QString &program, const QStringList &args, const QProcessEnvironment &env,
                            int timeoutMs = kCommandTimeoutMs, const QString &workDir = {},
                            const QString &inputFile = {})
{
    RunResult r;
    r.command = commandLine(program, args);
    QProcess p;
    p.setProcessEnvironment(env);
    p.setStandardInputFile(inputFile.isEmpty() ? QProcess::nullDevice() : inputFile);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    if (!p.waitForStarted(30000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    r.started = true;
    if (!p.waitForFinished(timeoutMs)) {
        r.timedOut = true;
        p.kill();
        p.waitForFinished(10000);
    } else {
        r.crashed = p.exitStatus() == QProcess::CrashExit;
        r.exitCode = p.exitCode();
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// A temporary folder for one test's stores and files, and an environment that keeps the user's own
// folders out of reach: the default store, settings and caches resolve inside the temporary folder.
class Cli
{
public:
    Cli() : m_env(QProcessEnvironment::systemEnvironment())
    {
        const char *const vars[] = {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"};
        for (const char *var : vars) {
            const QString name = QString::fromLatin1(var);
            const QString dir = m_dir.filePath(QStringLiteral("home/") + name.toLower());
            QDir().mkpath(dir);
            m_env.insert(name, dir);
        }
        if (!m_env.contains(QStringLiteral("QT_QPA_PLATFORM")))
            m_env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    }

    bool isValid() const { return m_dir.isValid(); }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString dir() const { return m_dir.path(); }
    QProcessEnvironment environment() const { return m_env; }

    RunResult run(const QStringList &args, int timeoutMs = kCommandTimeoutMs) const
    {
        return runProgram(flightdeckBin(), args, m_env, timeoutMs, m_dir.path());
    }

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
};

// `flightdeck serve ...` in the background. Its stdout and stderr go to files (a pipe nobody drains
// could fill up and stall the server while the test waits on other processes); start() polls the
// stdout file for "listening on HOST:PORT". stop() kills the process (by its own PID).
class Server
{
public:
    Server() = default;
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;
    ~Server() { stop(); }

    bool start(const QStringList &serveArgs, const QProcessEnvironment &env, const QString &logDir,
               QString *error, int timeoutMs = 60000)
    {
        static int serial = 0;
        ++serial;
        m_outPath = QDir(logDir).filePath(QStringLiteral("serve-%1.stdout").arg(serial));
        m_errPath = QDir(logDir).filePath(QStringLiteral("serve-%1.stderr").arg(serial));
        const QStringList args = QStringList{QStringLiteral("serve")} + serveArgs;
        m_command = commandLine(flightdeckBin(), args);
        m_proc.setProcessEnvironment(env);
        m_proc.setWorkingDirectory(logDir);
        m_proc.setStandardInputFile(QProcess::nullDevice());
        m_proc.setStandardOutputFile(m_outPath);
        m_proc.setStandardErrorFile(m_errPath);
        m_proc.start(flightdeckBin(), args);
        if (!m_proc.waitForStarted(30000)) {
            *error = QStringLiteral("`%1` did not start: %2").arg(m_command, m_proc.errorString());
            return false;
        }
        static const QRegularExpression listening(QStringLiteral(R"(^listening on (\S+):(\d+)\s*$)"),
                                                  QRegularExpression::MultilineOption);
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            const QRegularExpressionMatch m = listening.match(stdOut());
            if (m.hasMatch()) {
                m_host = m.captured(1);
                m_port = m.captured(2).toUShort();
                return true;
            }
            if (m_proc.state() == QProcess::NotRunning || m_proc.waitForFinished(50)) {
                *error = QStringLiteral("`%1` exited (code %2) before printing \"listening on HOST:PORT\"\n"
                                        "--- stderr:\n%3\n--- stdout:\n%4")
                             .arg(m_command)
                             .arg(m_proc.exitCode())
                             .arg(stdErr().left(4000), stdOut().left(2000));
                return false;
            }
        }
        *error = QStringLiteral("`%1` printed no \"listening on HOST:PORT\" line within %2 s\n"
                                "--- stderr:\n%3\n--- stdout:\n%4")
                     .arg(m_command)
                     .arg(timeoutMs / 1000)
                     .arg(stdErr().left(4000), stdOut().left(2000));
        stop();
        return false;
    }

    void stop()
    {
        if (m_proc.state() != QProcess::NotRunning) {
            m_proc.kill();
            m_proc.waitForFinished(10000);
        }
    }

    // SIGTERM, and waits for it to exit (it prints its "stopped: ..." line then); false if it did not.
    bool terminate(int timeoutMs = 30000)
    {
        if (m_proc.state() == QProcess::NotRunning)
            return false;
        m_proc.terminate();
        return m_proc.waitForFinished(timeoutMs) && m_proc.exitStatus() == QProcess::NormalExit;
    }

    bool isRunning() const { return m_proc.state() == QProcess::Running; }
    qint64 pid() const { return m_proc.processId(); }
    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("http://%1:%2").arg(m_host).arg(m_port); }
    QString command() const { return m_command; }
    QString stdOut() const { return readText(m_outPath); }
    QString stdErr() const { return readText(m_errPath); }

private:
    static QString readText(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

    QProcess m_proc;
    QString m_command, m_outPath, m_errPath, m_host;
    quint16 m_port = 0;
};

// ---------------------------------------------------------------------------------------------------
// JSON

inline std::optional<QJsonObject> parseObject(const QByteArray &text, QString *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not JSON (%1 at offset %2): %3")
                     .arg(pe.errorString())
                     .arg(pe.offset)
                     .arg(QString::fromUtf8(text.left(2000)));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("not a JSON object: %1").arg(QString::fromUtf8(text.left(2000)));
        return std::nullopt;
    }
    return doc.object();
}

inline QString jsonText(const QJsonValue &v)
{
    if (v.isUndefined())
        return QStringLiteral("(missing)");
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

// True for a JSON number written without fraction or exponent (Qt keeps those as 64-bit integers).
inline bool isJsonInteger(const QJsonValue &v)
{
    return v.isDouble() && v.toVariant().typeId() == QMetaType::LongLong;
}

// An integer given as a JSON number or as a string of digits (64-bit values may come either way).
inline std::optional<qint64> jsonInt64(const QJsonValue &v)
{
    if (isJsonInteger(v))
        return v.toInteger();
    if (v.isString()) {
        bool ok = false;
        const qint64 n = v.toString().toLongLong(&ok);
        if (ok)
            return n;
    }
    return std::nullopt;
}

// `query --format json`: {"columns": [{"name", "type"}], "rows": [{...}], "truncated": bool, "total": N}.
struct Table {
    QJsonObject doc;
    QJsonArray rows;
    QStringList columns;
    QJsonObject columnTypes; // name -> type
    qint64 total = -1;
    bool truncated = false;

    bool hasColumn(const QString &name) const { return columns.contains(name); }
};

inline std::optional<Table> parseTable(const QByteArray &text, QString *error)
{
    const std::optional<QJsonObject> doc = parseObject(text, error);
    if (!doc)
        return std::nullopt;
    Table t;
    t.doc = *doc;
    const QJsonValue columns = doc->value(QStringLiteral("columns"));
    const QJsonValue rows = doc->value(QStringLiteral("rows"));
    const QJsonValue truncated = doc->value(QStringLiteral("truncated"));
    const std::optional<qint64> total = jsonInt64(doc->value(QStringLiteral("total")));
    if (!columns.isArray() || !rows.isArray() || !truncated.isBool() || !total) {
        *error = QStringLiteral("query output lacks columns (array), rows (array), truncated (bool) or total (int): %1")
                     .arg(QString::fromUtf8(text.left(2000)));
        return std::nullopt;
    }
    for (const QJsonValue &c : columns.toArray()) {
        const QJsonObject col = c.toObject();
        const QString name = col.value(QStringLiteral("name")).toString();
        const QString type = col.value(QStringLiteral("type")).toString();
        static const QStringList types{QStringLiteral("time"), QStringLiteral("int64"), QStringLiteral("double"),
                                       QStringLiteral("string"), QStringLiteral("json")};
        if (name.isEmpty() || !types.contains(type)) {
            *error = QStringLiteral("bad column %1 (needs a name and a type among %2)")
                         .arg(jsonText(c), types.join(QStringLiteral(", ")));
            return std::nullopt;
        }
        t.columns << name;
        t.columnTypes.insert(name, type);
    }
    for (const QJsonValue &r : rows.toArray()) {
        if (!r.isObject()) {
            *error = QStringLiteral("a row is not an object: %1").arg(jsonText(r));
            return std::nullopt;
        }
    }
    t.rows = rows.toArray();
    t.total = *total;
    t.truncated = truncated.toBool();
    return t;
}

// A json-typed cell: normally an object already; tolerate one printed as a JSON string.
inline QJsonValue jsonCell(const QJsonValue &v)
{
    if (v.isString()) {
        const QJsonDocument doc = QJsonDocument::fromJson(v.toString().toUtf8());
        if (doc.isObject())
            return doc.object();
        if (doc.isArray())
            return doc.array();
    }
    return v;
}

// ---------------------------------------------------------------------------------------------------
// Time: int64 nanoseconds since the Unix epoch <-> RFC 3339.

inline std::optional<qint64> parseRfc3339Ns(const QString &text, int *fractionDigits = nullptr)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|([+-])(\d{2}):(\d{2}))$)"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    if (!date.isValid())
        return std::nullopt;
    qint64 secs = (date.toJulianDay() - QDate(1970, 1, 1).toJulianDay()) * 86400 + m.captured(4).toInt() * 3600 +
                  m.captured(5).toInt() * 60 + m.captured(6).toInt();
    if (!m.captured(9).isEmpty()) {
        const qint64 offset = m.captured(10).toInt() * 3600 + m.captured(11).toInt() * 60;
        secs += m.captured(9) == QStringLiteral("+") ? -offset : offset;
    }
    const QString frac = m.captured(7);
    if (fractionDigits)
        *fractionDigits = int(frac.size());
    return secs * kNanosPerSecond + (frac.isEmpty() ? 0 : frac.leftJustified(9, QLatin1Char('0')).toLongLong());
}

inline QString formatRfc3339Ns(qint64 ns)
{
    qint64 secs = ns / kNanosPerSecond;
    qint64 nanos = ns % kNanosPerSecond;
    if (nanos < 0) {
        nanos += kNanosPerSecond;
        --secs;
    }
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) +
           QStringLiteral(".%1Z").arg(nanos, 9, 10, QLatin1Char('0'));
}

inline qint64 nowNs() { return QDateTime::currentMSecsSinceEpoch() * 1000000; }

// A time cell or field: RFC 3339 (as the contract prints times) with `digits` fractional digits when
// digits >= 0. Returns an error message or an empty string.
inline QString checkTime(const QString &what, const QJsonValue &actual, qint64 expectedNs, int digits = 9)
{
    if (!actual.isString())
        return QStringLiteral("%1: expected an RFC 3339 string for %2, got %3")
            .arg(what, formatRfc3339Ns(expectedNs), jsonText(actual));
    int got = 0;
    const std::optional<qint64> ns = parseRfc3339Ns(actual.toString(), &got);
    if (!ns)
        return QStringLiteral("%1: \"%2\" is not RFC 3339").arg(what, actual.toString());
    if (digits >= 0 && got != digits)
        return QStringLiteral("%1: \"%2\" has %3 fractional digits, expected %4 (%5)")
            .arg(what, actual.toString())
            .arg(got)
            .arg(digits)
            .arg(formatRfc3339Ns(expectedNs));
    if (*ns != expectedNs)
        return QStringLiteral("%1: \"%2\" is not %3 (off by %4 ns)")
            .arg(what, actual.toString(), formatRfc3339Ns(expectedNs))
            .arg(*ns - expectedNs);
    return {};
}

// ---------------------------------------------------------------------------------------------------
// Typed attribute values. An expected value is {"type": "string|int|double|bool|array|map", "value": V}
// where an array also has "item_types" (one type per item) and a map's value is an object of expected
// values. send.mjs writes this form; tests build it for other inputs with typedValue().

inline QJsonObject typedValue(const QString &type, const QJsonValue &value, const QStringList &itemTypes = {})
{
    QJsonObject o{{QStringLiteral("type"), type}, {QStringLiteral("value"), value}};
    if (!itemTypes.isEmpty())
        o.insert(QStringLiteral("item_types"), QJsonArray::fromStringList(itemTypes));
    return o;
}

inline QString checkTypedValue(const QString &where, const QJsonObject &expected, const QJsonValue &actual)
{
    const QString type = expected.value(QStringLiteral("type")).toString();
    const QJsonValue value = expected.value(QStringLiteral("value"));
    auto mismatch = [&](const QString &kind) {
        return QStringLiteral("%1: expected %2 %3, got %4").arg(where, kind, jsonText(value), jsonText(actual));
    };
    if (type == QStringLiteral("string")) {
        if (!actual.isString() || actual.toString() != value.toString())
            return mismatch(QStringLiteral("the string"));
    } else if (type == QStringLiteral("int")) {
        if (!isJsonInteger(actual) || actual.toInteger() != value.toInteger())
            return mismatch(QStringLiteral("the integer"));
    } else if (type == QStringLiteral("double")) {
        const double want = value.toDouble();
        // Qt folds "3.0" into an integer; only a double with a fraction can be told apart from an int.
        const bool integral = std::trunc(want) == want;
        if (!actual.isDouble() || (!integral && isJsonInteger(actual)) ||
            std::fabs(actual.toDouble() - want) > 1e-12 * std::max(1.0, std::fabs(want)))
            return mismatch(QStringLiteral("the double"));
    } else if (type == QStringLiteral("bool")) {
        if (!actual.isBool() || actual.toBool() != value.toBool())
            return mismatch(QStringLiteral("the bool"));
    } else if (type == QStringLiteral("array")) {
        const QJsonArray want = value.toArray();
        const QJsonArray itemTypes = expected.value(QStringLiteral("item_types")).toArray();
        if (!actual.isArray() || actual.toArray().size() != want.size())
            return mismatch(QStringLiteral("the array"));
        const QJsonArray got = actual.toArray();
        for (qsizetype i = 0; i < want.size(); ++i) {
            const QString itemType = itemTypes.at(i).toString(QStringLiteral("string"));
            const QString e = checkTypedValue(QStringLiteral("%1[%2]").arg(where).arg(i),
                                              typedValue(itemType, want.at(i)), got.at(i));
            if (!e.isEmpty())
                return e;
        }
    } else if (type == QStringLiteral("map")) {
        const QJsonObject want = value.toObject();
        if (!actual.isObject() || actual.toObject().keys() != want.keys())
            return mismatch(QStringLiteral("the map"));
        for (auto it = want.begin(); it != want.end(); ++it) {
            const QString e = checkTypedValue(where + QLatin1Char('.') + it.key(), it.value().toObject(),
                                              actual.toObject().value(it.key()));
            if (!e.isEmpty())
                return e;
        }
    } else {
        return QStringLiteral("%1: the test expects an unknown type \"%2\"").arg(where, type);
    }
    return {};
}

// The typed attributes an OTLP item is stored with: its own, its instrumentation scope's name and version
// ({"name": ..., "version": ...}) as otel.scope.name and otel.scope.version, and the scope's typed attributes,
// each unless it has its own.
inline QJsonObject withScopeAttributes(QJsonObject typed, const QJsonObject &scope, const QJsonObject &scopeTyped = {})
{
    for (const auto &[field, key] : {std::pair{"name", "otel.scope.name"}, std::pair{"version", "otel.scope.version"}}) {
        const QString value = scope.value(QLatin1String(field)).toString();
        if (!value.isEmpty() && !typed.contains(QLatin1String(key)))
            typed.insert(QLatin1String(key), typedValue(QStringLiteral("string"), value));
    }
    for (auto it = scopeTyped.begin(); it != scopeTyped.end(); ++it)
        if (!typed.contains(it.key()))
            typed.insert(it.key(), it.value());
    return typed;
}

// Every expected key is present with its value and type; with exactKeys, nothing else is there.
inline QStringList checkAttributes(const QString &where, const QJsonObject &expected, const QJsonValue &actualValue,
                                   bool exactKeys)
{
    const QJsonValue actual = jsonCell(actualValue);
    if (!actual.isObject())
        return {QStringLiteral("%1: expected an object of attributes, got %2").arg(where, jsonText(actual))};
    QStringList errors;
    const QJsonObject got = actual.toObject();
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (!got.contains(it.key())) {
            errors << QStringLiteral("%1: attribute \"%2\" is missing (have: %3)")
                          .arg(where, it.key(), got.keys().join(QStringLiteral(", ")));
            continue;
        }
        const QString e = checkTypedValue(where + QLatin1Char('.') + it.key(), it.value().toObject(), got.value(it.key()));
        if (!e.isEmpty())
            errors << e;
    }
    if (exactKeys) {
        for (auto it = got.begin(); it != got.end(); ++it) {
            if (!expected.contains(it.key()))
                errors << QStringLiteral("%1: unexpected attribute \"%2\" = %3").arg(where, it.key(), jsonText(it.value()));
        }
    }
    return errors;
}

// For QVERIFY2(errors.isEmpty(), qPrintable(reportErrors(errors))): QTest cuts long messages, so every
// mismatch is also logged on its own line.
inline QString reportErrors(QStringList errors)
{
    errors.removeAll(QString());
    if (errors.isEmpty())
        return {};
    for (const QString &e : errors)
        qWarning("%s", qPrintable(e));
    return QStringLiteral("%1 mismatch(es), each logged above; the first: %2").arg(errors.size()).arg(errors.first());
}

} // namespace fdtest
