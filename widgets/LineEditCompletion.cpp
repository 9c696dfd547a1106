#include "LineEditCompletion.h"
#include "CompletionCountDelegate.h"
#include "FieldCompletion.h"
#include "models/Query.h"
#include "models/QuerySentence.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QLineEdit>
#include <QStandardItemModel>

namespace fd {

namespace {

constexpr int kMaxPopupItems = 50;
// Conditions are read as the where clause of a sentence, so the query bar's grammar decides what comes next.
const QString kSentenceHead = QStringLiteral("spans where ");

// Those that start with the prefix, then (for the source's names and values) those that contain it.
QStringList matching(const QStringList &all, const QString &prefix, bool containing)
{
    QStringList starting, inside;
    for (const QString &s : all) {
        if (s.startsWith(prefix, Qt::CaseInsensitive))
            starting << s;
        else if (containing && s.contains(prefix, Qt::CaseInsensitive))
            inside << s;
    }
    starting += inside;
    if (starting.size() > kMaxPopupItems)
        starting.resize(kMaxPopupItems);
    return starting;
}

// As parseWhereList reads it back: bare when it is one word, else quoted (conditionToText's quoting).
QString conditionValue(const QString &value)
{
    const bool oneWord = !value.isEmpty() && !value.contains(u' ') && !value.contains(u'"') && !value.contains(u'\'')
        && !value.contains(QStringLiteral("&&"));
    if (oneWord)
        return value;
    const std::string text = conditionToText({"f", Op::Eq, value.toStdString()});
    return QString::fromStdString(text.substr(std::string("f = ").size()));
}

// The values' texts, and their counts into `counts`.
QStringList valueTexts(const std::optional<QList<FieldValue>> &values, QHash<QString, qint64> &counts)
{
    QStringList texts;
    for (const FieldValue &v : values.value_or(QList<FieldValue>())) {
        texts << QString::fromStdString(v.value);
        counts.insert(texts.back(), v.count);
    }
    return texts;
}

} // namespace

LineEditCompletion::LineEditCompletion(QLineEdit *edit, FieldCompletion *fields, const QString &field)
    : QObject(edit)
    , m_edit(edit)
    , m_fields(fields)
    , m_field(field)
    , m_completer(new QCompleter(this))
    , m_model(new QStandardItemModel(this))
{
    m_completer->setModel(m_model);
    m_completer->popup()->setItemDelegate(new CompletionCountDelegate(m_completer->popup()));
    m_completer->setWidget(edit);
    m_completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion); // items() filters
    m_completer->setMaxVisibleItems(12);
    m_completer->popup()->setObjectName(edit->objectName() + QStringLiteral("Popup"));
    m_completer->popup()->installEventFilter(this); // after the completer's own, so it runs first
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &LineEditCompletion::insert);
    connect(edit, &QLineEdit::textEdited, this, &LineEditCompletion::update);
    connect(fields, &FieldCompletion::namesReady, this, &LineEditCompletion::onAnswer);
    connect(fields, &FieldCompletion::valuesReady, this, &LineEditCompletion::onAnswer);
}

LineEditCompletion::Items LineEditCompletion::items() const
{
    Items out;
    if (!m_field.isEmpty()) {
        const auto values = m_fields->values(m_field);
        out.awaiting = !values;
        out.prefix = m_edit->text().trimmed();
        out.texts = matching(valueTexts(values, out.counts), out.prefix, true);
        return out;
    }
    const SentenceContext context
        = sentenceContextAt(kSentenceHead + m_edit->text(), static_cast<int>(kSentenceHead.size()) + m_edit->cursorPosition());
    out.prefix = context.prefix;
    out.replaceStart = context.replaceStart - static_cast<int>(kSentenceHead.size());
    switch (context.expect) {
    case SentenceExpect::Field: {
        const auto names = m_fields->names();
        out.awaiting = !names;
        out.kind = Kind::Field;
        out.texts = matching(names.value_or(QStringList()), context.prefix, true);
        break;
    }
    case SentenceExpect::Operator:
        out.kind = Kind::Operator;
        out.texts = matching(sentenceOperators(), context.prefix, false);
        break;
    case SentenceExpect::Value: {
        const auto values = m_fields->values(context.field);
        out.awaiting = !values;
        out.texts = matching(valueTexts(values, out.counts), context.prefix, true);
        break;
    }
    case SentenceExpect::Clause:
        out.kind = Kind::Clause;
        if (context.afterCondition && !context.prefix.isEmpty())
            out.texts = matching({QStringLiteral("and")}, context.prefix, false);
        break;
    default:
        break;
    }
    if (out.replaceStart < 0)
        out.texts.clear(); // the cursor is not in the conditions
    return out;
}

