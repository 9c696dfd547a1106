#include "models/Numbers.h"
#include "models/Time.h"
#include <QTest>
#include <limits>

using namespace fd;

class TestNumbers : public QObject {
    Q_OBJECT

    using Int = std::optional<std::int64_t>;
    static constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    static constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    static constexpr double kInf = std::numeric_limits<double>::infinity();

private Q_SLOTS:
    void truncatedWithinInt64()
    {
        QCOMPARE(truncatedInt64(-2.9), Int(-2));
        QCOMPARE(truncatedInt64(2.9), Int(2));
        QCOMPARE(truncatedInt64(-0x1p63), Int(kMin));
        QCOMPARE(truncatedInt64(0x1p63 - 1024), Int(kMax - 1023)); // the largest double below 2^63
        QCOMPARE(truncatedInt64(0x1p63), Int());
        QCOMPARE(truncatedInt64(-0x1p63 - 2048), Int());
        QCOMPARE(truncatedInt64(kNaN), Int());
        QCOMPARE(truncatedInt64(-kInf), Int());
    }

    void roundedHalfAwayFromZero()
    {
        QCOMPARE(roundedInt64(2.5), Int(3));
        QCOMPARE(roundedInt64(-2.5), Int(-3));
        QCOMPARE(roundedInt64(1700000000123.4), Int(1700000000123));
        QCOMPARE(roundedInt64(-0x1p63), Int(kMin));
        QCOMPARE(roundedInt64(0x1p63), Int()); // llround's result would be unspecified
        QCOMPARE(roundedInt64(1e30), Int());
        QCOMPARE(roundedInt64(kInf), Int());
        QCOMPARE(roundedInt64(kNaN), Int());
    }

    void millisecondsRoundedToNanoseconds()
    {
        QCOMPARE(millisecondsToNs(1.4), Int(kMillisecond));
        QCOMPARE(millisecondsToNs(-1.5), Int(-2 * kMillisecond));
        QCOMPARE(millisecondsToNs(9223372036854.0), Int(9223372036854 * kMillisecond));
        QCOMPARE(millisecondsToNs(9223372036855.0), Int()); // the product passes int64
        QCOMPARE(millisecondsToNs(-9223372036855.0), Int());
        QCOMPARE(millisecondsToNs(1e300), Int());
        QCOMPARE(millisecondsToNs(kNaN), Int());
    }

    void parsesTheWholeTextOnly()
    {
        QCOMPARE(parseWhole<std::int64_t>("-9223372036854775808"), Int(kMin));
        QCOMPARE(parseWhole<std::int64_t>("9223372036854775808"), Int()); // out of range
        QCOMPARE(parseWhole<std::int64_t>("12a"), Int());
        QCOMPARE(parseWhole<std::int64_t>(" 12"), Int());
        QCOMPARE(parseWhole<std::int64_t>("+12"), Int());
        QCOMPARE(parseWhole<std::int64_t>(""), Int());
        QCOMPARE(parseWhole<std::uint64_t>("18446744073709551615"), std::optional<std::uint64_t>(~0ULL));
        QCOMPARE(parseWhole<std::uint64_t>("-1"), std::optional<std::uint64_t>());
        QCOMPARE(parseWhole<double>("2.5e3"), std::optional<double>(2500.0));
        QCOMPARE(parseWhole<double>("1e999"), std::optional<double>()); // past double, never 0 or inf
        QCOMPARE(parseWhole<double>("0.5x"), std::optional<double>());
        QCOMPARE(parseWhole<int>("4294967296"), std::optional<int>());
        QCOMPARE(parseWhole<std::uint16_t>("00e9", 16), std::optional<std::uint16_t>(0xE9));
        QCOMPARE(parseWhole<std::uint16_t>("FFFF", 16), std::optional<std::uint16_t>(0xFFFF));
        QCOMPARE(parseWhole<std::uint16_t>("10000", 16), std::optional<std::uint16_t>());
        QCOMPARE(parseWhole<std::uint32_t>("-2F", 16), std::optional<std::uint32_t>());
        QCOMPARE(parseWhole<std::uint32_t>("0x2F", 16), std::optional<std::uint32_t>());
    }
};

QTEST_APPLESS_MAIN(TestNumbers)
#include "tst_numbers.moc"
