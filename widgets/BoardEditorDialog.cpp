#include "BoardEditorDialog.h"
#include "BoardPreview.h"
#include "ErrorLabel.h"
#include "TileEditorDialog.h"
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

namespace fd {

namespace {
QString tileLabel(const Tile &t)
{
    QString detail = QString::fromStdString(t.kind);
    if (!t.unit.empty())
        detail += QStringLiteral(" · ") + QString::fromStdString(t.unit);
    return QStringLiteral("%1\n%2 · %3×%4").arg(QString::fromStdString(t.name), detail).arg(t.columns).arg(t.rows);
}

QPushButton *button(const QString &text, const QString &name, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    b->setAutoDefault(false);
    return b;
}
} // namespace

BoardEditorDialog::BoardEditorDialog(const Board &board, const QStringList &sourceIds, QWidget *parent)
    : QDialog(parent), m_board(board), m_sourceIds(sourceIds)
{
    setWindowTitle(tr("Edit board"));
    m_name = new QLineEdit(QString::fromStdString(board.name), this);
    m_name->setObjectName(QStringLiteral("boardName"));
    m_name->setPlaceholderText(tr("e.g. Business"));
    auto *nameRow = new QFormLayout;
    nameRow->addRow(tr("Board name"), m_name);

    auto *tilesBox = new QGroupBox(tr("Tiles"), this);
    m_list = new QListWidget(tilesBox);
    m_list->setObjectName(QStringLiteral("tiles"));
    m_list->setAlternatingRowColors(true);
    m_width = new QSpinBox(tilesBox);
    m_width->setObjectName(QStringLiteral("tileWidth"));
    m_width->setRange(1, kMaxTileSpan);
    m_width->setToolTip(tr("Width in grid columns (a narrow window shows at most 2)"));
    m_height = new QSpinBox(tilesBox);
    m_height->setObjectName(QStringLiteral("tileHeight"));
    m_height->setRange(1, kMaxTileSpan);
    m_height->setToolTip(tr("Height in grid rows"));
    auto *size = new QHBoxLayout;
    size->addWidget(new QLabel(tr("Width"), tilesBox));
    size->addWidget(m_width, 1);
    size->addWidget(new QLabel(tr("Height"), tilesBox));
    size->addWidget(m_height, 1);
    auto *listColumn = new QVBoxLayout;
    listColumn->addWidget(m_list, 1);
    listColumn->addLayout(size);
    auto *tilesLayout = new QHBoxLayout(tilesBox);
    tilesLayout->addLayout(listColumn, 1);
    tilesLayout->addWidget(buildTileButtons());

    auto *main = new QHBoxLayout;
    main->addWidget(tilesBox, 2);
    main->addWidget(buildPreview(), 3);

    m_problemLabel = makeErrorLabel(this);
    m_problemLabel->setObjectName(QStringLiteral("problem"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_problemLabel, 1);
    bottom->addWidget(m_buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(nameRow);
    layout->addLayout(main, 1);
    layout->addLayout(bottom);

    connect(m_name, &QLineEdit::textChanged, this, &BoardEditorDialog::validate);
    connect(m_list, &QListWidget::currentRowChanged, this, &BoardEditorDialog::selectionChanged);
    connect(m_list, &QListWidget::itemDoubleClicked, this, &BoardEditorDialog::editTile);
    connect(m_width, &QSpinBox::valueChanged, this, &BoardEditorDialog::resizeTile);
    connect(m_height, &QSpinBox::valueChanged, this, &BoardEditorDialog::resizeTile);
    resize(1000, 600);
    refreshList(m_board.tiles.empty() ? -1 : 0);
}

QWidget *BoardEditorDialog::buildTileButtons()
{
    auto *column = new QWidget(this);
    auto *add = button(tr("Add…"), QStringLiteral("addTile"), column);
    m_edit = button(tr("Edit…"), QStringLiteral("editTile"), column);
    m_duplicate = button(tr("Duplicate"), QStringLiteral("duplicateTile"), column);
    m_remove = button(tr("Remove"), QStringLiteral("removeTile"), column);
    m_up = button(tr("Move up"), QStringLiteral("moveUp"), column);
    m_down = button(tr("Move down"), QStringLiteral("moveDown"), column);
    auto *layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QPushButton *b : {add, m_edit, m_duplicate, m_remove})
        layout->addWidget(b);
    layout->addSpacing(12);
    layout->addWidget(m_up);
    layout->addWidget(m_down);
    layout->addStretch(1);
    connect(add, &QPushButton::clicked, this, &BoardEditorDialog::addTile);
    connect(m_edit, &QPushButton::clicked, this, &BoardEditorDialog::editTile);
    connect(m_duplicate, &QPushButton::clicked, this, &BoardEditorDialog::duplicateTile);
    connect(m_remove, &QPushButton::clicked, this, &BoardEditorDialog::removeTile);
    connect(m_up, &QPushButton::clicked, this, [this] { moveTile(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveTile(1); });
    return column;
}

QWidget *BoardEditorDialog::buildPreview()
{
    auto *box = new QGroupBox(tr("Preview"), this);
    m_previewColumns = new QComboBox(box);
    m_previewColumns->addItem(tr("Wide window (3 columns)"), 3);
    m_previewColumns->addItem(tr("Narrow window (2 columns)"), 2);
    m_previewColumns->addItem(tr("Very wide window (4 columns)"), 4);
    m_preview = new BoardPreview(box);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_previewColumns, 0, Qt::AlignLeft);
    layout->addWidget(m_preview, 1);
    connect(m_previewColumns, &QComboBox::currentIndexChanged, this,
            [this] { m_preview->setColumns(m_previewColumns->currentData().toInt()); });
    connect(m_preview, &BoardPreview::tileClicked, this, &BoardEditorDialog::setCurrentTile);
    connect(m_preview, &BoardPreview::tileMoved, this, &BoardEditorDialog::moveTileTo);
    connect(m_preview, &BoardPreview::tileResized, this, [this](int index, int columns, int rows) {
        setCurrentTile(index);
        m_width->setValue(columns);
        m_height->setValue(rows);
    });
    connect(m_preview, &BoardPreview::tileDoubleClicked, this, [this](int index) {
        setCurrentTile(index);
        editTile();
    });
    m_preview->setColumns(3);
    return box;
}

void BoardEditorDialog::setTakenNames(const QStringList &names)
{
    m_takenNames = names;
    validate();
}

Board BoardEditorDialog::board() const
{
    Board b = m_board;
    b.name = m_name->text().trimmed().toStdString();
    return b;
}

int BoardEditorDialog::currentTile() const
{
    return m_list->currentRow();
}

void BoardEditorDialog::setCurrentTile(int index)
{
    m_list->setCurrentRow(index);
}

QPushButton *BoardEditorDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QString BoardEditorDialog::uniqueTileName(const QString &base) const
{
    const auto taken = [this](const QString &name) {
        return std::any_of(m_board.tiles.begin(), m_board.tiles.end(),
                           [&](const Tile &t) { return QString::fromStdString(t.name) == name; });
    };
    QString name = base;
    for (int n = 2; taken(name); ++n)
        name = QStringLiteral("%1 %2").arg(base).arg(n);
    return name;
}

void BoardEditorDialog::addTile()
{
    Tile tile;
    tile.name = uniqueTileName(tr("New tile")).toStdString();
    tile.query.agg.kind = Aggregate::Kind::Count;
    TileEditorDialog editor(tile, m_sourceIds, this);
    editor.setWindowTitle(tr("Add tile"));
    if (editor.exec() != QDialog::Accepted)
        return;
    insertTile(currentTile() < 0 ? static_cast<int>(m_board.tiles.size()) : currentTile() + 1, editor.tile());
}

void BoardEditorDialog::editTile()
{
    const int index = currentTile();
    if (index < 0)
        return;
    TileEditorDialog editor(m_board.tiles[index], m_sourceIds, this);
    if (editor.exec() != QDialog::Accepted)
        return;
    m_board.tiles[index] = editor.tile();
    refreshList(index);
}

void BoardEditorDialog::duplicateTile()
{
    const int index = currentTile();
    if (index < 0)
        return;
    Tile copy = m_board.tiles[index];
    copy.name = uniqueTileName(tr("%1 copy").arg(QString::fromStdString(copy.name))).toStdString();
    insertTile(index + 1, copy);
}

void BoardEditorDialog::removeTile()
{
    const int index = currentTile();
    if (index < 0)
        return;
    m_board.tiles.erase(m_board.tiles.begin() + index);
    refreshList(std::min(index, static_cast<int>(m_board.tiles.size()) - 1));
}

void BoardEditorDialog::moveTile(int delta)
{
    const int index = currentTile();
    const int target = index + delta;
    if (index < 0 || target < 0 || target >= static_cast<int>(m_board.tiles.size()))
        return;
    std::swap(m_board.tiles[index], m_board.tiles[target]);
    refreshList(target);
}

void BoardEditorDialog::moveTileTo(int from, int to)
{
    const int count = static_cast<int>(m_board.tiles.size());
    if (from < 0 || to < 0 || from >= count || to >= count || from == to)
        return;
    Tile moved = m_board.tiles[from];
    m_board.tiles.erase(m_board.tiles.begin() + from);
    m_board.tiles.insert(m_board.tiles.begin() + to, std::move(moved));
    refreshList(to);
}

void BoardEditorDialog::insertTile(int index, const Tile &tile)
{
    m_board.tiles.insert(m_board.tiles.begin() + index, tile);
    refreshList(index);
}

void BoardEditorDialog::refreshList(int current)
{
    m_updating = true;
    m_list->clear();
    for (const Tile &t : m_board.tiles)
        m_list->addItem(tileLabel(t));
    m_list->setCurrentRow(current);
    m_preview->setBoard(m_board);
    m_updating = false;
    selectionChanged();
    validate();
}

void BoardEditorDialog::selectionChanged()
{
    if (m_updating)
        return;
    const int index = currentTile();
    const bool any = index >= 0;
    const int count = static_cast<int>(m_board.tiles.size());
    for (QWidget *w : std::initializer_list<QWidget *>{m_edit, m_duplicate, m_remove, m_width, m_height})
        w->setEnabled(any);
    m_up->setEnabled(any && index > 0);
    m_down->setEnabled(any && index + 1 < count);
    m_updating = true;
    m_width->setValue(any ? m_board.tiles[index].columns : 1);
    m_height->setValue(any ? m_board.tiles[index].rows : 1);
    m_updating = false;
    m_preview->setSelected(index);
}

void BoardEditorDialog::resizeTile()
{
    const int index = currentTile();
    if (m_updating || index < 0)
        return;
    Tile &t = m_board.tiles[index];
    t.columns = m_width->value();
    t.rows = m_height->value();
    m_list->item(index)->setText(tileLabel(t));
    m_preview->setBoard(m_board);
}

void BoardEditorDialog::validate()
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty())
        m_problem = tr("Give the board a name");
    else if (m_takenNames.contains(name))
        m_problem = tr("Another board is already called \"%1\"").arg(name);
    else if (const std::string repeated = repeatedTileName(m_board); !repeated.empty())
        m_problem = tr("Two tiles are called \"%1\"").arg(QString::fromStdString(repeated)); // such a board does not load
    else
        m_problem.clear();
    m_problemLabel->setText(m_problem);
    m_problemLabel->setVisible(!m_problem.isEmpty());
    okButton()->setEnabled(m_problem.isEmpty());
    okButton()->setToolTip(m_problem);
}

} // namespace fd
