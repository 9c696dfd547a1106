#include "TileEditorDialog.h"
#include "ErrorLabel.h"
#include "QueryForm.h"
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace fd {

namespace {
const QStringList kKinds = {QStringLiteral("value"), QStringLiteral("rate"), QStringLiteral("ratio")};
const QStringList kMethods = {QStringLiteral("seasonal"), QStringLiteral("static"), QStringLiteral("rolling")};
const QStringList kMarkerKinds = {QStringLiteral("deploy"),         QStringLiteral("rollback"),     QStringLiteral("flag"),
                                  QStringLiteral("config"),         QStringLiteral("incident_start"),
                                  QStringLiteral("incident_end"),   QStringLiteral("note"),         QStringLiteral("alert")};

QString kindHint(const QString &kind)
{
    if (kind == QLatin1String("rate"))
        return QObject::tr("Events per unit of time: choose /s, /min or /h as the unit.");
    if (kind == QLatin1String("ratio"))
        return QObject::tr("Numerator ÷ denominator per bucket; the unit % multiplies by 100.");
    return QObject::tr("The query's aggregate per bucket.");
}

QDoubleSpinBox *doubleBox(double min, double max, int decimals, double step, QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setSingleStep(step);
    return box;
}

QComboBox *durationBox(const QStringList &presets, QWidget *parent)
{
    auto *box = new QComboBox(parent);
    box->setEditable(true);
    box->addItems(presets);
    return box;
}

std::optional<DurationNs> positiveDuration(const QComboBox *box)
{
    const auto d = parseDuration(box->currentText().trimmed());
    return d && *d > 0 ? d : std::nullopt;
}

std::vector<std::string> commaList(const QString &text)
{
    std::vector<std::string> out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (const QString item = part.trimmed(); !item.isEmpty())
            out.push_back(item.toStdString());
    return out;
}

QGroupBox *wrap(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(content);
    return box;
}
} // namespace

TileEditorDialog::TileEditorDialog(const Tile &tile, const QStringList &sourceIds, QWidget *parent)
    : QDialog(parent), m_tile(tile)
{
    setWindowTitle(tr("Edit tile"));
    auto *top = new QHBoxLayout;
    top->addWidget(buildTileBox(), 3);
    top->addWidget(buildRangeBox(), 3);
    top->addWidget(buildMarkersBox(), 2);
    m_problemLabel = makeErrorLabel(this);
    m_problemLabel->setObjectName(QStringLiteral("problem"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_problemLabel, 1);
    bottom->addWidget(m_buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buildQueries(sourceIds), 1);
    layout->addLayout(bottom);
    load(tile);
    resize(std::max(1040, sizeHint().width()), sizeHint().height());
}

QGroupBox *TileEditorDialog::buildTileBox()
{
    auto *box = new QGroupBox(tr("Tile"), this);
    m_name = new QLineEdit(box);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("e.g. Login success"));
    m_kind = new QComboBox(box);
    m_kind->setObjectName(QStringLiteral("kind"));
    m_kind->addItems(kKinds);
    m_kindHint = new QLabel(box);
    m_kindHint->setWordWrap(true);
    m_kindHint->setForegroundRole(QPalette::PlaceholderText);
    m_unit = new QComboBox(box);
    m_unit->setObjectName(QStringLiteral("unit"));
    m_unit->setEditable(true);
    m_unit->addItems({QString(), QStringLiteral("%"), QStringLiteral("/h"), QStringLiteral("/min"), QStringLiteral("/s"),
                      QStringLiteral("ms")});
    m_unit->lineEdit()->setPlaceholderText(tr("none, or any text"));
    m_decimals = new QSpinBox(box);
    m_decimals->setObjectName(QStringLiteral("decimals"));
    m_decimals->setRange(-1, kMaxDecimals);
    m_decimals->setSpecialValueText(tr("automatic (3 significant digits)"));
    m_decimals->setToolTip(tr("Digits after the decimal point in the tile's value"));
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Kind"), m_kind);
    form->addRow(QString(), m_kindHint);
    form->addRow(tr("Unit"), m_unit);
    form->addRow(tr("Decimals"), m_decimals);
    connect(m_name, &QLineEdit::textChanged, this, &TileEditorDialog::validate);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &TileEditorDialog::kindChanged);
    return box;
}

