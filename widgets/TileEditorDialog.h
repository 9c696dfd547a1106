#pragma once
#include "models/Board.h"
#include <QDialog>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace fd {

class QueryForm;

// Edits one mission-control tile: name, kind and its queries, unit and number format, the normal
// range and the markers it overlays. OK stays disabled, with the reason shown, while anything is invalid.
class TileEditorDialog : public QDialog
{
    Q_OBJECT
public:
    TileEditorDialog(const Tile &tile, const QStringList &sourceIds, QWidget *parent = nullptr);

    // The edited tile; meaningful while problem() is empty.
    Tile tile() const;
    // What keeps OK disabled, or empty.
    QString problem() const { return m_problem; }

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *kindBox() const { return m_kind; }
    QComboBox *unitBox() const { return m_unit; }
    QSpinBox *decimalsBox() const { return m_decimals; }
    QueryForm *queryForm() const { return m_query; }
    QueryForm *numeratorForm() const { return m_numerator; }
    QueryForm *denominatorForm() const { return m_denominator; }
    QComboBox *methodBox() const { return m_method; }
    QListWidget *markerKindList() const { return m_markerKinds; }
    QLineEdit *servicesEdit() const { return m_services; }
    QPushButton *okButton() const;

private:
    QGroupBox *buildTileBox();
    QGroupBox *buildRangeBox();
    QGroupBox *buildMarkersBox();
    QWidget *buildQueries(const QStringList &sourceIds);
    void load(const Tile &tile);
    void kindChanged();
    void validate();
    QString rangeProblem() const;
    RangeSpec range() const;
    std::optional<MarkerScope> markers() const;

    Tile m_tile; // keeps what the dialog does not edit (the grid size)
    QString m_problem;
    bool m_loading = false;
    QLineEdit *m_name = nullptr;
    QComboBox *m_kind = nullptr;
    QLabel *m_kindHint = nullptr;
    QComboBox *m_unit = nullptr;
    QSpinBox *m_decimals = nullptr;
    QGroupBox *m_queryBox = nullptr;
    QGroupBox *m_numeratorBox = nullptr;
    QGroupBox *m_denominatorBox = nullptr;
    QueryForm *m_query = nullptr;
    QueryForm *m_numerator = nullptr;
    QueryForm *m_denominator = nullptr;
    QComboBox *m_method = nullptr;
    QStackedWidget *m_methodPages = nullptr;
    QComboBox *m_period = nullptr;
    QSpinBox *m_lookback = nullptr;
    QDoubleSpinBox *m_bandLow = nullptr;
    QDoubleSpinBox *m_bandHigh = nullptr;
    QDoubleSpinBox *m_staticLow = nullptr;
    QDoubleSpinBox *m_staticHigh = nullptr;
    QComboBox *m_window = nullptr;
    QDoubleSpinBox *m_k = nullptr;
    QSpinBox *m_minBuckets = nullptr;
    QListWidget *m_markerKinds = nullptr;
    QLineEdit *m_services = nullptr;
    QLabel *m_problemLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace fd
