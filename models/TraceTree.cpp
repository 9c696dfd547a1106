#include "TraceTree.h"

#include <algorithm>
#include <limits>
#include <span>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace fd {

namespace {

constexpr std::size_t kNoParent = std::numeric_limits<std::size_t>::max();

// Parent and child links over the spans and the placeholders, children as one array (an offset per
// node) rather than a vector per span: 100k small allocations were a good part of laying out 100k spans.
struct Links {
    std::vector<std::size_t> parent;     // per node; kNoParent for roots (an orphan's is its placeholder)
    std::vector<std::size_t> firstChild; // per node and one past: its children are childList[first, next)
    std::vector<std::size_t> childList;  // each node's children sorted by start
    std::vector<std::size_t> roots;      // true roots, sorted by start
    std::vector<std::size_t> orphans;    // parent named but absent, sorted by start

    std::span<const std::size_t> children(std::size_t node) const
    {
        return {childList.data() + firstChild[node], childList.data() + firstChild[node + 1]};
    }
};

// The spans' indices by start (then index), the order every list of Links keeps.
std::vector<std::size_t> startOrder(const std::vector<Span> &spans)
{
    std::vector<std::pair<TimeNs, std::size_t>> keyed(spans.size());
    for (std::size_t i = 0; i < spans.size(); ++i)
        keyed[i] = {spans[i].start, i};
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::size_t> order(spans.size());
    for (std::size_t i = 0; i < keyed.size(); ++i)
        order[i] = keyed[i].second;
    return order;
}

// Parents, roots and orphans; the children come with finishLinks() once the placeholders are known.
Links linkSpans(const std::vector<Span> &spans, const std::vector<std::size_t> &order)
{
    Links links;
    links.parent.assign(spans.size(), kNoParent);
    std::unordered_map<std::string_view, std::size_t> byId;
    byId.reserve(spans.size());
    for (std::size_t i = 0; i < spans.size(); ++i)
        byId.emplace(spans[i].spanId, i); // a duplicate id keeps its first span

    for (std::size_t i : order) {
        const Span &s = spans[i];
        if (s.parentSpanId.empty()) {
            links.roots.push_back(i);
            continue;
        }
        const auto it = byId.find(s.parentSpanId);
        if (it == byId.end()) {
            links.orphans.push_back(i);
            continue;
        }
        if (it->second != i) // its own parent: a loop of one, which no root reaches
            links.parent[i] = it->second;
    }
    return links;
}

void finishLinks(Links &links, std::size_t nodes, const std::vector<std::size_t> &order)
{
    links.parent.resize(nodes, kNoParent);
    links.firstChild.assign(nodes + 1, 0);
    for (std::size_t i : order)
        if (links.parent[i] != kNoParent)
            ++links.firstChild[links.parent[i] + 1];
    for (std::size_t n = 0; n < nodes; ++n)
        links.firstChild[n + 1] += links.firstChild[n];
    links.childList.resize(links.firstChild[nodes]);
    std::vector<std::size_t> next(links.firstChild.begin(), links.firstChild.end() - 1);
    for (std::size_t i : order) // by start, so each node's children are too
        if (links.parent[i] != kNoParent)
            links.childList[next[links.parent[i]]++] = i;
}

enum class Top { Root, Placeholder, Cycle };

// Iterative, so that a chain of 100k nested spans cannot overflow the stack.
void appendSubtree(TraceTree &tree, const Links &links, std::vector<char> &visited, std::size_t top, Top kind)
{
    struct Item {
        std::size_t span;
        int depth;
        int parentRow;
    };
    std::vector<Item> stack{{top, 0, -1}};
    while (!stack.empty()) {
        const Item item = stack.back();
        stack.pop_back();
        if (visited[item.span])
            continue;
        visited[item.span] = 1;
        const int row = static_cast<int>(tree.rows.size());
        const Span &span = tree.span(item.span);
        const bool error = span.statusCode == static_cast<int>(StatusCode::Error);
        TraceTree::Row r{item.span, item.depth};
        r.orphan = kind == Top::Placeholder && item.depth == 1;
        r.cycle = kind == Top::Cycle && item.span == top;
        r.placeholder = kind == Top::Placeholder && item.span == top;
        r.parentRow = item.parentRow;
        r.start = span.start;
        r.end = span.end;
        r.error = error;
        tree.rows.push_back(r);
        const auto kids = links.children(item.span);
        for (auto it = kids.rbegin(); it != kids.rend(); ++it)
            stack.push_back({*it, item.depth + 1, row});
    }
}

// One placeholder span per missing parent id, in order of its first child's start, the parent of the
// orphans naming it; its index follows the spans (and earlier placeholders).
std::vector<std::size_t> addPlaceholders(TraceTree &tree, Links &links)
{
    std::vector<std::size_t> placeholders;
    std::unordered_map<std::string, std::size_t> byParent;
    for (std::size_t o : links.orphans) {
        const Span &orphan = tree.spans[o];
        auto [it, inserted] = byParent.emplace(orphan.parentSpanId, tree.spanIndexCount());
        if (inserted) {
            Span ph;
            ph.traceId = orphan.traceId;
            ph.spanId = orphan.parentSpanId;
            ph.start = orphan.start;
            ph.end = orphan.end;
            tree.placeholderSpans.push_back(std::move(ph));
            placeholders.push_back(it->second);
        }
        Span &ph = tree.span(it->second);
        ph.start = std::min(ph.start, orphan.start);
        ph.end = std::max(ph.end, orphan.end);
        links.parent[o] = it->second;
    }
    return placeholders;
}

// Rows are in pre-order, so a subtree ends where its last child's subtree ends.
void markSubtreeEnds(TraceTree &tree)
{
    for (std::size_t r = 0; r < tree.rows.size(); ++r)
        tree.rows[r].subtreeEnd = r + 1;
    for (std::size_t r = tree.rows.size(); r-- > 0;) {
        const int parent = tree.rows[r].parentRow;
        if (parent >= 0) {
            auto &end = tree.rows[static_cast<std::size_t>(parent)].subtreeEnd;
            end = std::max(end, tree.rows[r].subtreeEnd);
        }
    }
}

void assignServices(TraceTree &tree)
{
    std::unordered_map<std::string, int> index;
    for (auto &row : tree.rows) {
        if (row.placeholder) {
            row.serviceIndex = -1;
            continue;
        }
        const std::string &service = tree.span(row.span).service;
        auto [it, inserted] = index.emplace(service, static_cast<int>(tree.services.size()));
        if (inserted)
            tree.services.push_back(service);
        row.serviceIndex = it->second;
    }
}

void computeExtent(TraceTree &tree)
{
    if (tree.spans.empty())
        return;
    tree.start = std::numeric_limits<TimeNs>::max();
    tree.end = std::numeric_limits<TimeNs>::min();
    for (std::size_t i = 0; i < tree.spanCount; ++i) {
        const Span &s = tree.span(i);
        tree.start = std::min(tree.start, s.start);
        tree.end = std::max({tree.end, s.end, s.start});
        if (s.statusCode == static_cast<int>(StatusCode::Error))
            ++tree.errorCount;
    }
}

// Of the `children` of a span that ran [parentStart, parentEnd], those it waited for, pushed with the time each was
// waited for until: walking back from the end, the child that finished last before the cursor is what the parent
// waited for; the cursor moves to that child's start, and the same is done among the earlier children.
void pushWaitedFor(const TraceTree &tree, std::span<const std::size_t> children, TimeNs parentStart, TimeNs parentEnd,
                   std::vector<std::pair<std::size_t, TimeNs>> &stack)
{
    const auto endOf = [&](std::size_t i) { return std::min(tree.span(i).end, parentEnd); };
    std::vector<std::size_t> byEnd(children.begin(), children.end());
    std::sort(byEnd.begin(), byEnd.end(), [&](std::size_t a, std::size_t b) { return endOf(a) > endOf(b); });
    TimeNs cursor = parentEnd;
    const bool hasLength = parentEnd > parentStart;
    for (std::size_t child : byEnd) {
        if (endOf(child) > cursor)
            continue; // still running when a later child took over: not what the parent waited for
        if (hasLength && tree.span(child).start >= parentEnd)
            continue; // begun once the parent had ended (a message sent on): nothing it waited for
        if (tree.span(child).end < parentStart)
            continue; // over before the parent began (clock skew): nothing it waited for
        stack.emplace_back(child, cursor);
        cursor = std::max(tree.span(child).start, parentStart);
    }
}

// The critical path: from each root, what it waited for (pushWaitedFor), and the same inside every marked child
// (Jaeger's definition, which also drops the children that begin after their parent's end). A trace whose root
// did not arrive waits, from its start to its end, for the placeholders of its missing parents.
void markCriticalPath(TraceTree &tree, const Links &links, std::span<const std::size_t> placeholders)
{
    tree.critical.assign(tree.spanIndexCount(), 0);
    std::vector<std::pair<std::size_t, TimeNs>> stack;
    for (std::size_t r : links.roots)
        stack.emplace_back(r, tree.span(r).end);
    if (links.roots.empty())
        pushWaitedFor(tree, placeholders, tree.start, tree.end, stack);
    while (!stack.empty()) {
        const auto [span, until] = stack.back();
        stack.pop_back();
        if (tree.critical[span])
            continue;
        tree.critical[span] = 1;
        // Spans are cut to their parent's time, as Jaeger does: a child that outlives its parent (async work)
        // counts as ending with it, and so does that child's own work (exploratory test: a grandchild running
        // past the root was passed over for one that had finished long before).
        // (A span handed a cut before its own start, below a zero-length parent, keeps its own end: review.)
        const TimeNs parentStart = tree.span(span).start;
        const TimeNs parentEnd = until > parentStart ? std::min(tree.span(span).end, until) : tree.span(span).end;
        pushWaitedFor(tree, links.children(span), parentStart, parentEnd, stack);
    }
}

void markSkew(TraceTree &tree)
{
    for (auto &row : tree.rows) {
        if (row.parentRow < 0)
            continue;
        row.skewed = row.start < tree.rows[static_cast<std::size_t>(row.parentRow)].start;
        tree.skewCount += row.skewed ? 1 : 0;
    }
}

} // namespace

