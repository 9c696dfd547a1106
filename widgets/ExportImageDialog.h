#pragma once
#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace fd {

// The size and scale of a view's picture: the view's own size by default, proportions kept unless
// asked otherwise, and 1×, 2× or 3× device pixels (for sharp pictures on high-density screens).
class ExportImageDialog : public QDialog
{
    Q_OBJECT
public:
    ExportImageDialog(const QSize &viewSize, bool vector, QWidget *parent = nullptr);

    QSize imageSize() const;
    qreal scale() const;
    void setImageWidth(int width);
    void setScale(int scale);
    QString pixelsText() const;

private:
    void widthChanged(int width);
    void heightChanged(int height);
    void updatePixels();

    QSize m_viewSize;
    QSpinBox *m_width = nullptr;
    QSpinBox *m_height = nullptr;
    QCheckBox *m_keepProportions = nullptr;
    QComboBox *m_scale = nullptr;
    QLabel *m_pixels = nullptr;
    QPushButton *m_ok = nullptr;
    bool m_adjusting = false;
};

} // namespace fd