QGroupBox *TileEditorDialog::buildRangeBox()
{
    auto *box = new QGroupBox(tr("Normal range"), this);
    m_method = new QComboBox(box);
    m_method->setObjectName(QStringLiteral("method"));
    m_method->addItems({tr("seasonal (same time in earlier periods)"), tr("static (fixed bounds)"),
                        tr("rolling (median ± k·MAD)")});
    m_methodPages = new QStackedWidget(box);

    auto *seasonal = new QWidget(m_methodPages);
    m_period = durationBox({QStringLiteral("1d"), QStringLiteral("7d")}, seasonal);
    m_period->setObjectName(QStringLiteral("period"));
    m_lookback = new QSpinBox(seasonal);
    m_lookback->setObjectName(QStringLiteral("lookback"));
    m_lookback->setRange(1, 60);
    m_lookback->setSuffix(tr(" periods"));
    m_bandLow = doubleBox(0, 1, 3, 0.01, seasonal);
    m_bandHigh = doubleBox(0, 1, 3, 0.01, seasonal);
    auto *band = new QHBoxLayout;
    band->addWidget(m_bandLow);
    band->addWidget(new QLabel(QStringLiteral("–"), seasonal));
    band->addWidget(m_bandHigh);
    auto *seasonalForm = new QFormLayout(seasonal);
    seasonalForm->setContentsMargins(0, 0, 0, 0);
    seasonalForm->addRow(tr("Period"), m_period);
    seasonalForm->addRow(tr("Lookback"), m_lookback);
    seasonalForm->addRow(tr("Band quantiles"), band);

    auto *fixed = new QWidget(m_methodPages);
    m_staticLow = doubleBox(-1e12, 1e12, 3, 1, fixed);
    m_staticLow->setObjectName(QStringLiteral("staticLow"));
    m_staticHigh = doubleBox(-1e12, 1e12, 3, 1, fixed);
    m_staticHigh->setObjectName(QStringLiteral("staticHigh"));
    auto *fixedForm = new QFormLayout(fixed);
    fixedForm->setContentsMargins(0, 0, 0, 0);
    fixedForm->addRow(tr("Low"), m_staticLow);
    fixedForm->addRow(tr("High"), m_staticHigh);

    auto *rolling = new QWidget(m_methodPages);
    m_window = durationBox({QStringLiteral("30m"), QStringLiteral("1h"), QStringLiteral("6h"), QStringLiteral("1d")}, rolling);
    m_window->setObjectName(QStringLiteral("window"));
    m_k = doubleBox(0.1, 20, 1, 0.5, rolling);
    auto *rollingForm = new QFormLayout(rolling);
    rollingForm->setContentsMargins(0, 0, 0, 0);
    rollingForm->addRow(tr("Window"), m_window);
    rollingForm->addRow(tr("k (× MAD)"), m_k);
    for (QWidget *page : {seasonal, fixed, rolling})
        m_methodPages->addWidget(page);

    m_minBuckets = new QSpinBox(box);
    m_minBuckets->setRange(1, 100);
    m_minBuckets->setSuffix(tr(" buckets in a row"));
    m_minBuckets->setToolTip(tr("How many consecutive buckets outside the band make an anomaly"));
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Method"), m_method);
    form->addRow(m_methodPages);
    form->addRow(tr("Anomaly after"), m_minBuckets);
    auto *column = new QVBoxLayout(box);
    column->addLayout(form);
    column->addStretch(1);

    connect(m_method, &QComboBox::currentIndexChanged, m_methodPages, &QStackedWidget::setCurrentIndex);
    connect(m_method, &QComboBox::currentIndexChanged, this, &TileEditorDialog::validate);
    for (QComboBox *c : {m_period, m_window})
        connect(c, &QComboBox::currentTextChanged, this, &TileEditorDialog::validate);
    for (QDoubleSpinBox *s : {m_bandLow, m_bandHigh, m_staticLow, m_staticHigh, m_k})
        connect(s, &QDoubleSpinBox::valueChanged, this, &TileEditorDialog::validate);
    connect(m_lookback, &QSpinBox::valueChanged, this, &TileEditorDialog::validate);
    return box;
}

