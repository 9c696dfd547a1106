#pragma once
#include "Report.h"
#include "models/Cancel.h"
#include "models/Incident.h"
#include <set>

namespace fd {

// An incident as a postmortem: summary, impact, timeline (with its pictures), suspects and cause,
// DORA of the service around it, and action items.
class IncidentReport
{
public:
    // `dora`: doraToJson() of the incident's service (or overall) over the weeks before it; may be null.
    IncidentReport(const Incident &incident, const Json &dora);

    const Report &report() const { return m_report; }
    void write(const QString &path) const { m_report.write(path); }
    int writeImage(const QString &path, int width, int height = 0) const { return m_report.writeImage(path, width, height); }

private:
    QString htmlBody() const;
    QString markdown() const;
    QString headline() const;
    QString doraText() const;
    std::vector<const IncidentEntry *> suspects() const;
    bool pictured(std::size_t entry) const { return m_pictured.count(entry) > 0; }
    // An entry whose picture is no PNG that can be read (damaged, or over Qt's allocation limit) says so.
    bool pictureUnreadable(std::size_t entry) const;

    const Incident &m_incident;
    std::set<std::size_t> m_pictured; // entries whose picture is in the report
    Json m_dora;
    Report m_report;
};

class DataSource;
// DORA of the incident's service (overall when it names none) over the 7 days before it ends,
// incidents included; throws what the source throws.
Json incidentDora(DataSource &source, const Incident &incident, const CancelTokenPtr &cancel);
} // namespace fd
