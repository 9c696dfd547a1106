#include "connectors/http/JsonAnswer.h"
#include "models/Error.h"
#include "models/Frame.h"
#include "models/Json.h"
#include "models/KnownSecrets.h"
#include "models/ValidUtf8.h"
#include "TestHelpers.h"
#include <QElapsedTimer>
#include <QTest>
#include <limits>

using namespace fd;

class TestJson : public QObject {
    Q_OBJECT

    using Int = std::optional<std::int64_t>;
    static constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    static constexpr auto kMin = std::numeric_limits<std::int64_t>::min();

private Q_SLOTS:
    void int64FromEveryFormEnginesSend()
    {
        QCOMPARE(jsonInt64(Json(42)), Int(42));
        QCOMPARE(jsonInt64(Json(kMin)), Int(kMin));
        QCOMPARE(jsonInt64(Json(std::uint64_t(kMax))), Int(kMax));
        QCOMPARE(jsonInt64(Json(1.7e18)), Int(1'700'000'000'000'000'000));
        QCOMPARE(jsonInt64(Json(-2.9)), Int(-2)); // truncated, as a cast would
        QCOMPARE(jsonInt64(Json("-9223372036854775808")), Int(kMin));
        QCOMPARE(jsonInt64(Json("1700000000123456789")), Int(1'700'000'000'123'456'789));
    }

    void int64RefusesWhatIsNone()
    {
        QCOMPARE(jsonInt64(Json(std::uint64_t(kMax) + 1)), Int());
        QCOMPARE(jsonInt64(Json(0x1p63)), Int()); // the first float past int64: its cast is undefined
        QCOMPARE(jsonInt64(Json(-1.3e40)), Int());
        QCOMPARE(jsonInt64(Json(std::numeric_limits<double>::quiet_NaN())), Int());
        QCOMPARE(jsonInt64(Json("18446744073709551615")), Int());
        QCOMPARE(jsonInt64(Json("12a")), Int());
        QCOMPARE(jsonInt64(Json(" 12")), Int());
        QCOMPARE(jsonInt64(Json("")), Int());
        QCOMPARE(jsonInt64(Json(true)), Int());
        QCOMPARE(jsonInt64(Json()), Int());
        QCOMPARE(jsonInt64(Json::array({ 1 })), Int());
    }

    void int64OfTheLowestFloatThatFits()
    {
        QCOMPARE(jsonInt64(Json(-0x1p63)), Int(kMin));
        QCOMPARE(jsonInt64(Json(0x1p63 - 1024)), Int(kMax - 1023));
    }

    // Found by an exploratory test: --query-json of 60,000 nested arrays crashed the process (its message printed
    // the value, one stack frame per level).
    void parsingRefusesWhatNestsTooDeep()
    {
        QString error;
        QVERIFY(parseJson(std::string(100000, '[') + std::string(100000, ']'), &error).is_discarded());
        QVERIFY2(error.contains(QStringLiteral("deeper")), qPrintable(error));
        QVERIFY(parseJson(std::string(100, '[') + std::string(100, ']')).is_array());
    }

