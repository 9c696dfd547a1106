#pragma once
#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
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

inline void clickMessageBox(QMessageBox::StandardButton which)
{
    whenOpen<QMessageBox>([which](QMessageBox *box) { box->button(which)->click(); });
}

} // namespace fdtest
