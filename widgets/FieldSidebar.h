#pragma once
#include "models/FieldSummary.h"

#include <QTreeWidget>

namespace fd {

class JobRunner;

// The top values of the current query's fields over the whole result: count and share with a bar.
// Clicking a value asks for a filter on it.
class FieldSidebar : public QTreeWidget
{
    Q_OBJECT
public:
    static constexpr int kTopValues = 5;
    enum ItemRole { ConditionRole = Qt::UserRole + 60 }; // QString: the filter a click adds

    explicit FieldSidebar(QWidget *parent = nullptr);
    ~FieldSidebar() override;

    // Cancels the summary of the previous query and computes this one's off the GUI thread; an update keeps
    // the values shown until the new ones come (the same query counted again).
    void summarize(DataSourcePtr source, const Query &query, const TimeRange &range,
        const std::vector<std::string> &fields, bool update = false);
    void cancel();
    // Replaces the fields with one line of text (an error, or why there is nothing to count).
    void showMessage(const QString &text);
    bool isBusy() const;
    // The value item of field = value text, nullptr when not shown.
    QTreeWidgetItem *valueItem(const QString &field, const QString &value) const;

    static QString valueText(const std::string &field, const Json &value);
    static QString conditionFor(const std::string &field, const Json &value);

Q_SIGNALS:
    void conditionRequested(const QString &condition);
    void summarized();

private:
    void show(const std::vector<FieldSummary> &summaries);

    JobRunner *m_runner;
};

} // namespace fd
