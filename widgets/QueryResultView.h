#pragma once
#include "models/DataSource.h"
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

    explicit QueryResultView(QWidget *parent = nullptr);

    static Shape shapeFor(const Frame &frame, const Query &q);
    void showFrame(const FramePtr &frame, const Query &q, const TimeRange &range);
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
    bool showChart(const Frame &frame, const Query &q, const TimeRange &range);

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