    void invalidUtf8IsReplaced()
    {
        QCOMPARE(validUtf8("plain \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), std::string("plain \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
        const std::string replacement = "\xEF\xBF\xBD";
        QCOMPARE(validUtf8("a\xE9" "b"), "a" + replacement + "b"); // Latin-1
        QCOMPARE(validUtf8("\xC0\xAF"), replacement + replacement);         // overlong
        QCOMPARE(validUtf8("\xED\xA0\x80"), replacement + replacement + replacement); // a surrogate
        QCOMPARE(validUtf8("\xF4\x90\x80\x80"), replacement + replacement + replacement + replacement); // past U+10FFFF
        QCOMPARE(validUtf8("cut \xE2\x82"), "cut " + replacement + replacement);
    }

    // Found by exploratory test: 100,000 levels in a server's answer overflowed the stack in every connector.
    void answersRefuseWhatNestsTooDeep()
    {
        const std::string deep = "{\"data\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
        QVERIFY_THROWS_EXCEPTION(Error, parseAnswerJson(deep));
        try {
            parseJsonAnswer(deep, "source \"p\"", "Prometheus");
            QFAIL("no error");
        } catch (const Error &e) {
            QCOMPARE(std::string(e.what()), std::string("source \"p\": JSON nested deeper than 128 levels"));
        }
        QVERIFY(parseAnswerJson(std::string(100, '[') + std::string(100, ']')).is_array());
    }

    // A message quotes text from servers and sources: valid UTF-8, never cut inside a character, and on a
    // terminal without control characters (exploratory test: board --format json failed on a 0xFF byte).
    void messagesAreText()
    {
        const std::string replacement = "\xEF\xBF\xBD";
        const std::string euros = std::string(399, 'x') + "\xE2\x82\xAC\xE2\x82\xAC";
        QCOMPARE(bodyExcerpt(euros), std::string(399, 'x') + "…"); // the euro sign at 399 is cut whole
        QCOMPARE(bodyExcerpt("bad \xFF byte"), "bad " + replacement + " byte");
        QCOMPARE(bodyExcerpt("caf\xC3\xA9"), std::string("caf\xC3\xA9"));
        QCOMPARE(terminalText("a\xFF\x1B]0;t\x07\xC2\x9B" "b\xE2\x80\xA8" "c"), "a" + replacement + " ]0;t  b c");
    }

    // Exploratory test: a server echoing the request showed the token in a message when the 400-byte excerpt cut it
    // (its head was printed), or when it escaped it ("\/" in JSON, "&#x2F;" in HTML).
    void messagesHideSecretsCutOrEscaped()
    {
        const std::string token = "ghp_R2d2/C3po+Luke=Leia0042";
        rememberSecrets({token});
        const std::string cut = bodyExcerpt(std::string(380, 'x') + token + " end");
        QVERIFY2(cut == std::string(380, 'x') + "<hidden> end", cut.substr(370).c_str());
        QCOMPARE(bodyExcerpt(std::string(395, 'x') + token), std::string(395, 'x') + "<hidd…");
        for (const char *escaped : {"ghp_R2d2\\/C3po+Luke=Leia0042", "ghp_R2d2&#x2F;C3po&#43;Luke&equals;Leia0042",
                                    "ghp_R2d2%2FC3po%2bLuke%3DLeia0042", "ghp_R2d2\\u002fC3po\\u002BLuke=Leia0042",
                                    "&#103;hp_R2d2/C3po+Luke=Leia004&#x32;"})
            QCOMPARE(Error(std::string("HTTP 401: bad token ") + escaped + ".").message(),
                     QStringLiteral("HTTP 401: bad token <hidden>."));
        // near misses are text, left as they are
        for (const char *other : {"ghp_R2d2/C3po+Luke=Leia004", "ghp_R2d2&#x2F C3po+Luke=Leia0042", "ghp_R2d2%2GC3po"})
            QCOMPARE(withoutSecrets(other), std::string(other));
        QCOMPARE(withoutSecrets(token + token + "&amp;"), std::string("<hidden><hidden>&amp;"));

        // review: a long token echoed three times had slid its head into the excerpt once the first two were hidden
        std::string jwt;
        for (int i = 0; i < 2500; ++i)
            jwt += char('A' + i * 7 % 26);
        rememberSecrets({jwt});
        const std::string echoed = bodyExcerpt("echo: " + jwt + " again " + jwt + " and " + jwt + " end");
        QVERIFY2(echoed.find(jwt.substr(0, 8)) == std::string::npos, echoed.c_str());
        QCOMPARE(echoed, std::string("echo: <hidden> again <hidden> and <hidden> end"));
        // review: each '&' had searched the whole rest of the text for its ';'
        std::string ampersands;
        for (int i = 0; i < 200'000; ++i)
            ampersands += "a=1&";
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(withoutSecrets(ampersands), ampersands);
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed()))); // quadratic: minutes

        // review: a short secret inside a long one, hidden first, had left the rest of the long one
        rememberSecrets({"k3y9", "aaaa-k3y9-bbbb-cccc"});
        QCOMPARE(withoutSecrets("x aaaa-k3y9-bbbb-cccc y k3y9"), std::string("x <hidden> y <hidden>"));
        // review: near misses of a long secret are passed over in a fast loop (a 1 MiB error body had taken 4 s)
        rememberSecrets({std::string(2499, 'q') + "z"});
        const std::string nearMisses(1 << 20, 'q');
        timer.restart();
        QCOMPARE(withoutSecrets(nearMisses).size(), nearMisses.size());
        qInfo("1 MiB of near misses of a 2,500-character secret: %lld ms", qint64(timer.elapsed()));
    }

    void dottedNamesAnyWayTheyAreSpelt()
    {
        const Json j = Json::parse(R"({"http.route":"/a","http":{"method":"GET"},
            "kubernetes":{"labels":{"app.kubernetes.io/name":"auth"}},"k.v":{"a.b":{"c":1}},"x":5})");
        QCOMPARE(findDotted(j, "http.route")->get<std::string>(), std::string("/a"));
        QCOMPARE(findDotted(j, "http.method")->get<std::string>(), std::string("GET"));
        QCOMPARE(findDotted(j, "kubernetes.labels.app.kubernetes.io/name")->get<std::string>(), std::string("auth"));
        QCOMPARE(findDotted(j, "k.v.a.b.c")->get<int>(), 1);
        QVERIFY(!findDotted(j, "x.y"));
        QVERIFY(!findDotted(j, "kubernetes.labels.app"));
        QVERIFY(!findDotted(Json(5), "x"));
    }

    void int64MemberWithTheCallersWords()
    {
        const Json object = Json::parse(R"({"n": "12", "none": null, "big": 7.8e54, "word": "many"})");
        QCOMPARE(jsonInt64At(object, "n", "x: "), 12LL);
        QCOMPARE(jsonInt64At(object, "none", "x: "), 0LL);
        QCOMPARE(jsonInt64At(object, "absent", "x: "), 0LL);
        QCOMPARE(fdtest::errorOf([&] { jsonInt64At(object, "big", "Engine: "); }),
            QStringLiteral("Engine: big 7.8e+54 is out of range"));
        QCOMPARE(fdtest::errorOf([&] { jsonInt64At(object, "word", "Engine: ", "a bucket's count"); }),
            QStringLiteral("Engine: a bucket's count \"many\" is not an integer"));
    }
};

QTEST_APPLESS_MAIN(TestJson)
#include "tst_json.moc"
