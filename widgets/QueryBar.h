#pragma once
#include "CompletionCountDelegate.h"
#include "ErrorUnderline.h"
#include "models/Query.h"
#include "models/QuerySentence.h"
#include <QPlainTextEdit>
#include <optional>

class QCompleter;
class QStandardItemModel;

namespace fd {

class FieldCompletion;
class SentenceHighlighter;

// The query builder's sentence ("logs where service.name = auth count by service.name every 5m"), one
// line, highlighted as tokens, completing the signal, keywords, operators and intervals itself and field
// names and values (with their counts) from a FieldCompletion. Typing opens the list; Tab takes the
// selected item (or opens the list, or moves on when nothing fits); Enter runs (or takes an item picked
// with the arrows); Esc closes the list or cancels the running query; Up/Down walk the history.
class QueryBar : public QPlainTextEdit
{
    Q_OBJECT
public:
    static constexpr int kCountRole = CompletionCountDelegate::kCountRole;

    explicit QueryBar(QWidget *parent = nullptr);

    void setFieldCompletion(FieldCompletion *completion); // not owned
    QString text() const { return toPlainText(); }
    void setText(const QString &text);

    // The sentence's query; nullopt with the error underlined and errorChanged() emitted when it is wrong.
    std::optional<Query> query();
    void showError(const QString &message, int start, int end);
    void clearError();
    QString errorMessage() const { return m_error.message(); }

    QCompleter *completer() const { return m_completer; }
    SentenceHighlighter *highlighter() const { return m_highlighter; }

public Q_SLOTS:
    void showCompletions() { updateCompletions(true); }
    // Closes the list, and no answer still on its way opens it (Esc, which the window takes for Cancel when no
    // list is open yet).
    void closeCompletions();

Q_SIGNALS:
    void runRequested();
    void cancelRequested();
    // Up (+1, older) or Down (-1, newer) with no list open: the owner walks its history.
    void historyStep(int step);
    void errorChanged(const QString &message);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool focusNextPrevChild(bool next) override;

private:
    struct Item {
        QString text;
        SentenceExpect kind;
        qint64 count = -1;
    };
    bool handlePopupKey(QKeyEvent *event);
    void updateCompletions(bool explicitRequest);
    QList<Item> candidates(const SentenceContext &context);
    void showPopup(const QList<Item> &items, const SentenceContext &context);
    void hidePopup();
    void insertCompletion(const QString &text, SentenceExpect kind);
    void onAnswer();

    FieldCompletion *m_fields = nullptr;
    SentenceHighlighter *m_highlighter = nullptr;
    QCompleter *m_completer = nullptr;
    QStandardItemModel *m_model = nullptr;
    bool m_awaiting = false; // the open context waits for the source's names or values
    bool m_picked = false;   // the user moved through the list with the arrows
    ErrorUnderline m_error{this};
};

} // namespace fd
