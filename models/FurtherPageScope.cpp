#include "FurtherPageScope.h"

namespace fd {

namespace {
thread_local bool t_active = false;
} // namespace

FurtherPageScope::FurtherPageScope()
    : m_previous(t_active)
{
    t_active = true;
}

FurtherPageScope::~FurtherPageScope()
{
    t_active = m_previous;
}

bool FurtherPageScope::active()
{
    return t_active;
}

} // namespace fd