// A span sent again (an exporter retrying after its answer was lost) has the same id, times, parent, service,
// name, kind, status, attributes, events, links and resource: kept once, as Tempo keeps it. Spans that share
// only an id (Zipkin's client and server halves of one call), or a copy that says more (an error status, an
// event), stay, both of them.
std::vector<char> markRepeatedSpans(const std::vector<Span> &spans)
{
    std::vector<std::size_t> order(spans.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    // Sorted by id and times alone, then the few spans that share them compared whole: a sort keyed on every
    // field (events, links and resource too) had taken a 100k-span trace past its budget in the sanitized build.
    const auto key = [&](std::size_t i) { return std::tie(spans[i].spanId, spans[i].start, spans[i].end); };
    const auto same = [](const Span &a, const Span &b) {
        return std::tie(a.parentSpanId, a.service, a.name, a.kind, a.statusCode, a.statusMessage, a.attributes, a.events,
                        a.links, a.resource)
               == std::tie(b.parentSpanId, b.service, b.name, b.kind, b.statusCode, b.statusMessage, b.attributes, b.events,
                           b.links, b.resource);
    };
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return std::pair(key(a), a) < std::pair(key(b), b); });
    std::vector<char> repeated(spans.size(), 0);
    for (std::size_t begin = 0; begin < order.size();) {
        std::size_t end = begin + 1;
        while (end < order.size() && key(order[end]) == key(order[begin]))
            ++end;
        for (std::size_t k = begin + 1; k < end; ++k) // the first of equal spans is kept
            for (std::size_t j = begin; j < k; ++j)
                if (!repeated[order[j]] && same(spans[order[j]], spans[order[k]])) {
                    repeated[order[k]] = 1;
                    break;
                }
        begin = end;
    }
    return repeated;
}

