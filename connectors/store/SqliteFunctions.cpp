#include "SqliteFunctions.h"
#include "models/Baseline.h"
#include "models/HistogramBuckets.h"
#include "models/Json.h"
#include "models/Telemetry.h"
#include <QRegularExpression>
#include <sqlite3.h>
#include <string_view>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

namespace fd {

namespace {
// UTF-8 to code points; a byte that starts no valid sequence stands for itself.
template <typename Out>
void decodeUtf8(std::string_view text, Out &&out)
{
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    const auto *end = p + text.size();
    while (p < end) {
        const unsigned char c = *p;
        int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
        if (extra < 0 || end - p <= extra) {
            out(char32_t(c));
            ++p;
            continue;
        }
        char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
        for (int i = 1; i <= extra; ++i)
            cp = (cp << 6) | (p[i] & 0x3F);
        out(cp);
        p += extra + 1;
    }
}

// The case folding of FTS5's trigram tokenizer, read from the tokenizer itself, so that a scan and the
// full-text index agree on every character.
class SearchFold
{
public:
    char32_t operator()(char32_t c) const
    {
        if (c < m_table.size())
            return m_table[c];
        return c >= 0x10400 && c < 0x10428 ? c + 40 : c; // Deseret, FTS5's only fold above the BMP
    }
    static const SearchFold &instance(sqlite3 *db)
    {
        static SearchFold fold;
        static std::once_flag once;
        std::call_once(once, [db] { fold.learn(db); });
        return fold;
    }

private:
    void learn(sqlite3 *db)
    {
        m_table.resize(0x10000);
        for (char32_t c = 0; c < m_table.size(); ++c)
            m_table[c] = c < 128 && c >= 'A' && c <= 'Z' ? c + 32 : c;
        fts5_api *api = nullptr;
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) == SQLITE_OK) {
            sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", nullptr);
            sqlite3_step(st);
        }
        sqlite3_finalize(st);
        void *userData = nullptr;
        fts5_tokenizer tokenizer;
        if (!api || api->xFindTokenizer(api, "trigram", &userData, &tokenizer) != SQLITE_OK)
            return;
        const char *args[] = {"case_sensitive", "0"};
        Fts5Tokenizer *t = nullptr;
        if (tokenizer.xCreate(userData, args, 2, &t) != SQLITE_OK)
            return;
        // Every BMP character but NUL and the surrogates, each starting one trigram.
        std::string text;
        std::vector<char32_t> at; // the character that starts at each byte offset
        for (char32_t c = 1; c < 0x10000; ++c) {
            if (c >= 0xD800 && c <= 0xDFFF)
                continue;
            at.resize(text.size() + 1, 0);
            at[text.size()] = c;
            appendUtf8(text, c);
        }
        text += "  ";
        std::pair<SearchFold *, const std::vector<char32_t> *> context{this, &at};
        tokenizer.xTokenize(t, &context, FTS5_TOKENIZE_DOCUMENT, text.data(), int(text.size()),
                            [](void *ctx, int, const char *token, int size, int start, int) {
                                auto *c = static_cast<std::pair<SearchFold *, const std::vector<char32_t> *> *>(ctx);
                                if (start < 0 || std::size_t(start) >= c->second->size() || !(*c->second)[start])
                                    return SQLITE_OK;
                                char32_t first = 0;
                                bool done = false;
                                decodeUtf8(std::string_view(token, std::size_t(size)), [&](char32_t cp) {
                                    if (!done)
                                        first = cp, done = true;
                                });
                                c->first->m_table[(*c->second)[start]] = first;
                                return SQLITE_OK;
                            });
        tokenizer.xDelete(t);
    }
    static void appendUtf8(std::string &out, char32_t c)
    {
        if (c < 0x80) {
            out += char(c);
        } else if (c < 0x800) {
            out += char(0xC0 | (c >> 6));
            out += char(0x80 | (c & 0x3F));
        } else {
            out += char(0xE0 | (c >> 12));
            out += char(0x80 | ((c >> 6) & 0x3F));
            out += char(0x80 | (c & 0x3F));
        }
    }
    std::vector<char32_t> m_table;
};

