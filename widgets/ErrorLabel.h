#pragma once
class QLabel;
class QWidget;

namespace fd {
// The red, selectable, word-wrapped label every view uses for a failure; hidden until it has text.
QLabel *makeErrorLabel(QWidget *parent);
}
