#pragma once
#include <QObject>
#include <QPointF>

class QWidget;

class QMouseEvent;
class QWheelEvent;

namespace fd {

class ChartCanvas;

// Mouse gestures on a chart canvas' viewport, as requests in ms since the epoch: hover (crosshair),
// a left-button drag selects a window to zoom into, the wheel zooms around the cursor, a middle or
// Shift+left drag pans, a double-click resets. ChartView clamps and applies the requested windows.
class ChartInteraction : public QObject
{
    Q_OBJECT
public:
    explicit ChartInteraction(ChartCanvas *canvas);

    // Tiles only hover: their clicks and wheel belong to the board.
    void setZoomEnabled(bool enabled);

Q_SIGNALS:
    void hovered(double ms);
    void left();
    // `settled` is false while a gesture goes on (wheel, pan drag), so the view may coalesce redraws.
    void windowRequested(double fromMs, double toMs, bool settled);
    void resetRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    enum class Drag { None, Select, Pan };

    bool press(QMouseEvent *event);
    void move(QMouseEvent *event);
    bool release(QMouseEvent *event);
    bool wheel(QWheelEvent *event);
    void hover(const QPointF &pos);
    double clampedMs(qreal x) const;

    ChartCanvas *m_canvas;
    // Kept: events reach the filter while the canvas is being destroyed, when calling it is undefined.
    QWidget *m_viewport;
    bool m_zoomEnabled = true;
    bool m_inside = false;
    Drag m_drag = Drag::None;
    qreal m_pressX = 0;
    double m_pressFrom = 0, m_pressTo = 0;
};

} // namespace fd
