#include "ExportImageDialog.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

namespace fd {

namespace {
constexpr int kMaxSide = 16384;
// 400 MB of pixels to fill and draw on the GUI thread; 16384² at 3× had been about 10 GB (review).
constexpr qint64 kMaxPixels = 100'000'000;

QSpinBox *sideBox(int value, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(16, kMaxSide);
    box->setSuffix(QStringLiteral(" px"));
    box->setValue(value);
    return box;
}
} // namespace

ExportImageDialog::ExportImageDialog(const QSize &viewSize, bool vector, QWidget *parent)
    : QDialog(parent)
    , m_viewSize(viewSize.expandedTo(QSize(16, 16)))
{
    setWindowTitle(tr("Picture size"));
    m_width = sideBox(m_viewSize.width(), this);
    m_width->setObjectName(QStringLiteral("imageWidth"));
    m_height = sideBox(m_viewSize.height(), this);
    m_height->setObjectName(QStringLiteral("imageHeight"));
    m_keepProportions = new QCheckBox(tr("Keep the view's proportions"), this);
    m_keepProportions->setChecked(true);
    m_scale = new QComboBox(this);
    m_scale->addItems({QStringLiteral("1×"), QStringLiteral("2×"), QStringLiteral("3×")});
    m_scale->setEnabled(!vector);
    m_scale->setToolTip(vector ? tr("A drawing has no pixels to scale") : tr("Device pixels per pixel: 2× looks sharp on high-density screens"));
    m_pixels = new QLabel(this);

    auto *form = new QFormLayout;
    form->addRow(tr("Width"), m_width);
    form->addRow(tr("Height"), m_height);
    form->addRow(QString(), m_keepProportions);
    form->addRow(tr("Scale"), m_scale);
    form->addRow(QString(), m_pixels);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(m_width, &QSpinBox::valueChanged, this, &ExportImageDialog::widthChanged);
    connect(m_height, &QSpinBox::valueChanged, this, &ExportImageDialog::heightChanged);
    connect(m_scale, &QComboBox::currentIndexChanged, this, &ExportImageDialog::updatePixels);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updatePixels();
}

QSize ExportImageDialog::imageSize() const { return {m_width->value(), m_height->value()}; }

qreal ExportImageDialog::scale() const { return m_scale->currentIndex() + 1; }

void ExportImageDialog::setImageWidth(int width) { m_width->setValue(width); }

void ExportImageDialog::setScale(int scale) { m_scale->setCurrentIndex(std::clamp(scale, 1, 3) - 1); }

QString ExportImageDialog::pixelsText() const { return m_pixels->text(); }

void ExportImageDialog::widthChanged(int width)
{
    if (!m_adjusting && m_keepProportions->isChecked()) {
        m_adjusting = true;
        m_height->setValue(static_cast<int>(std::lround(double(width) * m_viewSize.height() / m_viewSize.width())));
        m_adjusting = false;
    }
    updatePixels();
}

void ExportImageDialog::heightChanged(int height)
{
    if (!m_adjusting && m_keepProportions->isChecked()) {
        m_adjusting = true;
        m_width->setValue(static_cast<int>(std::lround(double(height) * m_viewSize.width() / m_viewSize.height())));
        m_adjusting = false;
    }
    updatePixels();
}

void ExportImageDialog::updatePixels()
{
    const QSize pixels = imageSize() * scale();
    const bool tooLarge = m_scale->isEnabled() && qint64(pixels.width()) * pixels.height() > kMaxPixels;
    QString text = m_scale->isEnabled() ? tr("The picture: %1 × %2 pixels").arg(pixels.width()).arg(pixels.height())
                                        : tr("The drawing: %1 × %2").arg(pixels.width()).arg(pixels.height());
    if (tooLarge)
        text += tr(": more than %1 million, too many to draw; choose a smaller size or scale").arg(kMaxPixels / 1'000'000);
    m_pixels->setText(text);
    if (m_ok)
        m_ok->setEnabled(!tooLarge);
}

} // namespace fd
