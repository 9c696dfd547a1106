#pragma once
#include "ErrorUnderline.h"
#include "models/PromQlLexer.h"
#include <QHash>
#include <QPlainTextEdit>
#include <QSet>
#include <optional>

class QCompleter;
class QStandardItemModel;

namespace fd {

class PromQlCompletionSource;
class PromQlHighlighter;
class SqlHighlighter;

// A PromQL query box: one line tall, growing with its content up to a few lines; highlighted; completing
// functions, keywords and durations itself and metric names, label names and label values from a
// PromQlCompletionSource (asked once per key, answers cached). Enter runs, Shift+Enter adds a line, Esc
// closes the popup or cancels, Up/Down on the first/last line walk the history of run queries.
class PromQlEditor : public QPlainTextEdit
{
    Q_OBJECT
public:
    enum class ItemKind { Metric, Aggregation, Function, Keyword, LabelName, LabelValue, Duration };
    static constexpr int kItemKindRole = Qt::UserRole + 1;
    static constexpr int kMaxLines = 6;

    explicit PromQlEditor(QWidget *parent = nullptr);

    // Not owned; nullptr leaves only the static vocabulary.
    void setCompletionSource(PromQlCompletionSource *source) { m_source = source; }
    // Forgets the cached names (another server, another time range).
    void clearCompletionCache();

    // The raw query language (DataSource capabilities().language): "PromQL" (the default) completes and
    // highlights PromQL; "SQL" highlights SQL and points SQL errors; anything else (LogQL, TraceQL ...)
    // keeps the PromQL colours, which fit their selectors and functions, without PromQL completion.
    void setLanguage(const QString &language);
    QString language() const { return m_language; }

    QString query() const { return toPlainText(); }
    // Most recent first.
    void setHistory(const QStringList &history);
    QStringList history() const { return m_history; }

    // Underlines where the server's message points (the whole query when it names no position) until the
    // next edit, and shows the message as the tooltip.
    void showError(const QString &message);
    void clearError();
    QString errorMessage() const { return m_error.message(); }

    QCompleter *completer() const { return m_completer; }
    PromQlHighlighter *highlighter() const { return m_highlighter; }

public Q_SLOTS:
    void setMetricNames(const QStringList &names);
    void setLabelNames(const QString &metric, const QStringList &names);
    void setLabelValues(const QString &label, const QString &metric, const QStringList &values);
    // What Ctrl+Space does.
    void showCompletions() { updateCompletions(true); }

Q_SIGNALS:
    void runRequested();
    void cancelRequested();
    // The message showError() got, or an empty string once it is cleared: for a label under the editor.
    void errorChanged(const QString &message);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Item {
        QString text;
        ItemKind kind;
    };

    bool handlePopupKey(QKeyEvent *event);
    void updateCompletions(bool explicitRequest);
    QList<Item> candidates(const PromQlCompletionContext &context);
    std::optional<QStringList> cachedNames(const PromQlCompletionContext &context);
    void fillModel(const QList<Item> &items);
    void showPopup();
    void hidePopup();
    void insertCompletion(const QString &text, ItemKind kind);
    void insertValue(QTextCursor &cursor, const QString &value);
    void run();
    bool walkHistory(int step);
    void onTextChanged();
    void updateHeight();
    std::pair<int, int> errorRange(const QString &message) const;

    PromQlCompletionSource *m_source = nullptr;
    PromQlHighlighter *m_highlighter = nullptr;
    SqlHighlighter *m_sqlHighlighter = nullptr;
    QString m_language = QStringLiteral("PromQL");
    QCompleter *m_completer = nullptr;
    QStandardItemModel *m_model = nullptr;

    std::optional<QStringList> m_metricNames;
    QHash<QString, QStringList> m_labelNames; // by metric
    QHash<QString, QStringList> m_labelValues; // by label + metric
    QSet<QString> m_requested; // keys asked of the source
    QString m_awaitedKey; // the key the open context waits for

    QStringList m_history;
    int m_historyIndex = -1; // -1: editing the draft, not a history entry
    QString m_draft;

    ErrorUnderline m_error{this};
};

} // namespace fd