const SearchFold *g_fold = nullptr;

std::u32string folded(std::string_view text)
{
    std::u32string out;
    out.reserve(text.size());
    decodeUtf8(text, [&out](char32_t c) { out += (*g_fold)(c); });
    return out;
}

void containsFunction(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
    if (!text) {
        sqlite3_result_null(ctx);
        return;
    }
    auto *needle = static_cast<std::u32string *>(sqlite3_get_auxdata(ctx, 1));
    std::u32string local;
    if (!needle) {
        const auto *n = reinterpret_cast<const char *>(sqlite3_value_text(argv[1]));
        local = folded(n ? std::string_view(n, std::size_t(sqlite3_value_bytes(argv[1]))) : std::string_view());
        needle = &local;
    }
    thread_local std::u32string haystack;
    haystack.clear();
    decodeUtf8(std::string_view(text, std::size_t(sqlite3_value_bytes(argv[0]))),
               [](char32_t c) { haystack += (*g_fold)(c); });
    const bool found = haystack.find(*needle) != std::u32string::npos;
    if (needle == &local)
        sqlite3_set_auxdata(ctx, 1, new std::u32string(std::move(local)),
                            [](void *p) { delete static_cast<std::u32string *>(p); });
    sqlite3_result_int(ctx, found ? 1 : 0);
}

void regexpFunction(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    // A REAL as the rows show it, all its digits (SQLite's own text has 15: "v ~ 84$" missed 81.85501079576984).
    const QString value = sqlite3_value_type(argv[1]) == SQLITE_FLOAT
        ? QString::fromStdString(Json(sqlite3_value_double(argv[1])).dump())
        : QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_value_text(argv[1])), sqlite3_value_bytes(argv[1])); // past a NUL too
    // The compiled pattern is cached per statement by SQLite's auxiliary data.
    auto *re = static_cast<QRegularExpression *>(sqlite3_get_auxdata(ctx, 0));
    if (!re) {
        const auto *pattern = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
        re = new QRegularExpression(QString::fromUtf8(pattern ? pattern : ""));
        if (!re->isValid()) {
            const std::string message = "invalid regular expression: " + re->errorString().toStdString();
            delete re;
            sqlite3_result_error(ctx, message.c_str(), -1);
            return;
        }
        re->optimize();
        const bool matched = re->match(value).hasMatch();
        // SQLite may delete the pattern at once instead of keeping it, so read nothing from it after this.
        sqlite3_set_auxdata(ctx, 0, re, [](void *p) { delete static_cast<QRegularExpression *>(p); });
        sqlite3_result_int(ctx, matched ? 1 : 0);
        return;
    }
    sqlite3_result_int(ctx, re->match(value).hasMatch() ? 1 : 0);
}

void numFunction(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    switch (sqlite3_value_type(argv[0])) {
    case SQLITE_INTEGER: sqlite3_result_int64(ctx, sqlite3_value_int64(argv[0])); return;
    case SQLITE_FLOAT: sqlite3_result_double(ctx, sqlite3_value_double(argv[0])); return;
    case SQLITE_TEXT: {
        // A number as it is written ("500", "-1.5e3"); not what strtod also takes (exploratory test: "0x1F4",
        // "inf" and " 500" compared as numbers, and "1e999" made a sum +Inf).
        const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
        const char *end = text + sqlite3_value_bytes(argv[0]);
        double v = 0;
        const auto [stop, error] = std::from_chars(text, end, v);
        if (error == std::errc() && stop == end && std::isfinite(v))
            sqlite3_result_double(ctx, v);
        else
            sqlite3_result_null(ctx);
        return;
    }
    default: sqlite3_result_null(ctx);
    }
}

