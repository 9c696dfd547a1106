#pragma once
#include "Cancel.h"
#include "Frame.h"

namespace fd {

// writeFrameFile that a job can stop: cancelled before the file is committed, it leaves the path as it was
// and throws Cancelled.
void writeFrameFile(const Frame &f, const QString &path, const CancelToken &cancel);

} // namespace fd
