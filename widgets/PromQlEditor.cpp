#include "PromQlEditor.h"
#include "EditorPopup.h"
#include "PromQlCompletionSource.h"
#include "PromQlHighlighter.h"
#include "SqlHighlighter.h"
#include "models/PromQlError.h"
#include "models/SqlError.h"
#include <QAbstractItemView>
#include <QCompleter>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QTextBlock>
#include <QToolTip>

namespace fd {

namespace {

using ItemKind = PromQlEditor::ItemKind;

constexpr int kMaxPromQlItems = 500;
const QString kMetricsKey = QStringLiteral("metrics");

QString labelNamesKey(const QString &metric)
{
    return u"names\x1f" + metric;
}
QString labelValuesKey(const QString &label, const QString &metric)
{
    return label + u'\x1f' + metric;
}

bool isIdentChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_' || u == u':';
}

// Characters after which completion opens by itself.
bool opensPromQlCompletion(QChar c)
{
    return isIdentChar(c) || QStringView(u"{=\"'`[(,~").contains(c);
}

bool isGroupingKeyword(const QString &word)
{
    return word == u"by" || word == u"without" || word == u"on" || word == u"ignoring" || word == u"group_left"
        || word == u"group_right";
}

QIcon kindIcon(ItemKind kind)
{
    struct Look {
        QRgb colour;
        char16_t letter;
    };
    static const Look looks[] = { { 0x1565c0, u'm' }, { 0x8d5a00, u'a' }, { 0x795e26, u'f' }, { 0x8f0fa8, u'k' },
        { 0x1a6e7e, u'l' }, { 0xa31515, u'v' }, { 0x0f7040, u'd' } };
    static QHash<int, QIcon> cache;
    const int index = int(kind);
    if (!cache.contains(index)) {
        QPixmap pixmap(32, 32);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(looks[index].colour));
        p.drawRoundedRect(QRectF(2, 2, 28, 28), 6, 6);
        QFont font = p.font();
        font.setPixelSize(20);
        font.setBold(true);
        p.setFont(font);
        p.setPen(Qt::white);
        p.drawText(QRect(0, 0, 32, 30), Qt::AlignCenter, QString(QChar(looks[index].letter)));
        p.end();
        cache.insert(index, QIcon(pixmap));
    }
    return cache.value(index);
}

QString kindName(ItemKind kind)
{
    switch (kind) {
    case ItemKind::Metric:
        return PromQlEditor::tr("metric");
    case ItemKind::Aggregation:
        return PromQlEditor::tr("aggregation");
    case ItemKind::Function:
        return PromQlEditor::tr("function");
    case ItemKind::Keyword:
        return PromQlEditor::tr("keyword");
    case ItemKind::LabelName:
        return PromQlEditor::tr("label");
    case ItemKind::LabelValue:
        return PromQlEditor::tr("label value");
    case ItemKind::Duration:
        return PromQlEditor::tr("duration");
    }
    return {};
}

QStringList durationCandidates(const QString &prefix)
{
    if (prefix.isEmpty()) {
        return { QStringLiteral("1m"), QStringLiteral("5m"), QStringLiteral("10m"), QStringLiteral("15m"),
            QStringLiteral("30m"), QStringLiteral("1h"), QStringLiteral("6h"), QStringLiteral("12h"),
            QStringLiteral("1d"), QStringLiteral("7d") };
    }
    QStringList out;
    if (prefix.back().isDigit()) {
        for (const QString &unit : PromQlLexer::durationUnits())
            out << prefix + unit;
    }
    return out;
}

// The end of the quoted value that starts at `from`: the index of its closing quote, or -1.
int closingQuote(const QString &text, int from, QChar quote)
{
    for (int i = from; i < text.size() && text[i] != u'\n'; ++i) {
        if (text[i] == quote)
            return i;
        if (text[i] == u'\\' && quote != u'`')
            ++i;
    }
    return -1;
}

} // namespace

