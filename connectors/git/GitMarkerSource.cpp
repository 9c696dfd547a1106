#include "GitMarkerSource.h"
#include "models/Error.h"
#include "models/Numbers.h"
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStringList>
#include <algorithm>
#include <limits>

namespace fd {

namespace {

constexpr int kGitTimeoutMs = 30'000;
constexpr char kFieldSeparator = '\x1f';

std::vector<std::string> split(const std::string &text, char separator)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == separator) {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    return parts;
}

std::vector<std::string> lines(const std::string &text)
{
    std::vector<std::string> out = split(text, '\n');
    out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
    return out;
}

TimeNs unixSeconds(const std::string &text)
{
    const auto seconds = parseWhole<std::int64_t>(text);
    const auto t = seconds ? scaledToNs(*seconds, kSecond) : std::nullopt;
    if (!t)
        throw Error("git gave an unreadable time \"" + text + "\"");
    return *t;
}

QString gitTime(TimeNs t)
{
    return QStringLiteral("@%1").arg(t / kSecond);
}

} // namespace

GitMarkerSource::GitMarkerSource(std::string id, GitMarkerConfig config)
    : m_id(std::move(id))
    , m_config(std::move(config))
{
    if (m_config.service.empty())
        m_config.service = QFileInfo(m_config.repository).fileName().toStdString();
    if (!QFileInfo(m_config.repository).isDir())
        throw Error(QStringLiteral("source \"%1\": %2 is no folder").arg(QString::fromStdString(m_id), m_config.repository));
}

Frame GitMarkerSource::query(const Query &, const TimeRange &, const CancelTokenPtr &)
{
    throw Error("source \"" + m_id + "\" is a git repository: it gives deploy markers, not query results");
}

std::vector<Span> GitMarkerSource::trace(const std::string &, const CancelTokenPtr &)
{
    return {};
}

Frame GitMarkerSource::recentTraces(const TimeRange &, int, const CancelTokenPtr &)
{
    throw Error("source \"" + m_id + "\" is a git repository: it has no traces");
}

std::vector<Marker> GitMarkerSource::markers(const TimeRange &range, const CancelTokenPtr &)
{
    std::vector<Marker> out = m_config.mode == GitMarkerConfig::Mode::Merges ? mergeMarkers(range) : tagMarkers(range);
    std::sort(out.begin(), out.end(), [](const Marker &a, const Marker &b) { return a.time < b.time; });
    return out;
}

std::vector<Marker> GitMarkerSource::mergeMarkers(const TimeRange &range) const
{
    const std::string log = git({ QStringLiteral("log"), QString::fromStdString(m_config.branch),
        QStringLiteral("--first-parent"), QStringLiteral("--merges"), QStringLiteral("--since=") + gitTime(range.from),
        QStringLiteral("--until=") + gitTime(range.to), QStringLiteral("--format=%H%x1f%ct%x1f%P%x1f%s") });
    std::vector<Marker> out;
    for (const std::string &line : lines(log)) {
        const std::vector<std::string> f = split(line, kFieldSeparator);
        if (f.size() < 4)
            continue;
        const TimeNs time = unixSeconds(f[1]);
        if (!range.contains(time))
            continue;
        const std::vector<std::string> parents = split(f[2], ' ');
        Marker m = makeMarker(time, f[3], f[0]);
        if (parents.size() >= 2)
            m.commitTime = oldestCommitTime(parents[0] + ".." + parents[1]);
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<Marker> GitMarkerSource::tagMarkers(const TimeRange &range) const
{
    // Oldest first, so each tag's lead time counts from the commits since the tag before it.
    const std::string refs = git({ QStringLiteral("for-each-ref"), QStringLiteral("--sort=creatordate"),
        QStringLiteral("--format=%(refname:short)%1f%(creatordate:unix)%1f%(objectname)%1f%(*objectname)"),
        QStringLiteral("refs/tags/") + QString::fromStdString(m_config.tagPattern) });
    std::vector<Marker> out;
    std::string previousTag;
    for (const std::string &line : lines(refs)) {
        const std::vector<std::string> f = split(line, kFieldSeparator);
        if (f.size() < 4)
            continue;
        const TimeNs time = unixSeconds(f[1]);
        const std::string commit = f[3].empty() ? f[2] : f[3]; // an annotated tag points at its commit
        if (range.contains(time)) {
            Marker m = makeMarker(time, "release " + f[0], commit);
            m.version = f[0];
            m.commitTime = oldestCommitTime(previousTag.empty() ? commit : previousTag + ".." + commit);
            out.push_back(std::move(m));
        }
        previousTag = f[0];
    }
    return out;
}

TimeNs GitMarkerSource::oldestCommitTime(const std::string &revisions) const
{
    TimeNs oldest = std::numeric_limits<TimeNs>::max();
    for (const std::string &line : lines(git({ QStringLiteral("log"), QStringLiteral("--format=%ct"), QString::fromStdString(revisions) })))
        oldest = std::min(oldest, unixSeconds(line));
    return oldest == std::numeric_limits<TimeNs>::max() ? 0 : oldest;
}

Marker GitMarkerSource::makeMarker(TimeNs time, const std::string &title, const std::string &commit) const
{
    Marker m;
    m.time = time;
    m.kind = "deploy";
    m.service = m_config.service;
    m.title = title;
    m.commit = commit;
    if (!m_config.commitUrl.empty()) {
        m.url = m_config.commitUrl;
        if (const std::size_t at = m.url.find("{commit}"); at != std::string::npos)
            m.url.replace(at, 8, commit);
    }
    m.attributes["source"] = m_id;
    return m;
}

std::string GitMarkerSource::git(const QStringList &args) const
{
    QProcess p;
    p.setProgram(QStringLiteral("git"));
    // A repository named by someone else's workspace must not run anything: no fsmonitor hook, no prompt.
    p.setArguments(QStringList { QStringLiteral("-c"), QStringLiteral("core.fsmonitor=false"), QStringLiteral("-C"),
                                 m_config.repository } + args);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    env.insert(QStringLiteral("GIT_OPTIONAL_LOCKS"), QStringLiteral("0"));
    p.setProcessEnvironment(env);
    p.start();
    if (!p.waitForStarted(kGitTimeoutMs))
        throw Error(QStringLiteral("source \"%1\": cannot run git (%2)").arg(QString::fromStdString(m_id), p.errorString()));
    if (!p.waitForFinished(kGitTimeoutMs)) {
        p.kill();
        p.waitForFinished();
        throw Error(QStringLiteral("source \"%1\": git took more than %2 s").arg(QString::fromStdString(m_id)).arg(kGitTimeoutMs / 1000));
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        throw Error(QStringLiteral("source \"%1\": git %2 failed: %3")
                        .arg(QString::fromStdString(m_id), args.value(0), QString::fromUtf8(p.readAllStandardError()).trimmed()));
    return p.readAllStandardOutput().toStdString();
}

} // namespace fd
