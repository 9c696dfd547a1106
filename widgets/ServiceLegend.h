#pragma once
#include "ServiceColors.h"
#include <QStringList>
#include <QWidget>
#include <vector>

namespace fd {

// The services of a trace as colour chips with their span counts, wrapped over as many lines as the
// width needs. Clicking a chip toggles it in the selection (the service filter): with nothing
// selected every service shows; selected chips are outlined, the others faded.
class ServiceLegend : public QWidget
{
    Q_OBJECT
public:
    explicit ServiceLegend(QWidget *parent = nullptr);

    void setServices(const QStringList &services, const std::vector<int> &spanCounts);
    QStringList services() const { return m_services; }
    void setSelected(const QStringList &selected);
    QStringList selected() const { return m_selected; }
    // The chip of the service at index, in widget coordinates.
    QRect chipRect(int index) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void selectionChanged(const QStringList &selected);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    QString chipText(int index) const;
    std::vector<QRect> layoutChips(int width) const;
    int chipAt(const QPoint &pos) const;

    QStringList m_services;
    ServiceColors m_colors;
    std::vector<int> m_counts;
    QStringList m_selected;
};

} // namespace fd