// SUM, exact while the integers fit in 64 bits and a double past that: SQLite's SUM fails the query with
// "integer overflow" (a sum of nanosecond times).
struct SumState {
    std::int64_t exact;
    double approximate;
    bool any, overflowed, real;
};

void sumStep(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    auto *state = static_cast<SumState *>(sqlite3_aggregate_context(ctx, sizeof(SumState)));
    if (!state)
        return;
    const int type = sqlite3_value_type(argv[0]);
    if (type != SQLITE_INTEGER && type != SQLITE_FLOAT)
        return;
    state->any = true;
    state->approximate += sqlite3_value_double(argv[0]);
    if (type == SQLITE_FLOAT)
        state->real = true;
    else if (!state->overflowed && __builtin_add_overflow(state->exact, sqlite3_value_int64(argv[0]), &state->exact))
        state->overflowed = true;
}

void sumFinal(sqlite3_context *ctx)
{
    const auto *state = static_cast<SumState *>(sqlite3_aggregate_context(ctx, 0));
    if (!state || !state->any)
        sqlite3_result_null(ctx);
    else if (state->real || state->overflowed)
        sqlite3_result_double(ctx, state->approximate);
    else
        sqlite3_result_int64(ctx, state->exact);
}

struct PercentileState {
    std::vector<double> *values;
    double p;
};

void percentileStep(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    auto *state = static_cast<PercentileState *>(sqlite3_aggregate_context(ctx, sizeof(PercentileState)));
    if (!state)
        return;
    if (!state->values) {
        state->values = new std::vector<double>;
        state->p = sqlite3_value_double(argv[1]);
    }
    const int type = sqlite3_value_type(argv[0]);
    if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
        state->values->push_back(sqlite3_value_double(argv[0]));
}

void percentileFinal(sqlite3_context *ctx)
{
    auto *state = static_cast<PercentileState *>(sqlite3_aggregate_context(ctx, 0));
    if (!state || !state->values || state->values->empty()) {
        sqlite3_result_null(ctx);
    } else {
        sqlite3_result_double(ctx, quantile(std::move(*state->values), state->p / 100.0));
    }
    if (state)
        delete state->values;
}
// A metric point as the aggregates over `value` read it: (type, value, extra, base_extra), base_extra
// being the series' point before for a cumulative histogram's increase, 'skip' for a point whose increase is
// unknown (pointIncreases), NULL otherwise.
struct MetricArgs {
    int type;
    double value;
    Json extra;
    Json base;
    bool skip;
};

bool isHistogram(int type)
{
    return type == int(MetricType::Histogram) || type == int(MetricType::ExponentialHistogram);
}

MetricArgs metricArgs(sqlite3_value **argv)
{
    const auto text = [](sqlite3_value *v) {
        const auto *t = reinterpret_cast<const char *>(sqlite3_value_text(v));
        return t ? std::string(t) : std::string();
    };
    MetricArgs a{sqlite3_value_int(argv[0]), sqlite3_value_double(argv[1]), Json(), Json(), false};
    if (isHistogram(a.type) || a.type == int(MetricType::Summary)) {
        a.extra = parseJson(text(argv[2]));
        const std::string base = text(argv[3]);
        a.skip = base == "skip";
        if (!a.skip && !base.empty())
            a.base = parseJson(base);
    }
    return a;
}

// p(value) over histogram points estimates from their buckets, over other points from their values.
struct MetricPercentileState {
    HistogramBuckets *buckets;
    std::vector<double> *values;
    double p;
    bool summary;
};

