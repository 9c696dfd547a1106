#pragma once
#include <QColor>

namespace fd {

// The red of errors and failed spans, the same in every view.
inline const QColor kErrorColor{0xd3, 0x2f, 0x2f};

} // namespace fd
