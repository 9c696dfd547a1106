#pragma once
#include "models/DataSource.h"
#include "models/FrameSeries.h"
#include <QWidget>

class QLabel;
class QStackedLayout;
class QTableView;

namespace fd {

class ChartView;
class FrameTableModel;

// A query's result in the shape that fits it: an aggregate over an interval as a chart (one series per
// group, legend, hover values), a single number as a big number, anything else as a table.
class QueryResultView : public QWidget
{
    Q_OBJECT
public:
    enum class Shape { Empty, Table, Chart, Number, Message };

    // A result made ready to show off the GUI thread: a chart's series (1M rows take a quarter of a second)
    // are computed beside the query.
    struct Prepared {
        FramePtr frame;
        Shape shape = Shape::Table;
        std::vector<SeriesData> series; // of a chart
        std::vector<std::string> chartNotes;
    };
    using PreparedPtr = std::shared_ptr<const Prepared>;

    explicit QueryResultView(QWidget *parent = nullptr);

    static Shape shapeFor(const Frame &frame, const Query &q);
    // Thread-safe: no widget is touched.
    static PreparedPtr prepare(FramePtr frame, const Query &q, const TimeRange &range);
    void showPrepared(const Prepared &result, const TimeRange &range);
    void showMessage(const QString &text);
    void clear();

    Shape shape() const { return m_shape; }
    QTableView *table() const { return m_table; }
    FrameTableModel *model() const { return m_model; }
    ChartView *chart() const { return m_chart; }
    QString numberText() const;
    QString numberCaption() const;
    // What the chart says of itself (the series it left out); none for any other shape.
    const std::vector<std::string> &chartNotes() const { return m_chartNotes; }

private:
    void setShape(Shape shape);
    void showNumber(const Frame &frame);
    void showChart(const std::vector<SeriesData> &series, const TimeRange &range);

    Shape m_shape = Shape::Empty;
    std::vector<std::string> m_chartNotes;
    QStackedLayout *m_stack = nullptr;
    FrameTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    ChartView *m_chart = nullptr;
    QWidget *m_numberPage = nullptr;
    QLabel *m_number = nullptr;
    QLabel *m_caption = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace fd
