#include "QueryResultView.h"
#include "ChartView.h"
#include "models/Error.h"
#include "models/FrameSeries.h"
#include "models/FrameTableModel.h"
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QStackedLayout>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

namespace fd {

QueryResultView::QueryResultView(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedLayout(this))
    , m_model(new FrameTableModel(this))
    , m_table(new QTableView(this))
    , m_chart(new ChartView(this))
    , m_numberPage(new QWidget(this))
    , m_number(new QLabel(m_numberPage))
    , m_caption(new QLabel(m_numberPage))
    , m_message(new QLabel(this))
{
    m_table->setObjectName(QStringLiteral("resultTable"));
    m_table->setModel(m_model);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_chart->setObjectName(QStringLiteral("resultChart"));

    m_number->setObjectName(QStringLiteral("resultNumber"));
    m_number->setTextFormat(Qt::PlainText);
    m_caption->setTextFormat(Qt::PlainText);
    QFont big = m_number->font();
    big.setPointSizeF(big.pointSizeF() * 4);
    big.setBold(true);
    m_number->setFont(big);
    m_number->setAlignment(Qt::AlignHCenter | Qt::AlignBottom);
    m_number->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_caption->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_caption->setForegroundRole(QPalette::PlaceholderText);
    auto *numberLayout = new QVBoxLayout(m_numberPage);
    numberLayout->addStretch(1);
    numberLayout->addWidget(m_number);
    numberLayout->addWidget(m_caption);
    numberLayout->addStretch(1);

    m_message->setObjectName(QStringLiteral("resultMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_message->setText(tr("Type a query above and press Enter."));

    m_stack->addWidget(m_message);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_chart);
    m_stack->addWidget(m_numberPage);
}

QueryResultView::Shape QueryResultView::shapeFor(const Frame &frame, const Query &q)
{
    if (q.raw.empty() && q.interval > 0) // without an aggregate, rows are counted per interval
        return Shape::Chart;
    if (frame.rowCount() == 1 && frame.columns.size() == 1 && frame.columns.front().type != ColumnType::Time
        && !std::isnan(cellToDouble(frame.cell(0, 0))))
        return Shape::Number;
    return Shape::Table;
}

QueryResultView::PreparedPtr QueryResultView::prepare(FramePtr frame, const Query &q, const TimeRange &range)
{
    auto out = std::make_shared<Prepared>();
    out->shape = shapeFor(*frame, q);
    if (out->shape == Shape::Chart) {
        try {
            out->series = seriesFromFrame(*frame, q, range, &out->chartNotes);
        } catch (const Error &) {
            out->shape = Shape::Table; // a frame without a time column: still readable as rows
            out->chartNotes.clear();
        }
    }
    out->frame = std::move(frame);
    return out;
}

void QueryResultView::showPrepared(const Prepared &result, const TimeRange &range)
{
    m_chartNotes = result.chartNotes;
    if (result.shape == Shape::Chart)
        showChart(result.series, range);
    else if (result.shape == Shape::Number)
        showNumber(*result.frame);
    m_model->setFrame(result.frame);
    if (result.shape == Shape::Table)
        m_table->resizeColumnsToContents(); // reads the first 1000 rows (the header's resizeContentsPrecision)
    setShape(result.shape);
}

void QueryResultView::showChart(const std::vector<SeriesData> &series, const TimeRange &range)
{
    m_chart->beginUpdate();
    m_chart->clear();
    m_chart->setTimeRange(range);
    m_chart->setSeries(series);
    m_chart->endUpdate();
}

void QueryResultView::showNumber(const Frame &frame)
{
    const Cell &c = frame.cell(0, 0);
    const QLocale locale;
    if (const auto *i = std::get_if<std::int64_t>(&c))
        m_number->setText(locale.toString(qlonglong(*i)));
    else
        m_number->setText(locale.toString(cellToDouble(c), 'g', 8));
    m_caption->setText(QString::fromStdString(frame.columns.front().name));
}

void QueryResultView::showMessage(const QString &text)
{
    m_message->setText(text);
    setShape(Shape::Message);
}

void QueryResultView::clear()
{
    m_model->setFrame(nullptr);
    m_chart->clear();
    m_message->clear();
    setShape(Shape::Empty);
}

QString QueryResultView::numberText() const
{
    return m_number->text();
}

QString QueryResultView::numberCaption() const
{
    return m_caption->text();
}

void QueryResultView::setShape(Shape shape)
{
    m_shape = shape;
    switch (shape) {
    case Shape::Empty:
    case Shape::Message: m_stack->setCurrentWidget(m_message); break;
    case Shape::Table: m_stack->setCurrentWidget(m_table); break;
    case Shape::Chart: m_stack->setCurrentWidget(m_chart); break;
    case Shape::Number: m_stack->setCurrentWidget(m_numberPage); break;
    }
}

} // namespace fd
