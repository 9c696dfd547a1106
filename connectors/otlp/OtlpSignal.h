#pragma once

namespace fd {

enum class OtlpSignal { Traces, Logs, Metrics };

} // namespace fd