void LineEditCompletion::update()
{
    const Items found = items();
    m_awaiting = found.awaiting;
    const bool onlyWhatIsTyped = found.texts.size() == 1 && found.texts.front() == found.prefix;
    // An emptied edit offers nothing: the list opened by the clear button took the next click, on Run (exploratory
    // GUI test: the filter stayed applied while its box looked empty).
    const bool emptied = m_field.isEmpty() && m_edit->text().trimmed().isEmpty(); // a picker lists its values (review)
    if (found.texts.isEmpty() || onlyWhatIsTyped || emptied || !m_edit->hasFocus()) {
        m_completer->popup()->hide();
        return;
    }
    m_model->clear();
    for (const QString &text : found.texts) {
        auto *item = new QStandardItem(text);
        if (const auto count = found.counts.constFind(text); count != found.counts.cend())
            item->setData(*count, CompletionCountDelegate::kCountRole);
        item->setEditable(false);
        m_model->appendRow(item);
    }
    m_completer->complete();
    m_completer->popup()->setCurrentIndex(m_model->index(0, 0));
    m_picked = false;
}

bool LineEditCompletion::eventFilter(QObject *watched, QEvent *event)
{
    // Conditions complete as in the query bar: Tab takes the highlighted item, Enter one chosen with the arrows, else
    // closes the list and runs the search (exploratory test: Enter in a just-cleared filter inserted "time", the
    // first field offered). A one-value edit is a picker: Enter takes the highlighted value.
    if (watched == m_completer->popup() && event->type() == QEvent::KeyPress) {
        QAbstractItemView *popup = m_completer->popup();
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp || key == Qt::Key_PageDown)
            m_picked = true;
        const bool enter = key == Qt::Key_Return || key == Qt::Key_Enter;
        const bool takes = key == Qt::Key_Tab || (enter && (m_picked || !m_field.isEmpty()));
        if (takes && popup->currentIndex().isValid()) {
            insert(popup->currentIndex().data().toString()); // Tab had moved the focus on, the list closed
            return true;
        }
        if (enter) {
            popup->setCurrentIndex({}); // QCompleter completes with its current item once the edit has had the key
            popup->hide();
        }
    }
    return QObject::eventFilter(watched, event);
}

void LineEditCompletion::onAnswer()
{
    if (m_awaiting && m_edit->hasFocus())
        update();
}

void LineEditCompletion::insert(const QString &text)
{
    m_completer->popup()->hide();
    if (!m_field.isEmpty()) {
        m_edit->setText(text);
        return;
    }
    const Items at = items();
    const int cursor = m_edit->cursorPosition();
    if (at.replaceStart < 0 || at.replaceStart > cursor)
        return;
    const QString inserted = (at.kind == Kind::Value ? conditionValue(text) : text) + QLatin1Char(' ');
    QString all = m_edit->text();
    int end = cursor;
    while (end < all.size() && !all[end].isSpace())
        ++end; // the rest of the word the cursor is inside
    all.replace(at.replaceStart, end - at.replaceStart, inserted);
    m_edit->setText(all);
    m_edit->setCursorPosition(at.replaceStart + static_cast<int>(inserted.size()));
    // What obviously comes next: an operator after a field, a value after an operator.
    if (at.kind == Kind::Field || at.kind == Kind::Operator)
        update();
}

} // namespace fd
