#pragma once
#include <QLabel>

namespace fd {

// A one-line label that takes the width its layout gives it and ends its text with "…" where it does not fit, the
// whole text in its tooltip: a long name had widened its tile past the board and pushed the others off it.
class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);
    void setFullText(const QString &text);
    QString fullText() const { return m_full; }
    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void elide();
    QString m_full;
};

} // namespace fd
