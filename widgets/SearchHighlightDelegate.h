#pragma once
#include <QStyledItemDelegate>
#include <utility>

namespace fd {

// Paints a cell's text with every case-insensitive occurrence of the search term highlighted.
class SearchHighlightDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void setTerm(const QString &term) { m_term = term; }
    QString term() const { return m_term; }
    // (start, length) of each occurrence of term in text, left to right, not overlapping.
    static QList<std::pair<int, int>> matches(const QString &text, const QString &term);
    static QColor highlightColor();

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    QString m_term;
};

} // namespace fd
