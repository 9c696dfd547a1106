#pragma once
#include "models/Time.h"

#include <QString>
#include <QWidget>
#include <vector>

namespace fd {

// Found traces as dots: start time across, duration up on a log scale, errors in red. Hovering a dot
// tells what it is; clicking it asks to open the trace.
class TraceScatter : public QWidget
{
    Q_OBJECT
public:
    struct Point {
        QString traceId;
        TimeNs time = 0;
        double durationMs = 0;
        bool error = false;
        QString label; // "service • operation"
        qint64 spans = 0;
    };

    explicit TraceScatter(QWidget *parent = nullptr);
    // The QDateTime format of the time axis' ticks over a range this long.
    static QString tickFormat(qint64 spanMs);

    // The x axis covers range, widened to every point.
    void setPoints(std::vector<Point> points, const TimeRange &range);
    const std::vector<Point> &points() const { return m_points; }
    void setCurrentTrace(const QString &traceId);
    // Where point i is drawn, in widget coordinates.
    QPointF positionOf(int index) const;
    // The point nearest pos within a few pixels; -1 when none.
    int pointAt(const QPoint &pos) const;
    int hoveredPoint() const { return m_hover; }
    QString toolTipOf(int index) const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void traceClicked(const QString &traceId);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    QRect plotRect() const;
    double xOf(TimeNs t) const;
    double yOf(double ms) const;
    void paintAxes(QPainter &p, const QRect &plot);
    void paintPoint(QPainter &p, int index);

    std::vector<Point> m_points;
    TimeNs m_from = 0;
    TimeNs m_to = 1;
    double m_logMin = -1; // log10 of the axis' ms bounds, whole decades
    double m_logMax = 3;
    QString m_current;
    int m_hover = -1;
};

} // namespace fd
