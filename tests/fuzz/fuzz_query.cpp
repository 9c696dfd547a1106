// The Query JSON form (saved queries, boards, the CLI's --query) and the --where expression list.
// Each has an inverse (queryToJson, whereListToText) that must give back the same value.
#include "FuzzTarget.h"
#include "models/Query.h"
#include <algorithm>

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text = fuzz::text(data, size);
    std::vector<Condition> where;
    bool parsed = true;
    try {
        where = parseWhereList(text);
    } catch (const Error &) {
        parsed = false;
    }
    // The where syntax has no escape: a value or a field holding both quote characters has no text form (a
    // known limit, see the fuzzing notes in BENCHMARKS.md).
    const auto bothQuotes = [](const std::string &s) {
        return s.find('"') != std::string::npos && s.find('\'') != std::string::npos;
    };
    const bool writable = std::none_of(where.begin(), where.end(), [&](const Condition &c) {
        return bothQuotes(c.value.is_string() ? c.value.get<std::string>() : std::string()) || bothQuotes(c.field);
    });
    if (parsed && writable) {
        const std::string again = whereListToText(where);
        std::vector<Condition> reparsed;
        try {
            reparsed = parseWhereList(again);
        } catch (const Error &e) {
            std::fprintf(stderr, "where \"%s\" -> \"%s\": %s\n", text.c_str(), again.c_str(), e.what());
            fuzz::check(false, "whereListToText gives text parseWhereList refuses");
        }
        if (reparsed != where) {
            Query a, b;
            a.where = where;
            b.where = reparsed;
            std::fprintf(stderr, "where \"%s\" -> \"%s\":\n%s\n%s\n", text.c_str(), again.c_str(),
                queryToJson(a)["where"].dump(-1, ' ', false, Json::error_handler_t::replace).c_str(),
                queryToJson(b)["where"].dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
        }
        fuzz::check(reparsed == where, "parseWhereList(whereListToText(x)) != x");
    }
    const Json j = fuzz::parse(text);
    if (j.is_discarded())
        return 0;
    Query q;
    try {
        q = queryFromJson(j);
    } catch (const Error &) {
        return 0;
    }
    Query back;
    try {
        back = queryFromJson(Json::parse(queryToJson(q).dump()));
    } catch (const Error &e) {
        std::fprintf(stderr, "query reload: %s\n", e.what());
        fuzz::check(false, "queryToJson gives JSON queryFromJson refuses");
    }
    fuzz::check(back == q, "queryFromJson(queryToJson(q)) != q");
    return 0;
}
