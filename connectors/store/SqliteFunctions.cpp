#include "SqliteFunctions.h"
#include "models/Baseline.h"
#include <QRegularExpression>
#include <sqlite3.h>
#include <cstdlib>
#include <vector>

namespace fd {

namespace {
void regexpFunction(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    const auto *value = reinterpret_cast<const char *>(sqlite3_value_text(argv[1]));
    if (!value) {
        sqlite3_result_null(ctx);
        return;
    }
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
        const bool matched = re->match(QString::fromUtf8(value)).hasMatch();
        // SQLite may delete the pattern at once instead of keeping it, so read nothing from it after this.
        sqlite3_set_auxdata(ctx, 0, re, [](void *p) { delete static_cast<QRegularExpression *>(p); });
        sqlite3_result_int(ctx, matched ? 1 : 0);
        return;
    }
    sqlite3_result_int(ctx, re->match(QString::fromUtf8(value)).hasMatch() ? 1 : 0);
}

void numFunction(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    switch (sqlite3_value_type(argv[0])) {
    case SQLITE_INTEGER: sqlite3_result_int64(ctx, sqlite3_value_int64(argv[0])); return;
    case SQLITE_FLOAT: sqlite3_result_double(ctx, sqlite3_value_double(argv[0])); return;
    case SQLITE_TEXT: {
        const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
        char *end = nullptr;
        const double v = std::strtod(text, &end);
        if (end != text && *end == '\0')
            sqlite3_result_double(ctx, v);
        else
            sqlite3_result_null(ctx);
        return;
    }
    default: sqlite3_result_null(ctx);
    }
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
} // namespace

void registerSqliteFunctions(sqlite3 *db)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    sqlite3_create_function(db, "fd_regexp", 2, flags, nullptr, regexpFunction, nullptr, nullptr);
    sqlite3_create_function(db, "fd_num", 1, flags, nullptr, numFunction, nullptr, nullptr);
    sqlite3_create_function(db, "fd_percentile", 2, flags, nullptr, nullptr, percentileStep, percentileFinal);
}

} // namespace fd
