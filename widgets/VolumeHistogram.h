#pragma once
#include "models/SeverityHistogram.h"
#include <QWidget>

namespace fd {

// Event volume over the time range as bars stacked by severity; drag across it to pick a narrower range.
class VolumeHistogram : public QWidget
{
    Q_OBJECT
public:
    explicit VolumeHistogram(QWidget *parent = nullptr);
    void setHistogram(SeverityHistogram histogram, const TimeRange &range);
    const SeverityHistogram &histogram() const { return m_histogram; }
    // No bars, and why in their place (by default "no volume to show"); a drag selects nothing.
    void clear(const QString &why = {})
    {
        setHistogram({}, {});
        m_emptyText = why;
    }
    const QString &emptyText() const { return m_emptyText; }
    // A time as the axis writes it (local time, to the second).
    static QString timeText(TimeNs t);
    QSize sizeHint() const override { return {600, 70}; }

Q_SIGNALS:
    void rangeSelected(const TimeRange &range);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    QRectF plotRect() const;
    double xForTime(TimeNs t) const;
    TimeNs timeForX(double x) const;
    void showBucketToolTip(const QPoint &pos);

    SeverityHistogram m_histogram;
    QString m_emptyText;
    TimeRange m_range;
    int m_dragFrom = -1;
    int m_dragTo = -1;
};

} // namespace fd
