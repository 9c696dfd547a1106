#pragma once

namespace fd {

// While one lives, the DataSource::query() calls made on this thread fetch a further page of a result
// whose total the caller already has: a source may skip counting the whole result again (Frame::total
// then counts the rows returned). A per-thread hint rather than a Query field, so that a source that
// does not know it still answers correctly.
class FurtherPageScope
{
public:
    FurtherPageScope();
    ~FurtherPageScope();
    FurtherPageScope(const FurtherPageScope &) = delete;
    FurtherPageScope &operator=(const FurtherPageScope &) = delete;

    static bool active();

private:
    bool m_previous;
};

} // namespace fd