void metricPercentileStep(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    auto *state = static_cast<MetricPercentileState *>(sqlite3_aggregate_context(ctx, sizeof(MetricPercentileState)));
    if (!state)
        return;
    if (!state->values) {
        state->values = new std::vector<double>;
        state->buckets = new HistogramBuckets;
        state->p = sqlite3_value_double(argv[4]);
    }
    const MetricArgs a = metricArgs(argv);
    if (a.skip) // a cumulative histogram's first point, whose increase is not known
        return;
    if (a.type == int(MetricType::Summary))
        state->summary = true;
    else if (isHistogram(a.type))
        state->buckets->add(a.extra, a.type == int(MetricType::ExponentialHistogram), a.base);
    else if (sqlite3_value_type(argv[1]) != SQLITE_NULL)
        state->values->push_back(a.value);
}

void metricPercentileFinal(sqlite3_context *ctx)
{
    auto *state = static_cast<MetricPercentileState *>(sqlite3_aggregate_context(ctx, 0));
    if (!state || !state->values) {
        sqlite3_result_null(ctx);
        return;
    }
    if (state->summary)
        sqlite3_result_error(ctx, "a percentile cannot be computed from summary points: the quantiles each point "
                                  "carries do not merge, and the store does not show them yet", -1);
    else if (!state->buckets->empty() && !state->values->empty())
        sqlite3_result_error(ctx, "a percentile over histogram and other points at once: filter on one metric name", -1);
    else if (const double q = state->buckets->quantile(state->p / 100.0); !state->buckets->empty() && std::isfinite(q))
        sqlite3_result_double(ctx, q);
    else if (!state->buckets->empty())
        sqlite3_result_null(ctx); // buckets without an observation in the range
    else if (state->values->empty())
        sqlite3_result_null(ctx);
    else
        sqlite3_result_double(ctx, quantile(std::move(*state->values), state->p / 100.0));
    delete state->values;
    delete state->buckets;
}

// avg(value) over histogram and summary points is their sum over their count, not the mean of their sums.
struct MetricAvgState {
    double sum;
    double count;
};

void metricAvgStep(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    auto *state = static_cast<MetricAvgState *>(sqlite3_aggregate_context(ctx, sizeof(MetricAvgState)));
    if (!state || sqlite3_value_type(argv[1]) == SQLITE_NULL)
        return;
    const MetricArgs a = metricArgs(argv);
    if (a.skip)
        return;
    if (isHistogram(a.type) || a.type == int(MetricType::Summary)) {
        const auto count = [](const Json &j) { return j.is_object() ? j.value("count", 0.0) : 0.0; };
        state->sum += a.value; // the sum's increase already, for a cumulative series
        state->count += std::max(0.0, count(a.extra) - count(a.base));
    } else {
        state->sum += a.value;
        state->count += 1;
    }
}

void metricAvgFinal(sqlite3_context *ctx)
{
    const auto *state = static_cast<MetricAvgState *>(sqlite3_aggregate_context(ctx, 0));
    if (state && state->count > 0)
        sqlite3_result_double(ctx, state->sum / state->count);
    else
        sqlite3_result_null(ctx);
}
} // namespace

void registerSqliteFunctions(sqlite3 *db)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    sqlite3_create_function(db, "fd_regexp", 2, flags, nullptr, regexpFunction, nullptr, nullptr);
    sqlite3_create_function(db, "fd_num", 1, flags, nullptr, numFunction, nullptr, nullptr);
    g_fold = &SearchFold::instance(db);
    sqlite3_create_function(db, "fd_contains", 2, flags, nullptr, containsFunction, nullptr, nullptr);
    sqlite3_create_function(db, "fd_sum", 1, flags, nullptr, nullptr, sumStep, sumFinal);
    sqlite3_create_function(db, "fd_percentile", 2, flags, nullptr, nullptr, percentileStep, percentileFinal);
    sqlite3_create_function(db, "fd_metric_percentile", 5, flags, nullptr, nullptr, metricPercentileStep, metricPercentileFinal);
    sqlite3_create_function(db, "fd_metric_avg", 4, flags, nullptr, nullptr, metricAvgStep, metricAvgFinal);
}

} // namespace fd