PromQlEditor::PromQlEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_highlighter(new PromQlHighlighter(document(), hasDarkBase(palette())))
    , m_completer(new QCompleter(this))
    , m_model(new QStandardItemModel(this))
{
    setObjectName(QStringLiteral("promQlEditor"));
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTabChangesFocus(true);
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setPlaceholderText(tr("PromQL, e.g. rate(http_requests_total[5m]) \u2014 Enter runs, Shift+Enter adds a line"));

    m_completer->setModel(m_model);
    m_completer->setWidget(this);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setMaxVisibleItems(12);
    m_completer->popup()->setObjectName(QStringLiteral("promQlCompletionPopup"));
    m_completer->popup()->setFont(font());
    connect(m_completer, qOverload<const QModelIndex &>(&QCompleter::activated), this, [this](const QModelIndex &i) {
        insertCompletion(i.data(Qt::DisplayRole).toString(), ItemKind(i.data(kItemKindRole).toInt()));
    });
    connect(this, &QPlainTextEdit::textChanged, this, &PromQlEditor::onTextChanged);
    updateHeight();
}

void PromQlEditor::setLanguage(const QString &language)
{
    if (language == m_language)
        return;
    m_language = language;
    const bool sql = language.compare(u"SQL", Qt::CaseInsensitive) == 0;
    if (sql && !m_sqlHighlighter)
        m_sqlHighlighter = new SqlHighlighter(document(), hasDarkBase(palette())); // owned by the document
    m_highlighter->setDocument(sql ? nullptr : document());
    if (m_sqlHighlighter)
        m_sqlHighlighter->setDocument(sql ? document() : nullptr);
    if (!language.isEmpty() && language != u"PromQL") {
        hidePopup();
        setPlaceholderText(tr("%1 \u2014 Enter runs, Shift+Enter adds a line").arg(language));
    }
}

void PromQlEditor::clearCompletionCache()
{
    m_metricNames.reset();
    m_labelNames.clear();
    m_labelValues.clear();
    m_requested.clear();
    m_awaitedKey.clear();
}

void PromQlEditor::setHistory(const QStringList &history)
{
    m_history.clear();
    for (const QString &q : history) {
        if (!q.trimmed().isEmpty() && !m_history.contains(q.trimmed()))
            m_history << q.trimmed();
    }
    m_historyIndex = -1;
}

// --- completion answers

void PromQlEditor::setMetricNames(const QStringList &names)
{
    m_metricNames = names;
    m_requested.remove(kMetricsKey);
    if (m_awaitedKey == kMetricsKey)
        updateCompletions(false);
}

void PromQlEditor::setLabelNames(const QString &metric, const QStringList &names)
{
    const QString key = labelNamesKey(metric);
    m_labelNames.insert(metric, names);
    m_requested.remove(key);
    if (m_awaitedKey == key)
        updateCompletions(false);
}

void PromQlEditor::setLabelValues(const QString &label, const QString &metric, const QStringList &values)
{
    const QString key = labelValuesKey(label, metric);
    m_labelValues.insert(key, values);
    m_requested.remove(key);
    if (m_awaitedKey == key)
        updateCompletions(false);
}

// --- keys

void PromQlEditor::keyPressEvent(QKeyEvent *event)
{
    const bool popupOpen = m_completer->popup()->isVisible();
    if (popupOpen && handlePopupKey(event))
        return;
    const int key = event->key();
    const Qt::KeyboardModifiers mods = event->modifiers();
    if (key == Qt::Key_Space && (mods & (Qt::ControlModifier | Qt::MetaModifier))) {
        showCompletions();
        return;
    }
    if (key == Qt::Key_Return || key == Qt::Key_Enter) {
        if (mods & Qt::ShiftModifier)
            textCursor().insertText(QStringLiteral("\n")); // a new block, not QPlainTextEdit's U+2028
        else
            run();
        return;
    }
    if (key == Qt::Key_Escape) {
        Q_EMIT cancelRequested();
        return;
    }
    if ((key == Qt::Key_Up || key == Qt::Key_Down) && !(mods & ~Qt::KeypadModifier)) {
        QTextCursor probe = textCursor();
        const bool up = key == Qt::Key_Up;
        if (!probe.movePosition(up ? QTextCursor::Up : QTextCursor::Down) && walkHistory(up ? 1 : -1))
            return;
    }
    QPlainTextEdit::keyPressEvent(event);
    const QString typed = event->text();
    if ((!typed.isEmpty() && opensPromQlCompletion(typed.back())) || popupOpen)
        updateCompletions(false);
}

