#pragma once
#include "models/DataSource.h"
#include <QString>

namespace fd {

struct GitMarkerConfig {
    QString repository; // a local clone
    enum class Mode { Merges, Tags } mode = Mode::Merges;
    std::string branch = "HEAD"; // merges: the branch whose merges are deploys
    std::string tagPattern = "*"; // tags: which tags are releases (git's glob)
    std::string service; // the service the repository deploys ("" -> the folder name)
    std::string commitUrl; // "https://host/org/repo/commit/{commit}" for the marker's link; may be empty
};

// Deploy markers from a local git repository: each merge into a branch (first parent) or each tag is
// a deploy, with the oldest commit it brought as its commit time (DORA lead time). Runs `git`.
class GitMarkerSource : public DataSource
{
public:
    GitMarkerSource(std::string id, GitMarkerConfig config);

    std::string id() const override { return m_id; }
    SourceCapabilities capabilities() const override { return { {}, false, false, false, false, true }; }
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<Marker> markers(const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<Span> trace(const std::string &traceId, const CancelTokenPtr &cancel) override;
    Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) override;

private:
    std::vector<Marker> mergeMarkers(const TimeRange &range) const;
    std::vector<Marker> tagMarkers(const TimeRange &range) const;
    // The committer time of the oldest commit in `revisions` (e.g. "a..b"); 0 when there is none.
    TimeNs oldestCommitTime(const std::string &revisions) const;
    Marker makeMarker(TimeNs time, const std::string &title, const std::string &commit) const;
    // git's standard output; throws fd::Error with git's message.
    std::string git(const QStringList &args) const;

    std::string m_id;
    GitMarkerConfig m_config;
};

} // namespace fd