QGroupBox *TileEditorDialog::buildMarkersBox()
{
    auto *box = new QGroupBox(tr("Markers"), this);
    m_markerKinds = new QListWidget(box);
    m_markerKinds->setObjectName(QStringLiteral("markerKinds"));
    m_markerKinds->setToolTip(tr("Marker kinds to overlay on the chart and to consider as suspects"));
    m_services = new QLineEdit(box);
    m_services->setObjectName(QStringLiteral("services"));
    m_services->setPlaceholderText(tr("every service, or e.g. auth, frontend"));
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(new QLabel(tr("Kinds"), box));
    layout->addWidget(m_markerKinds, 1);
    layout->addWidget(new QLabel(tr("Services"), box));
    layout->addWidget(m_services);
    connect(m_markerKinds, &QListWidget::itemChanged, this, &TileEditorDialog::validate);
    return box;
}

QWidget *TileEditorDialog::buildQueries(const QStringList &sourceIds)
{
    auto *queries = new QWidget(this);
    m_query = new QueryForm(sourceIds, queries);
    m_numerator = new QueryForm(sourceIds, queries);
    m_denominator = new QueryForm(sourceIds, queries);
    m_queryBox = wrap(tr("Query"), m_query, queries);
    m_numeratorBox = wrap(tr("Numerator"), m_numerator, queries);
    m_denominatorBox = wrap(tr("Denominator"), m_denominator, queries);
    auto *layout = new QHBoxLayout(queries);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_queryBox);
    layout->addWidget(m_numeratorBox);
    layout->addWidget(m_denominatorBox);
    for (QueryForm *form : {m_query, m_numerator, m_denominator})
        connect(form, &QueryForm::changed, this, &TileEditorDialog::validate);
    return queries;
}

void TileEditorDialog::load(const Tile &tile)
{
    m_loading = true;
    m_name->setText(QString::fromStdString(tile.name));
    m_unit->setCurrentText(QString::fromStdString(tile.unit));
    m_decimals->setValue(tile.decimals);
    m_query->setQuery(tile.query);
    m_numerator->setQuery(tile.numerator);
    m_denominator->setQuery(tile.denominator);
    const RangeSpec &r = tile.range;
    m_method->setCurrentIndex(std::max<qsizetype>(0, kMethods.indexOf(QString::fromStdString(r.method))));
    m_methodPages->setCurrentIndex(m_method->currentIndex());
    m_period->setCurrentText(formatDuration(r.period));
    m_lookback->setValue(r.lookback);
    m_bandLow->setValue(r.bandLow);
    m_bandHigh->setValue(r.bandHigh);
    m_staticLow->setValue(r.staticLow);
    m_staticHigh->setValue(r.staticHigh);
    m_window->setCurrentText(formatDuration(r.window));
    m_k->setValue(r.k);
    m_minBuckets->setValue(r.minBuckets);

    QStringList kinds = kMarkerKinds;
    if (tile.markers) // kinds this list does not know stay, so that saving never drops them
        for (const std::string &k : tile.markers->kinds)
            if (!kinds.contains(QString::fromStdString(k)))
                kinds << QString::fromStdString(k);
    const auto checked = [&](const QString &kind) {
        const auto &scope = tile.markers;
        return !scope || scope->kinds.empty()
               || std::find(scope->kinds.begin(), scope->kinds.end(), kind.toStdString()) != scope->kinds.end();
    };
    m_markerKinds->clear();
    for (const QString &kind : kinds) {
        auto *item = new QListWidgetItem(kind, m_markerKinds);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(checked(kind) ? Qt::Checked : Qt::Unchecked);
    }
    m_markerKinds->setMinimumWidth(m_markerKinds->sizeHintForColumn(0) + 2 * m_markerKinds->frameWidth() + 24);
    QStringList services;
    if (tile.markers)
        for (const std::string &s : tile.markers->services)
            services << QString::fromStdString(s);
    m_services->setText(services.join(QStringLiteral(", ")));
    m_kind->setCurrentIndex(std::max<qsizetype>(0, kKinds.indexOf(QString::fromStdString(tile.kind))));
    kindChanged();
    m_loading = false;
    validate();
}

void TileEditorDialog::kindChanged()
{
    const QString kind = m_kind->currentText();
    const bool ratio = kind == QLatin1String("ratio");
    m_queryBox->setVisible(!ratio);
    m_numeratorBox->setVisible(ratio);
    m_denominatorBox->setVisible(ratio);
    m_kindHint->setText(kindHint(kind));
    if (m_loading)
        return;
    // Switching kind carries the query over when the other side is still blank.
    if (ratio && m_numerator->query() == Query{} && m_query->error().isEmpty())
        m_numerator->setQuery(m_query->query());
    if (!ratio && m_query->query() == Query{} && m_numerator->error().isEmpty())
        m_query->setQuery(m_numerator->query());
    if (m_unit->currentText().isEmpty() && ratio)
        m_unit->setCurrentText(QStringLiteral("%"));
    if (m_unit->currentText().isEmpty() && kind == QLatin1String("rate"))
        m_unit->setCurrentText(QStringLiteral("/h"));
    validate();
}