bool PromQlEditor::handlePopupKey(QKeyEvent *event)
{
    QAbstractItemView *popup = m_completer->popup();
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Tab: {
        if (event->key() != Qt::Key_Tab && (event->modifiers() & Qt::ShiftModifier)) {
            hidePopup();
            return false; // a new line, as without the list (exploratory test: it took the list's item)
        }
        const QModelIndex current = popup->currentIndex();
        hidePopup();
        if (!current.isValid())
            return event->key() == Qt::Key_Tab;
        insertCompletion(current.data(Qt::DisplayRole).toString(), ItemKind(current.data(kItemKindRole).toInt()));
        return true;
    }
    case Qt::Key_Escape:
        hidePopup();
        return true;
    default:
        return stepCompletionList(m_completer, event->key());
    }
}

// --- completion

void PromQlEditor::updateCompletions(bool explicitRequest)
{
    const QTextCursor cursor = textCursor();
    if (cursor.hasSelection() || isReadOnly() || (!m_language.isEmpty() && m_language != u"PromQL"))
        return hidePopup();
    const QString text = toPlainText();
    const PromQlCompletionContext context = completionContextAt(text, cursor.position());
    m_awaitedKey.clear();
    const QList<Item> items = candidates(context);
    const bool onlyWhatIsTyped = items.size() == 1 && items.front().text == context.prefix;
    // Opening by itself after "=" or "a + " would list every function; only "(" and "," ask for that.
    const QChar before = cursor.position() > 0 ? text[cursor.position() - 1] : QChar();
    const bool bareExpression = context.expect == PromQlExpect::MetricOrFunction && context.prefix.isEmpty()
        && !text.isEmpty() && before != u'(' && before != u',';
    if (items.isEmpty() || (!explicitRequest && (onlyWhatIsTyped || bareExpression)))
        return hidePopup();
    fillModel(items);
    showPopup();
}

std::optional<QStringList> PromQlEditor::cachedNames(const PromQlCompletionContext &context)
{
    QString key;
    std::optional<QStringList> names;
    if (context.expect == PromQlExpect::MetricOrFunction
        || (context.expect == PromQlExpect::LabelValue && context.label == u"__name__")) {
        key = kMetricsKey;
        names = m_metricNames;
    } else if (context.expect == PromQlExpect::LabelName) {
        key = labelNamesKey(context.metric);
        if (m_labelNames.contains(context.metric))
            names = m_labelNames.value(context.metric);
    } else if (context.expect == PromQlExpect::LabelValue) {
        key = labelValuesKey(context.label, context.metric);
        if (m_labelValues.contains(key))
            names = m_labelValues.value(key);
    }
    if (names || key.isEmpty() || !m_source)
        return names;
    m_awaitedKey = key;
    if (!m_requested.contains(key)) {
        m_requested.insert(key);
        if (key == kMetricsKey)
            m_source->requestMetricNames();
        else if (context.expect == PromQlExpect::LabelName)
            m_source->requestLabelNames(context.metric);
        else
            m_source->requestLabelValues(context.label, context.metric);
    }
    return names;
}

