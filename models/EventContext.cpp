#include "EventContext.h"
#include "Error.h"

namespace fd {

namespace {

constexpr int kWindowRowCap = 1000;
constexpr DurationNs kReach = kDay;

void appendRows(Frame &out, const Frame &in, std::size_t begin, std::size_t end)
{
    if (out.columns.empty())
        for (const Column &c : in.columns)
            out.columns.push_back({ c.name, c.type, {} });
    for (std::size_t c = 0; c < out.columns.size() && c < in.columns.size(); ++c)
        for (std::size_t r = begin; r < end; ++r)
            out.columns[c].cells.push_back(in.columns[c].cells[r]);
}

TimeNs timeOf(const Frame &f, std::size_t row)
{
    const int c = f.columnIndex("time");
    return c < 0 ? 0 : cellToInt(f.cell(row, static_cast<std::size_t>(c)));
}

// Rows at t and after it, newest first: a window [t, t + w) that is complete (not truncated) and
// holds at least `after` rows later than t, or all there are within kReach.
Frame atAndAfter(DataSource &source, const Query &q, TimeNs t, int after, const CancelTokenPtr &cancel)
{
    DurationNs low = 0, high = 0, w = kSecond; // low: complete but too few; high: truncated
    Frame best;
    for (int step = 0; step < 64; ++step) {
        throwIfCancelled(cancel);
        Frame f = source.query(q, { t, saturatedAdd(t, w) }, cancel);
        if (f.truncated && w > 1) {
            high = w;
            best = std::move(f);
            w = low + (w - low) / 2;
            if (w <= low)
                break;
            continue;
        }
        std::size_t later = 0;
        for (std::size_t r = 0; r < f.rowCount(); ++r)
            later += timeOf(f, r) > t ? 1 : 0;
        best = std::move(f);
        if (static_cast<int>(later) >= after || w >= kReach || (high > 0 && high - w <= 1))
            break;
        low = w;
        w = high > 0 ? low + (high - low) / 2 : std::min(w * 4, kReach);
        if (w <= low)
            break;
    }
    return best;
}

} // namespace

EventContext loadEventContext(DataSource &source, const Query &base, const std::string &service, TimeNs t,
    const std::string &body, int before, int after, const CancelTokenPtr &cancel)
{
    Query q;
    q.signal = Signal::Logs;
    q.source = base.source;
    q.where = { { "service.name", Op::Eq, service } };
    q.limit = kWindowRowCap;
    const Frame later = atAndAfter(source, q, t, after, cancel);
    q.limit = before;
    const Frame earlier = source.query(q, { saturatedAdd(t, -kReach), t }, cancel);

    // later is newest first: its rows after t end with the nearest ones, then come the rows at t.
    std::size_t firstAtT = later.rowCount();
    while (firstAtT > 0 && timeOf(later, firstAtT - 1) == t)
        --firstAtT;
    const std::size_t begin
        = firstAtT > static_cast<std::size_t>(after) ? firstAtT - static_cast<std::size_t>(after) : 0;
    EventContext out;
    appendRows(out.rows, later, begin, later.rowCount());
    appendRows(out.rows, earlier, 0, earlier.rowCount());
    const int bodyColumn = out.rows.columnIndex("body");
    const std::size_t atT = firstAtT - begin;
    for (std::size_t r = atT; r < atT + (later.rowCount() - firstAtT); ++r) {
        if (bodyColumn >= 0 && cellToString(out.rows.cell(r, static_cast<std::size_t>(bodyColumn))) == body) {
            out.selected = static_cast<int>(r);
            break;
        }
    }
    out.rows.total = static_cast<std::int64_t>(out.rows.rowCount());
    return out;
}

} // namespace fd