QString TileEditorDialog::rangeProblem() const
{
    switch (m_method->currentIndex()) {
    case 0:
        if (!positiveDuration(m_period))
            return tr("Normal range: invalid period \"%1\" (e.g. 1d, 7d)").arg(m_period->currentText());
        if (!scaledToNs(m_lookback->value(), *positiveDuration(m_period)))
            return tr("Normal range: %1 periods of %2 reach past 292 years").arg(m_lookback->value()).arg(m_period->currentText());
        if (m_bandLow->value() >= m_bandHigh->value())
            return tr("Normal range: the low band quantile must be below the high one");
        return {};
    case 1:
        if (m_staticLow->value() >= m_staticHigh->value())
            return tr("Normal range: the low bound must be below the high bound");
        return {};
    default:
        if (!positiveDuration(m_window))
            return tr("Normal range: invalid window \"%1\" (e.g. 1h, 6h)").arg(m_window->currentText());
        return {};
    }
}

void TileEditorDialog::validate()
{
    const bool ratio = m_kind->currentText() == QLatin1String("ratio");
    QString problem;
    const auto queryProblem = [](const QString &what, const QueryForm *form) {
        return form->error().isEmpty() ? QString() : what + QStringLiteral(": ") + form->error();
    };
    if (m_name->text().trimmed().isEmpty())
        problem = tr("Give the tile a name");
    if (problem.isEmpty())
        problem = ratio ? queryProblem(tr("Numerator"), m_numerator) : queryProblem(tr("Query"), m_query);
    if (problem.isEmpty() && ratio)
        problem = queryProblem(tr("Denominator"), m_denominator);
    if (problem.isEmpty())
        problem = rangeProblem();
    if (problem.isEmpty()) {
        bool any = false;
        for (int i = 0; i < m_markerKinds->count(); ++i)
            any = any || m_markerKinds->item(i)->checkState() == Qt::Checked;
        if (!any)
            problem = tr("Markers: check at least one kind");
    }
    m_problem = problem;
    m_problemLabel->setText(problem);
    m_problemLabel->setVisible(!problem.isEmpty());
    okButton()->setEnabled(problem.isEmpty());
    okButton()->setToolTip(problem);
}

QPushButton *TileEditorDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

RangeSpec TileEditorDialog::range() const
{
    RangeSpec r = m_tile.range;
    r.method = kMethods.value(m_method->currentIndex()).toStdString();
    r.period = positiveDuration(m_period).value_or(r.period);
    r.lookback = m_lookback->value();
    r.bandLow = m_bandLow->value();
    r.bandHigh = m_bandHigh->value();
    r.staticLow = m_staticLow->value();
    r.staticHigh = m_staticHigh->value();
    r.window = positiveDuration(m_window).value_or(r.window);
    r.k = m_k->value();
    r.minBuckets = m_minBuckets->value();
    return r;
}

// Every kind checked and no service named is no scope at all: every marker counts.
std::optional<MarkerScope> TileEditorDialog::markers() const
{
    MarkerScope scope;
    bool all = true;
    for (int i = 0; i < m_markerKinds->count(); ++i) {
        const QListWidgetItem *item = m_markerKinds->item(i);
        if (item->checkState() == Qt::Checked)
            scope.kinds.push_back(item->text().toStdString());
        else
            all = false;
    }
    if (all)
        scope.kinds.clear();
    scope.services = commaList(m_services->text());
    if (scope.kinds.empty() && scope.services.empty())
        return std::nullopt;
    return scope;
}

Tile TileEditorDialog::tile() const
{
    Tile t = m_tile;
    t.name = m_name->text().trimmed().toStdString();
    t.kind = m_kind->currentText().toStdString();
    t.unit = m_unit->currentText().trimmed().toStdString();
    t.decimals = m_decimals->value();
    t.query = m_query->query();
    t.numerator = m_numerator->query();
    t.denominator = m_denominator->query();
    t.range = range();
    t.markers = markers();
    return t;
}

} // namespace fd