QList<PromQlEditor::Item> PromQlEditor::candidates(const PromQlCompletionContext &context)
{
    QList<Item> all;
    auto add = [&all](const QStringList &names, ItemKind kind) {
        for (const QString &name : names)
            all.append({ name, kind });
    };
    const QStringList names = cachedNames(context).value_or(QStringList());
    switch (context.expect) {
    case PromQlExpect::MetricOrFunction:
        add(names, ItemKind::Metric);
        add(PromQlLexer::aggregations(), ItemKind::Aggregation);
        add(PromQlLexer::functions(), ItemKind::Function);
        break;
    case PromQlExpect::LabelName:
        add(names, ItemKind::LabelName);
        break;
    case PromQlExpect::LabelValue:
        add(names, ItemKind::LabelValue);
        break;
    case PromQlExpect::Duration:
        add(durationCandidates(context.prefix), ItemKind::Duration);
        break;
    case PromQlExpect::Keyword:
        for (const QString &keyword : PromQlLexer::keywords()) {
            if (keyword != u"@")
                all.append({ keyword, ItemKind::Keyword });
        }
        break;
    case PromQlExpect::Nothing:
        break;
    }
    // Names that start with what is typed first, then server names that contain it ("requests" finds
    // http_requests_total); the fixed vocabulary only by its start, so "up" does not offer "group".
    QList<Item> starting;
    QList<Item> containing;
    for (const Item &item : std::as_const(all)) {
        const bool serverName
            = item.kind == ItemKind::Metric || item.kind == ItemKind::LabelName || item.kind == ItemKind::LabelValue;
        if (item.text.startsWith(context.prefix, Qt::CaseInsensitive))
            starting.append(item);
        else if (serverName && item.text.contains(context.prefix, Qt::CaseInsensitive))
            containing.append(item);
    }
    starting += containing;
    if (starting.size() > kMaxPromQlItems)
        starting.resize(kMaxPromQlItems);
    return starting;
}

void PromQlEditor::fillModel(const QList<Item> &items)
{
    m_model->clear();
    for (const Item &item : items) {
        auto *row = new QStandardItem(kindIcon(item.kind), item.text);
        row->setData(int(item.kind), kItemKindRole);
        row->setToolTip(kindName(item.kind));
        row->setEditable(false);
        m_model->appendRow(row);
    }
}

void PromQlEditor::showPopup()
{
    const PromQlCompletionContext context = completionContextAt(toPlainText(), textCursor().position());
    openCompletionList(m_completer, this, context.replaceStart);
}

void PromQlEditor::hidePopup()
{
    if (m_completer->popup()->isVisible())
        m_completer->popup()->hide();
}

void PromQlEditor::insertCompletion(const QString &text, ItemKind kind)
{
    const QString all = toPlainText();
    QTextCursor cursor = textCursor();
    const PromQlCompletionContext context = completionContextAt(all, cursor.position());
    cursor.beginEditBlock();
    if (kind == ItemKind::LabelValue) {
        insertValue(cursor, text);
    } else {
        int end = cursor.position();
        while (end < all.size() && isIdentChar(all[end])) // the rest of a word the cursor is inside
            ++end;
        cursor.setPosition(context.replaceStart);
        cursor.setPosition(end, QTextCursor::KeepAnchor);
        const bool call = kind == ItemKind::Function || kind == ItemKind::Aggregation;
        const bool grouping = kind == ItemKind::Keyword && isGroupingKeyword(text);
        if ((call && !QStringView(all).mid(end).trimmed().startsWith(u'(')) || grouping) {
            cursor.insertText(text + (grouping ? QStringLiteral(" ()") : QStringLiteral("()")));
            cursor.movePosition(QTextCursor::Left);
        } else {
            cursor.insertText(kind == ItemKind::Keyword ? text + u' ' : text);
        }
    }
    cursor.endEditBlock();
    setTextCursor(cursor);
    hidePopup();
    if (kind == ItemKind::Keyword) // "by (" wants label names, "offset " a duration
        updateCompletions(false);
}

void PromQlEditor::insertValue(QTextCursor &cursor, const QString &value)
{
    const QString all = toPlainText();
    const int position = cursor.position();
    const PromQlCompletionContext context = completionContextAt(all, position);
    const QChar quote = context.quote.isNull() ? QChar(u'"') : context.quote;
    QString escaped = value;
    if (quote != u'`') {
        escaped.replace(u'\\', QStringLiteral("\\\\"));
        escaped.replace(quote, QString(u'\\') + quote);
    }
    if (context.quote.isNull()) { // job=| or job=ap|
        int end = position;
        while (end < all.size() && isIdentChar(all[end]))
            ++end;
        cursor.setPosition(context.replaceStart);
        cursor.setPosition(end, QTextCursor::KeepAnchor);
        cursor.insertText(quote + escaped + quote);
        return;
    }
    const int close = closingQuote(all, position, quote);
    cursor.setPosition(context.replaceStart);
    cursor.setPosition(close < 0 ? position : close, QTextCursor::KeepAnchor);
    cursor.insertText(close < 0 ? escaped + quote : escaped);
    if (close >= 0)
        cursor.movePosition(QTextCursor::Right);
}

