#pragma once
#include <QApplication>
#include <QFileDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTest>
#include <QTimer>
#include <functional>

namespace fdtest {

// Runs `act` on the next modal dialog of type T as soon as it is open (exec() blocks the test).
template <class T>
void whenOpen(std::function<void(T *)> act)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, act] {
        if (auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            act(dialog);
        }
    });
    timer->start();
}

// Saves or opens `path` in the next file dialog. It first lets the dialog settle: once it has read its
// folder, it selects its initial file again, over a name given sooner.
inline void chooseFile(const QString &path, const QString &nameFilter = {})
{
    whenOpen<QFileDialog>([path, nameFilter](QFileDialog *dialog) {
        QTest::qWait(300);
        if (!nameFilter.isEmpty())
            dialog->selectNameFilter(nameFilter);
        dialog->selectFile(path);
        if (auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit")))
            name->setText(path); // selectFile leaves a save dialog's name as it was when the file is new
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept is protected
    });
}

inline void clickMessageBox(QMessageBox::StandardButton which)
{
    whenOpen<QMessageBox>([which](QMessageBox *box) { box->button(which)->click(); });
}

} // namespace fdtest