namespace {
// Drops the repeats markRepeatedSpans finds; returns how many.
std::size_t dropRepeatedSpans(std::vector<Span> &spans)
{
    const std::vector<char> repeated = markRepeatedSpans(spans);
    const auto count = static_cast<std::size_t>(std::count(repeated.begin(), repeated.end(), 1));
    if (count == 0)
        return 0;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        if (repeated[i])
            continue;
        if (kept != i) // a self-move would empty the span's strings
            spans[kept] = std::move(spans[i]);
        ++kept;
    }
    spans.resize(kept);
    return count;
}

} // namespace

TraceTree TraceTree::build(std::vector<Span> spans)
{
    TraceTree tree;
    tree.spans = std::move(spans);
    tree.repeatedSpans = dropRepeatedSpans(tree.spans);
    tree.spanCount = tree.spans.size();
    const std::vector<std::size_t> order = startOrder(tree.spans);
    Links links = linkSpans(tree.spans, order);
    tree.orphans = links.orphans;
    const std::vector<std::size_t> placeholders = addPlaceholders(tree, links);
    finishLinks(links, tree.spanIndexCount(), order);

    tree.rows.reserve(tree.spanIndexCount());
    std::vector<char> visited(tree.spanIndexCount(), 0);
    for (std::size_t r : links.roots)
        appendSubtree(tree, links, visited, r, Top::Root);
    for (std::size_t p : placeholders)
        appendSubtree(tree, links, visited, p, Top::Placeholder);
    // Spans in a loop of parents, and what hangs off it, are reachable from no root; their parents did arrive, so
    // no orphans. Each loop is shown from a span of it (found up the parents: not one that merely hangs off it).
    std::vector<char> onPath(tree.spanCount, 0);
    for (std::size_t i = 0; i < tree.spanCount; ++i) {
        if (visited[i])
            continue;
        std::vector<std::size_t> path;
        std::size_t top = i;
        for (; links.parent[top] != kNoParent && !onPath[top]; top = links.parent[top]) { // its own parent: no link
            onPath[top] = 1;
            path.push_back(top);
        }
        for (std::size_t p : path)
            onPath[p] = 0;
        tree.cycles.push_back(top);
        appendSubtree(tree, links, visited, top, Top::Cycle);
    }

    markSubtreeEnds(tree);
    assignServices(tree);
    computeExtent(tree);
    markSkew(tree);
    markCriticalPath(tree, links, placeholders);
    return tree;
}

const Span *TraceTree::root() const
{
    for (const Row &row : rows) {
        if (row.depth == 0 && !row.orphan && !row.placeholder && !row.cycle)
            return &spans[row.span];
    }
    for (const Row &row : rows) {
        if (!row.placeholder)
            return &spans[row.span];
    }
    return nullptr;
}

bool TraceTree::isCritical(std::size_t row) const
{
    const std::size_t span = rows[row].span;
    return span < critical.size() && critical[span];
}

} // namespace fd
