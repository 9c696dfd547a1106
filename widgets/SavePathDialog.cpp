#include "SavePathDialog.h"
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QRegularExpression>

namespace fd {

namespace {
// "HTML (*.html *.htm)" -> {"html", "htm"}
QStringList suffixesOf(const QString &filter)
{
    QStringList suffixes;
    const qsizetype open = filter.lastIndexOf(u'('), close = filter.lastIndexOf(u')');
    if (open < 0 || close < open)
        return suffixes;
    for (const QString &pattern : filter.mid(open + 1, close - open - 1).split(u' ', Qt::SkipEmptyParts))
        if (pattern.startsWith(QLatin1String("*.")))
            suffixes << pattern.mid(2);
    return suffixes;
}

// The one of `suffixes` the path ends with ("" when none).
QString suffixAmong(const QString &path, const QStringList &suffixes)
{
    for (const QString &suffix : suffixes)
        if (path.endsWith(QLatin1Char('.') + suffix, Qt::CaseInsensitive))
            return suffix;
    return {};
}
} // namespace

QString fileNameFor(const QString &title, const QString &fallback)
{
    QString base = title.toLower();
    base.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    base.remove(QRegularExpression(QStringLiteral("^-+|-+$")));
    return base.isEmpty() ? fallback : base;
}

QString askSavePath(QWidget *parent, const QString &title, const QString &suggested, const QString &filters)
{
    QString chosenFilter;
    QString path = QFileDialog::getSaveFileName(parent, title, suggested, filters, &chosenFilter);
    const QStringList chosen = suffixesOf(chosenFilter);
    if (path.isEmpty() || chosen.isEmpty() || !suffixAmong(path, chosen).isEmpty())
        return path;
    QStringList known;
    for (const QString &filter : filters.split(QStringLiteral(";;")))
        known << suffixesOf(filter);
    const QString own = suffixAmong(path, known);
    if (!own.isEmpty() && own != suffixAmong(suggested, known))
        return path; // typed by hand: it says the type
    if (!own.isEmpty())
        path.chop(own.size() + 1);
    path += QLatin1Char('.') + chosen.front();
    // The dialog asked about the name it showed, not this one.
    if (QFileInfo::exists(path)
        && QMessageBox::question(parent, title, QObject::tr("%1 already exists. Replace it?").arg(path)) != QMessageBox::Yes)
        return {};
    return path;
}

} // namespace fd