// --- run and history

void PromQlEditor::run()
{
    hidePopup();
    const QString q = toPlainText().trimmed();
    if (!q.isEmpty()) {
        m_history.removeAll(q);
        m_history.prepend(q);
        while (m_history.size() > 200)
            m_history.removeLast();
    }
    m_historyIndex = -1;
    m_draft.clear();
    Q_EMIT runRequested();
}

bool PromQlEditor::walkHistory(int step)
{
    const int next = m_historyIndex + step;
    if (next < -1 || next >= m_history.size())
        return false;
    if (m_historyIndex == -1)
        m_draft = toPlainText();
    m_historyIndex = next;
    QTextCursor cursor = textCursor();
    cursor.select(QTextCursor::Document); // kept undoable, unlike setPlainText()
    cursor.insertText(next == -1 ? m_draft : m_history[next]);
    setTextCursor(cursor);
    return true;
}

// --- errors

void PromQlEditor::showError(const QString &message)
{
    const auto [start, end] = errorRange(message);
    m_error.show(message, start, end);
    if (isVisible()) {
        QTextCursor at(document());
        at.setPosition(start);
        QToolTip::showText(viewport()->mapToGlobal(cursorRect(at).bottomLeft()), message, this);
    }
    Q_EMIT errorChanged(message);
}

void PromQlEditor::clearError()
{
    if (!m_error.clear())
        return;
    QToolTip::hideText();
    Q_EMIT errorChanged(QString());
}

// The token the message points at; the last character for "at the end"; nothing when it names no place: a source
// that is down or a query that timed out says nothing wrong of the text (exploratory test: "connection refused"
// had underlined the whole query as a syntax error).
std::pair<int, int> PromQlEditor::errorRange(const QString &message) const
{
    const QString text = toPlainText();
    if (m_language.compare(u"SQL", Qt::CaseInsensitive) == 0)
        return sqlErrorRange(message, text).value_or(std::pair{ 0, 0 });
    const std::optional<int> offset = promQlErrorOffset(message, text);
    if (!offset || text.isEmpty())
        return { 0, 0 };
    int at = *offset;
    if (at >= text.size()) {
        at = int(text.size()) - 1;
        while (at > 0 && text[at].isSpace())
            --at;
    }
    for (const PromQlToken &t : PromQlLexer::tokenize(text)) {
        if (t.start <= at && at < t.end())
            return { t.start, t.end() };
    }
    return { at, at + 1 };
}

// --- size and looks

void PromQlEditor::onTextChanged()
{
    if (m_error.isStale())
        clearError();
    updateHeight();
}

void PromQlEditor::updateHeight()
{
    int lines = 0;
    for (QTextBlock b = document()->begin(); b.isValid(); b = b.next())
        lines += qMax(1, b.layout() ? b.layout()->lineCount() : 1);
    lines = qBound(1, lines, kMaxLines);
    const QMargins margins = contentsMargins();
    const int height = lines * fontMetrics().lineSpacing() + int(2 * document()->documentMargin()) + 2 * frameWidth()
        + margins.top() + margins.bottom() + 1;
    if (height != maximumHeight())
        setFixedHeight(height);
}

void PromQlEditor::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    const QEvent::Type type = event->type();
    if (type == QEvent::PaletteChange || type == QEvent::ApplicationPaletteChange || type == QEvent::StyleChange)
    {
        m_highlighter->setDark(hasDarkBase(palette()));
        if (m_sqlHighlighter)
            m_sqlHighlighter->setDark(hasDarkBase(palette()));
    }
    if (type == QEvent::FontChange) {
        m_completer->popup()->setFont(font());
        updateHeight();
    }
}

void PromQlEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    updateHeight(); // wrapping changes with the width
}

} // namespace fd
