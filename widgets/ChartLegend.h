#pragma once
#include <QColor>
#include <QWidget>
#include <vector>

namespace fd {

// The chart panel's legend: one entry per series in rows that wrap. A click on an entry is reported
// with its modifiers; ChartView decides what it toggles. Hidden series are drawn dimmed.
class ChartLegend : public QWidget
{
    Q_OBJECT
public:
    struct Entry {
        QString name;
        QColor color;
        bool visible = true;
    };

    explicit ChartLegend(QWidget *parent = nullptr);

    void setEntries(std::vector<Entry> entries);
    const std::vector<Entry> &entries() const { return m_entries; }
    // The entry's rectangle in this widget's coordinates; empty for an unknown name.
    QRect entryRect(const QString &name) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    int heightOfRows(int rows) const; // of that many rows of entries

Q_SIGNALS:
    void entryClicked(const QString &name, Qt::KeyboardModifiers modifiers);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    std::vector<QRect> layoutEntries(int width) const;
    int entryAt(const QPoint &pos) const;
    int rowHeight() const;

    std::vector<Entry> m_entries;
    int m_pressed = -1;
};

} // namespace fd
