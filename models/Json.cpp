#include "Json.h"
#include "Error.h"
#include "JsonDepth.h"
#include "Numbers.h"
#include <cmath>
#include <limits>

namespace fd {

std::optional<std::int64_t> jsonInt64(const Json &v)
{
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
        return std::int64_t(u);
    }
    if (v.is_number_integer())
        return v.get<std::int64_t>();
    if (v.is_number_float())
        return truncatedInt64(v.get<double>());
    const auto *s = v.get_ptr<const std::string *>();
    return s ? parseWhole<std::int64_t>(*s) : std::nullopt;
}

std::string notInt64Text(const char *name, const Json &v)
{
    return std::string(name) + " " + v.dump() + (v.is_number() ? " is out of range" : " is not an integer");
}

std::int64_t jsonInt64At(const Json &object, const char *key, const std::string &prefix, const char *name)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return 0;
    if (const auto n = jsonInt64(*it))
        return *n;
    throw Error(prefix + notInt64Text(name ? name : key, *it));
}

std::optional<int> jsonInt(const Json &v)
{
    const auto n = v.is_number_integer() ? jsonInt64(v) : std::nullopt;
    if (!n || *n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(*n);
}

std::optional<std::int64_t> jsonWholeNumber(const Json &v)
{
    if (v.is_number_integer())
        return jsonInt64(v);
    if (!v.is_number_float())
        return std::nullopt;
    const double d = v.get<double>();
    return d == std::trunc(d) ? truncatedInt64(d) : std::nullopt;
}

void throwWrongType(const char *key, const Json &value)
{
    std::string shown = value.dump();
    if (shown.size() > 200) // a 50 MB value had been the message
        shown = shown.substr(0, 200) + "…";
    throw Error(std::string("\"") + key + "\" has the wrong type: " + shown);
}

Json jsonObjectField(const Json &j, const char *key)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return Json::object();
    if (!it->is_object())
        throw Error(std::string("\"") + key + "\" must be an object, not " + it->type_name());
    return *it;
}

Json parseJson(const std::string &text, QString *error)
{
    try {
        checkJsonDepth(text); // printing or comparing a deeper value overflows the stack
        return Json::parse(text);
    } catch (const Json::exception &e) { // out_of_range too: a number past double ("1e999")
        if (error)
            *error = QString::fromStdString(jsonProblem(e));
    } catch (const Error &e) {
        if (error)
            *error = e.message();
    }
    return Json(Json::value_t::discarded);
}

std::string jsonProblem(const std::exception &e)
{
    const std::string what = e.what();
    if (!what.starts_with("[json.exception."))
        return what;
    const auto end = what.find("] ");
    return end == std::string::npos ? what : what.substr(end + 2);
}

Json doubleAttribute(double v)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "Infinity" : "-Infinity";
    return v;
}

Json roundedNumber(double v, int decimals)
{
    if (!std::isfinite(v))
        return Json();
    const double scale = std::pow(10.0, decimals);
    return Json(std::round(v * scale) / scale);
}

const Json *findDotted(const Json &object, std::string_view name)
{
    if (!object.is_object())
        return nullptr;
    if (const auto it = object.find(std::string(name)); it != object.end())
        return &*it;
    for (std::size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.', dot + 1)) {
        const auto it = object.find(std::string(name.substr(0, dot)));
        if (it != object.end())
            if (const Json *found = findDotted(*it, name.substr(dot + 1)))
                return found;
    }
    return nullptr;
}

} // namespace fd
