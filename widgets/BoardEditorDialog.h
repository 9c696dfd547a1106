#pragma once
#include "models/Board.h"
#include <QDialog>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace fd {

class BoardPreview;

// Edits one board: its name, and its tiles in a list (add, edit, duplicate, remove, reorder,
// resize) beside a live preview of the grid.
class BoardEditorDialog : public QDialog
{
    Q_OBJECT
public:
    BoardEditorDialog(const Board &board, const QStringList &sourceIds, QWidget *parent = nullptr);

    // Names of the workspace's other boards: a board name must be unique.
    void setTakenNames(const QStringList &names);
    Board board() const;
    int currentTile() const;
    void setCurrentTile(int index);
    QString problem() const { return m_problem; }

    QLineEdit *nameEdit() const { return m_name; }
    QListWidget *tileList() const { return m_list; }
    QSpinBox *widthBox() const { return m_width; }
    QSpinBox *heightBox() const { return m_height; }
    BoardPreview *preview() const { return m_preview; }
    QPushButton *okButton() const;

public Q_SLOTS:
    // Add and Edit open a TileEditorDialog.
    void addTile();
    void editTile();
    void duplicateTile();
    void removeTile();
    void moveTile(int delta);
    // Moves a tile to another place in the order (dragged in the preview).
    void moveTileTo(int from, int to);

private:
    QWidget *buildTileButtons();
    QWidget *buildPreview();
    void insertTile(int index, const Tile &tile);
    void refreshList(int current);
    void selectionChanged();
    void resizeTile();
    void validate();
    QString uniqueTileName(const QString &base) const;

    Board m_board;
    QStringList m_sourceIds;
    QStringList m_takenNames;
    QString m_problem;
    bool m_updating = false;
    QLineEdit *m_name = nullptr;
    QListWidget *m_list = nullptr;
    QSpinBox *m_width = nullptr;
    QSpinBox *m_height = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    QComboBox *m_previewColumns = nullptr;
    BoardPreview *m_preview = nullptr;
    QLabel *m_problemLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace fd
