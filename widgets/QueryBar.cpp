#include "QueryBar.h"
#include "EditorPopup.h"
#include "FieldCompletion.h"
#include "SentenceHighlighter.h"
#include <QAbstractItemView>
#include <QCompleter>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QStandardItemModel>

namespace fd {

namespace {

constexpr int kMaxQueryItems = 500;

// Fields every source knows (DESIGN.md, "Query"), offered before the source's own.
const QStringList &intrinsicFields()
{
    static const QStringList fields{ QStringLiteral("service.name"), QStringLiteral("severity"),
        QStringLiteral("body"), QStringLiteral("time"), QStringLiteral("trace_id"), QStringLiteral("span_id"),
        QStringLiteral("name"), QStringLiteral("duration_ms"), QStringLiteral("status") };
    return fields;
}

bool opensQueryCompletion(QChar c)
{
    return c.isLetterOrNumber() || QStringView(u"._-=<>!~\"'(, ").contains(c);
}

} // namespace

QueryBar::QueryBar(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_highlighter(new SentenceHighlighter(document(), hasDarkBase(palette())))
    , m_completer(new QCompleter(this))
    , m_model(new QStandardItemModel(this))
{
    setObjectName(QStringLiteral("queryBar"));
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabChangesFocus(true); // Tab reaches focusNextPrevChild(), which completes first
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setPlaceholderText(tr("logs where service.name = auth matching \"timeout\" count every 5m  (Ctrl+K)"));
    const QMargins margins = contentsMargins();
    setFixedHeight(fontMetrics().lineSpacing() + int(2 * document()->documentMargin()) + 2 * frameWidth()
                   + margins.top() + margins.bottom() + 2);

    m_completer->setModel(m_model);
    m_completer->setWidget(this);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setMaxVisibleItems(12);
    m_completer->popup()->setObjectName(QStringLiteral("queryBarPopup"));
    m_completer->popup()->setItemDelegate(new CompletionCountDelegate(m_completer->popup()));
    connect(m_completer, qOverload<const QModelIndex &>(&QCompleter::activated), this, [this](const QModelIndex &i) {
        insertCompletion(i.data().toString(), SentenceExpect(i.data(Qt::UserRole).toInt()));
    });
    connect(this, &QPlainTextEdit::textChanged, this, [this] {
        if (m_error.isStale())
            clearError();
    });
}

void QueryBar::setFieldCompletion(FieldCompletion *completion)
{
    m_fields = completion;
    connect(completion, &FieldCompletion::namesReady, this, &QueryBar::onAnswer);
    connect(completion, &FieldCompletion::valuesReady, this, &QueryBar::onAnswer);
}

void QueryBar::setText(const QString &text)
{
    hidePopup();
    QTextCursor cursor(document());
    cursor.select(QTextCursor::Document); // undoable, unlike setPlainText()
    cursor.insertText(text);
    setTextCursor(cursor);
}

std::optional<Query> QueryBar::query()
{
    try {
        return parseQuerySentence(toPlainText());
    } catch (const SentenceError &e) {
        showError(QString::fromUtf8(e.what()), e.start(), e.end());
    }
    return std::nullopt;
}

void QueryBar::showError(const QString &message, int start, int end)
{
    const int size = int(toPlainText().size());
    if (end <= start) { // at the end: mark the last character
        start = qMax(0, qMin(start, size) - 1);
        end = qMin(size, start + 1);
    }
    m_error.show(message, qBound(0, start, size), qBound(0, end, size));
    Q_EMIT errorChanged(message);
}

void QueryBar::clearError()
{
    if (m_error.clear())
        Q_EMIT errorChanged(QString());
}

// --- keys

void QueryBar::keyPressEvent(QKeyEvent *event)
{
    const bool popupOpen = m_completer->popup()->isVisible();
    if (popupOpen && handlePopupKey(event))
        return;
    const int key = event->key();
    const Qt::KeyboardModifiers mods = event->modifiers();
    if (key == Qt::Key_Space && (mods & (Qt::ControlModifier | Qt::MetaModifier)))
        return showCompletions();
    if (key == Qt::Key_Return || key == Qt::Key_Enter) {
        hidePopup();
        m_awaiting = false; // the list is closed for this sentence: no late answer opens it again
        Q_EMIT runRequested();
        return;
    }
    if (key == Qt::Key_Escape) {
        Q_EMIT cancelRequested();
        return;
    }
    if ((key == Qt::Key_Up || key == Qt::Key_Down) && !(mods & ~Qt::KeypadModifier)) {
        Q_EMIT historyStep(key == Qt::Key_Up ? 1 : -1);
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
    const QString typed = event->text();
    if ((!typed.isEmpty() && opensQueryCompletion(typed.back())) || (popupOpen && key == Qt::Key_Backspace))
        updateCompletions(false);
    else if (popupOpen)
        hidePopup();
}

bool QueryBar::handlePopupKey(QKeyEvent *event)
{
    QAbstractItemView *popup = m_completer->popup();
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (!m_picked) {
            hidePopup();
            return false; // Enter runs unless an item was chosen with the arrows
        }
        [[fallthrough]];
    case Qt::Key_Tab: {
        const QModelIndex current = popup->currentIndex();
        hidePopup();
        if (current.isValid())
            insertCompletion(current.data().toString(), SentenceExpect(current.data(Qt::UserRole).toInt()));
        return true;
    }
    case Qt::Key_Escape:
        closeCompletions();
        return true;
    default:
        if (!stepCompletionList(m_completer, event->key()))
            return false;
        m_picked = true;
        return true;
    }
}

// Tab takes the selected item; with no list open it opens the list for what comes next, else moves on.
bool QueryBar::focusNextPrevChild(bool next)
{
    if (next && m_completer->popup()->isVisible()) {
        const QModelIndex current = m_completer->popup()->currentIndex();
        hidePopup();
        if (current.isValid())
            insertCompletion(current.data().toString(), SentenceExpect(current.data(Qt::UserRole).toInt()));
        return true;
    }
    if (next) {
        updateCompletions(true);
        if (m_completer->popup()->isVisible() || m_awaiting)
            return true;
    }
    return QPlainTextEdit::focusNextPrevChild(next);
}

// --- completion

void QueryBar::updateCompletions(bool explicitRequest)
{
    const QTextCursor cursor = textCursor();
    if (cursor.hasSelection())
        return hidePopup();
    const SentenceContext context = sentenceContextAt(toPlainText(), cursor.position());
    m_awaiting = false;
    const QList<Item> items = candidates(context);
    const bool onlyWhatIsTyped = items.size() == 1 && items.front().text == context.prefix;
    // After a finished value or word the next clause is the user's to choose; the list would only be in the way.
    const bool unasked = context.expect == SentenceExpect::Clause && context.prefix.isEmpty();
    if (items.isEmpty() || (!explicitRequest && (onlyWhatIsTyped || unasked)))
        return hidePopup();
    showPopup(items, context);
}

QList<QueryBar::Item> QueryBar::candidates(const SentenceContext &context)
{
    QList<Item> all;
    auto add = [&all](const QStringList &texts, SentenceExpect kind) {
        for (const QString &t : texts)
            all.append({ t, kind });
    };
    switch (context.expect) {
    case SentenceExpect::Signal:
        add({ QStringLiteral("logs"), QStringLiteral("spans"), QStringLiteral("metrics") }, context.expect);
        break;
    case SentenceExpect::Clause:
        add(sentenceClauseWords(context.afterCondition), context.expect);
        break;
    case SentenceExpect::Operator:
        add(sentenceOperators(), context.expect);
        break;
    case SentenceExpect::Duration:
        add({ QStringLiteral("1m"), QStringLiteral("5m"), QStringLiteral("15m"), QStringLiteral("1h"),
              QStringLiteral("6h"), QStringLiteral("1d") }, context.expect);
        break;
    case SentenceExpect::Field: {
        QStringList names = intrinsicFields();
        const auto fromSource = m_fields ? m_fields->names() : std::optional<QStringList>(QStringList());
        m_awaiting = !fromSource;
        for (const QString &n : fromSource.value_or(QStringList())) {
            if (!names.contains(n))
                names << n;
        }
        add(names, context.expect);
        break;
    }
    case SentenceExpect::Value: {
        const auto values = m_fields ? m_fields->values(context.field) : std::optional<QList<FieldValue>>();
        m_awaiting = m_fields && !values;
        for (const FieldValue &v : values.value_or(QList<FieldValue>()))
            all.append({ QString::fromStdString(v.value), context.expect, v.count > 0 ? v.count : -1 });
        break;
    }
    case SentenceExpect::Nothing:
        break;
    }
    // What starts with the typed text first, then source names that contain it.
    QList<Item> starting;
    QList<Item> containing;
    const bool fromSource = context.expect == SentenceExpect::Field || context.expect == SentenceExpect::Value;
    for (const Item &item : std::as_const(all)) {
        if (item.text.startsWith(context.prefix, Qt::CaseInsensitive))
            starting.append(item);
        else if (fromSource && item.text.contains(context.prefix, Qt::CaseInsensitive))
            containing.append(item);
    }
    starting += containing;
    if (starting.size() > kMaxQueryItems)
        starting.resize(kMaxQueryItems);
    return starting;
}

void QueryBar::showPopup(const QList<Item> &items, const SentenceContext &context)
{
    m_model->clear();
    const QString countNote = m_fields ? m_fields->valueCountNote() : QString();
    for (const Item &item : items) {
        auto *row = new QStandardItem(item.text);
        row->setData(int(item.kind), Qt::UserRole);
        if (item.count >= 0) {
            row->setData(item.count, kCountRole);
            if (!countNote.isEmpty())
                row->setToolTip(tr("%L1: %2").arg(item.count).arg(countNote));
        }
        row->setEditable(false);
        m_model->appendRow(row);
    }
    openCompletionList(m_completer, this, context.replaceStart);
    m_picked = false;
}

void QueryBar::closeCompletions()
{
    m_awaiting = false;
    hidePopup();
}

void QueryBar::hidePopup()
{
    if (m_completer->popup()->isVisible())
        m_completer->popup()->hide();
}

void QueryBar::onAnswer()
{
    // Only for a bar still being typed in: an answer that came after Enter, or after the switch to the raw editor,
    // had opened a list under it that took the next key typed there (exploratory test).
    if (m_awaiting && hasFocus() && isEnabled())
        updateCompletions(false);
    else
        m_awaiting = false;
}

void QueryBar::insertCompletion(const QString &text, SentenceExpect kind)
{
    const QString all = toPlainText();
    QTextCursor cursor = textCursor();
    const SentenceContext context = sentenceContextAt(all, cursor.position());
    int end = cursor.position();
    while (end < all.size() && !all[end].isSpace() && all[end] != u')')
        ++end; // the rest of the word the cursor is inside
    const bool aggregateField = kind == SentenceExpect::Field && context.replaceStart > 0
        && all[context.replaceStart - 1] == u'(';
    // A field with a space or an operator ("user agent") quoted, as the sentence reads it back.
    QString inserted = kind == SentenceExpect::Value ? completionValue(text)
                       : kind != SentenceExpect::Field ? text
                       : aggregateField ? sentenceFieldInParens(text.toStdString())
                                        : sentenceField(text.toStdString());
    if (aggregateField) {
        if (end < all.size() && all[end] == u')')
            ++end;
        inserted += u')';
    }
    const bool opensCall = inserted.endsWith(u'(');
    if (!opensCall)
        inserted += u' ';
    cursor.beginEditBlock();
    cursor.setPosition(context.replaceStart);
    cursor.setPosition(end, QTextCursor::KeepAnchor);
    cursor.insertText(inserted);
    cursor.endEditBlock();
    setTextCursor(cursor);
    hidePopup();
    // Lists that obviously come next: fields after where/and/by/"sum(", operators after a field.
    const bool next = opensCall || kind == SentenceExpect::Operator
        || (kind == SentenceExpect::Field && !aggregateField)
        || (kind == SentenceExpect::Clause && (text == u"where" || text == u"and" || text == u"by"));
    if (next)
        updateCompletions(false);
}

void QueryBar::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    const QEvent::Type type = event->type();
    if (type == QEvent::PaletteChange || type == QEvent::ApplicationPaletteChange || type == QEvent::StyleChange)
        m_highlighter->setDark(hasDarkBase(palette()));
    if (type == QEvent::EnabledChange && !isEnabled())
        hidePopup();
}

} // namespace fd
