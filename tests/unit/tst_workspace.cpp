#include "models/Credential.h"
#include "models/Error.h"
#include "models/SecretExposure.h"
#include "models/Workspace.h"
#include "TestHelpers.h"
#include "WorkspaceSample.h"
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {
void write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct ErrorCase {
    const char *pointer, *value, *message;
};

// Puts each case's value at its JSON pointer in a copy of valid: read must fail with a message holding the case's.
template <class Read> void checkErrors(const Json &valid, Read read, std::initializer_list<ErrorCase> cases)
{
    for (const ErrorCase &c : cases) {
        Json bad = valid;
        bad[Json::json_pointer(c.pointer)] = Json::parse(c.value);
        const QString error = fdtest::errorOf([&] { read(bad); });
        QVERIFY2(error.contains(QString::fromUtf8(c.message)), qPrintable(QString::fromUtf8(c.pointer) + QStringLiteral(": ") + error));
    }
}
} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void roundTrip()
    {
        const QString path = m_dir.filePath(QStringLiteral("a.flightdeck.json"));
        write(path, kWorkspace);
        const Workspace w = loadWorkspace(path);
        QCOMPARE(w.sources.size(), std::size_t(2));
        QCOMPARE(w.storePath(w.sources[0]), m_dir.filePath(QStringLiteral("demo.sqlite")));
        QCOMPARE(w.boards.at(0).tiles.at(0).kind, std::string("ratio"));
        QCOMPARE(w.boards.at(0).tiles.at(0).range.lookback, 7);
        QCOMPARE(w.queries.at(0).query.where.size(), std::size_t(1));
        QCOMPARE(w.queries.at(0).view, std::string());
        QCOMPARE(w.queries.at(1).view, std::string("query")); // the tab it opens in

        const QString copy = m_dir.filePath(QStringLiteral("b.flightdeck.json"));
        saveWorkspace(w, copy);
        const Workspace again = loadWorkspace(copy);
        QVERIFY(workspaceToJson(again) == workspaceToJson(w));
        QVERIFY(again.view["variables"]["service"] == Json("auth"));
        QCOMPARE(again.sources[1].credential, std::string("keychain-id"));
    }

    void tileSizeAndFormatRoundTrip()
    {
        const QString path = m_dir.filePath(QStringLiteral("sizes.flightdeck.json"));
        write(path, kWorkspace);
        Workspace w = loadWorkspace(path);
        Tile &tile = w.boards.at(0).tiles.at(0);
        QCOMPARE(tile.columns, 1); // no "size": one cell
        QCOMPARE(tile.rows, 1);
        QCOMPARE(tile.decimals, -1);
        QVERIFY(!tileToJson(tile).contains("size")); // the default stays out of the file
        QVERIFY(!tileToJson(tile).contains("decimals"));

        tile.columns = 2;
        tile.rows = 3;
        tile.decimals = 1;
        QVERIFY(tileToJson(tile)["size"] == Json::array({2, 3}));
        saveWorkspace(w, path);
        const Workspace again = loadWorkspace(path);
        const Tile &loaded = again.boards.at(0).tiles.at(0);
        QCOMPARE(loaded.columns, 2);
        QCOMPARE(loaded.rows, 3);
        QCOMPARE(loaded.decimals, 1);
        QVERIFY(workspaceToJson(again) == workspaceToJson(w));

        Json bad = tileToJson(loaded);
        for (const char *size : {"[0, 1]", "[5, 1]", "[1]", "[1, 2, 3]", "\"2x1\"", "[1.5, 1]", "[2, -1]"}) {
            bad["size"] = Json::parse(size);
            QVERIFY_THROWS_EXCEPTION(Error, tileFromJson(bad));
        }
        bad["size"] = Json::array({4, 4});
        QCOMPARE(tileFromJson(bad).columns, 4);
        bad["decimals"] = 9;
        QVERIFY_THROWS_EXCEPTION(Error, tileFromJson(bad));
    }

    // get<int> wraps 2^32 + 7 to 7 and leaves a float past int undefined: each is an error naming its field.
    void numbersPastIntAreErrorsNeverWrapped()
    {
        const QString path = m_dir.filePath(QStringLiteral("numbers.flightdeck.json"));
        write(path, kWorkspace);
        const Json tile = tileToJson(loadWorkspace(path).boards.at(0).tiles.at(0));
        checkErrors(tile, [](const Json &t) { tileFromJson(t); },
            { { "/range/lookback", "4294967303", "\"lookback\" must be a whole number within int, not 4294967303" },
                { "/range/lookback", "1e300", "\"lookback\" must be a whole number within int, not 1e+300" },
                { "/range/lookback", "0", "\"lookback\" must be at least 1 period, not 0" },
                { "/range/lookback", "7.5", "\"lookback\" must be a whole number within int, not 7.5" },
                { "/range/lookback", "2000000000", "\"lookback\" periods reach past 292 years" },
                { "/range/min_buckets", "-4294967295", "\"min_buckets\" must be a whole number within int" },
                { "/decimals", "4294967298", "\"decimals\" must be a whole number within int" },
                { "/size", "[4294967297, 1]", "\"size\" must be [width, height]" },
                { "/range/band", "[\"low\", 0.9]", "\"band\" has the wrong type: [\"low\",0.9]" },
                // Found by an exploratory test: each was taken, and drew a band that made up anomalies.
                { "/range/band", "[0.95, 0.05]", "range: \"band\" must be two quantiles from 0 to 1, the low one first" },
                { "/range/band", "[-1, 7]", "\"band\" must be two quantiles" },
                { "/range/band", "[0.5]", "\"band\" has the wrong type: [0.5]" },
                { "/range/k", "-3", "\"k\" (how many deviations from the median are normal) must be above 0" },
                { "/range", "{\"method\": \"static\"}", "a static range needs its \"min\" and \"max\"" },
                { "/range", "{\"method\": \"static\", \"min\": 500, \"max\": 10}", "a static range's \"min\" 500.0 is above its \"max\" 10.0" },
                { "/markers", "[\"deploy\"]", "\"markers\" has the wrong type" },
                // Found by an exploratory test: a misspelt kind hid every suspect without a word.
                { "/markers", "{\"kinds\": [\"deploys\"]}", "markers: marker kind \"deploys\" is not one of deploy, rollback" },
                // Found by an exploratory test: each was read as no range, and the default one drawn.
                { "/range", "5", "\"range\" has the wrong type: 5" },
                { "/range", "\"static\"", "\"range\" has the wrong type: \"static\"" },
                { "/range", "[]", "\"range\" has the wrong type: []" } });
        Json whole = tile; // found by an exploratory test: Python writes 7.0, which had been refused
        whole["range"]["lookback"] = 7.0;
        whole["size"] = {2.0, 1.0};
        whole["numerator"]["limit"] = 1000.0;
        QCOMPARE(tileFromJson(whole).range.lookback, 7);
        QCOMPARE(tileFromJson(whole).columns, 2);
        QCOMPARE(tileFromJson(whole).numerator.limit, 1000);
        write(path, R"j({"flightdeck_workspace": 4294967297})j"); // not version 1
        QCOMPARE(fdtest::errorOf([&] { loadWorkspace(path); }).contains(QStringLiteral("invalid \"flightdeck_workspace\" version")), true);

        const Json snapshot = Json::parse(R"j({"taken": "2026-11-20T10:00:00Z", "from": "2026-11-20T09:00:00Z",
            "to": "2026-11-20T10:00:00Z", "columns": [{"name": "n", "type": "int64"}], "rows": [[18446744073709551615], [-3]]})j");
        const Snapshot s = snapshotFromJson(snapshot);
        QVERIFY(s.frame->columns.at(0).cells.at(0) == Cell(18446744073709551615.0)); // a double, never -1
        QVERIFY(s.frame->columns.at(0).cells.at(1) == Cell(std::int64_t(-3)));
        checkErrors(snapshot, [](const Json &j) { snapshotFromJson(j); },
            { { "/total", "1e300", "snapshot: \"total\" must be a count of rows, not 1e+300" },
                { "/total", "-1", "snapshot: \"total\" must be a count of rows, not -1" },
                { "/truncated", "\"yes\"", "\"truncated\" has the wrong type: \"yes\"" },
                { "/taken", "1764590400", "\"taken\" has the wrong type: 1764590400" },
                { "/columns/0/type", "7", "\"type\" has the wrong type: 7" } });
    }

    // A version 1 incident whose "timeline" is no array: nlohmann's push_back throws its own exception.
    void aValueOfAnUnforeseenTypeIsAnError()
    {
        const QString path = m_dir.filePath(QStringLiteral("unforeseen.flightdeck.json"));
        write(path, R"j({"flightdeck_workspace": 1, "incidents": [{"title": "I", "timeline": "x", "pager": 1}]})j");
        const QString error = fdtest::errorOf([&] { loadWorkspace(path); });
        QVERIFY2(error.contains(QStringLiteral("a value has the wrong type")), qPrintable(error));
    }

    // The window and the command line read these without checking their type (found by review: a "view" of []
    // loaded, then Save threw out of a slot).
    void anObjectOfAnotherTypeIsAnError()
    {
        Json valid = Json::parse(kWorkspace);
        valid["flightdeck_workspace"] = Workspace::kFormatVersion;
        valid["incidents"] = Json::parse(R"j([{"title": "I", "start": "2026-11-20T10:00:00Z", "status": "open",
            "timeline": [{"time": "2026-11-20T10:00:00Z", "kind": "note", "title": "t", "ref": {"trace_id": "ab"}}]}])j");
        QVERIFY(workspaceFromJson(valid).incidents.at(0).timeline.at(0).ref == Json({{"trace_id", "ab"}}));
        checkErrors(valid, [](const Json &j) { workspaceFromJson(j); },
            { { "/view", "[]", "\"view\" must be an object, not array" },
                { "/view/time_range", "\"now-1h\"", "\"time_range\" must be an object, not string" },
                { "/view/time_range/from", "5", "\"from\" must be a string" },
                { "/view/time_range/to", "{}", "\"to\" must be a string" },
                { "/sources/0/options", "[1]", "\"options\" must be an object, not array" },
                { "/incidents/0/timeline/0/ref", "\"trace\"", "\"ref\" must be an object, not string" },
                // Found by an exploratory test: each had been taken without a word.
                { "/incidents/0/action_items", "\"call the vendor\"", "\"action_items\" must be an array" },
                { "/view/variables", "{\"service\": {\"a\": 1}}", "\"variable service\" has the wrong type: {\"a\":1}" },
                { "/view/variables", "[]", "\"variables\" must be an object, not array" } });
        // Found by an exploratory test: --board reached the first of two boards of one name, scripts found two tiles
        // of one name. Each gets a name of its own, and a note says so (refused, an older editor's file had not opened)
        Json repeated = valid;
        repeated["boards"][0]["tiles"].push_back(repeated["boards"][0]["tiles"][0]);
        repeated["boards"].push_back({{"name", "Business"}});
        repeated["boards"].push_back({{"name", "Business (2)"}});
        const Workspace w = workspaceFromJson(repeated);
        QCOMPARE(w.boards.at(0).tiles.at(1).name, std::string("Login success (2)"));
        QCOMPARE(w.boards.at(1).name, std::string("Business (3)"));
        QCOMPARE(w.boards.at(2).name, std::string("Business (2)"));
        QCOMPARE(w.migrationNotes, (std::vector<std::string>{"board \"Business\" came twice: the second is \"Business (3)\" now",
                                                             "board \"Business\": tile \"Login success\" came twice: the second is "
                                                             "\"Login success (2)\" now"}));
        const Json huge = Json(std::string(1 << 20, 'x'));
        QVERIFY(fdtest::errorOf([&] { tileFromJson({{"name", "t"}, {"range", huge}}); }).size() < 400); // no 1 MB message
        valid["view"] = nullptr; // null and missing are the same: an empty view
        QVERIFY(workspaceFromJson(valid).view.empty());
    }

    void secretsAreNamedNeverShown()
    {
        QCOMPARE(urlWithoutUserInfo("https://admin:hunter2@prom:9090/api?to=a@b"), std::string("https://…@prom:9090/api?to=a@b"));
        QCOMPARE(urlWithoutUserInfo("http://prom/a@b#c@d"), std::string("http://prom/a@b#c@d"));
        QCOMPARE(urlWithoutUserInfo("admin:hunter2@prom"), std::string("…@prom"));
        SourceConfig source{"prom", "prometheus", {}, "https://admin:hunter2@prom", {}, Json::object()};
        QVERIFY(QString::fromStdString(secretKeptBy(source)).contains(QStringLiteral("user name or password")));
        source.url = "https://prom";
        QCOMPARE(secretKeptBy(source), std::string());
        // Found by review: an API gateway's key header was kept in the file.
        for (const char *header : {"authorization", "Proxy-Authorization", "COOKIE", "x-clickhouse-key", "X-Api-Key",
                                   "x-auth-token", "PRIVATE-TOKEN", "apikey"}) {
            source.options = {{"headers", {{header, "s3cret"}}}};
            QCOMPARE(secretKeptBy(source), "options.headers." + std::string(header)
                         + " would keep a secret in the workspace file; give the source a \"credential\" (kept in the "
                           "system keychain) instead (flightdeck credential set ID --header " + header + ")");
        }
        source.options = {{"headers", {{"X-Scope-OrgID", "team"}}}};
        QCOMPARE(secretKeptBy(source), std::string());
        // Found by an exploratory test: a credential under a header of another name, and a secret key on the source
        source.options = {{"headers", {{"X-Scope-OrgID", "team"}, {"X-Custom", "Bearer s3cret"}}}};
        QCOMPARE(secretKeptBy(source), std::string("options.headers.X-Custom would keep a secret in the workspace file; give the "
                                                   "source a \"credential\" (kept in the system keychain) instead "
                                                   "(flightdeck credential set ID --header X-Custom)"));
        source.options = Json::object();
        for (const char *key : {"token", "password", "api_key"}) {
            const Json j = {{"flightdeck_workspace", Workspace::kFormatVersion},
                            {"sources", {{{"id", "prom"}, {"type", "prometheus"}, {"url", "https://prom"}, {key, "s3cret"}}}}};
            const QString error = fdtest::errorOf([&] { workspaceFromJson(j); });
            QCOMPARE(error, QStringLiteral("source prom: \"%1\" would keep a secret in the workspace file; give the source a "
                                           "\"credential\" (kept in the system keychain) instead").arg(QLatin1String(key)));
        }
        // Found by review and an exploratory test: a key in the url's query, or an option named for a secret
        source.url = "https://prom/api?api_key=s3cret";
        QCOMPARE(secretKeptBy(source), std::string("its url has a query or fragment, where keys get pasted: give the base "
                                                   "url alone, and give the source a \"credential\" (kept in the system "
                                                   "keychain) instead"));
        source.url = "https://prom";
        for (const char *option : {"password", "token", "api_key"}) {
            source.options = {{"user", "default"}, {option, "s3cret"}};
            QCOMPARE(secretKeptBy(source), "options." + std::string(option)
                         + " would keep a secret in the workspace file; give the source a \"credential\" (kept in the "
                           "system keychain) instead");
        }
        source.options = {{"user", "default"}, {"database", "otel"}, {"tenant", "t"}, {"ca_file", "/ca.pem"},
                          {"tls_skip_verify", false}, {"deploy_markers", {{"query", "build_info"}}}};
        QCOMPARE(secretKeptBy(source), std::string());
    }

    // An API key header is a credential of its own kind, kept in the keychain like a token.
    void headerCredentialRoundTrips()
    {
        const Credential c = credentialFromJson(R"({"kind":"header","header":"X-Api-Key","value":"k-123"})");
        QCOMPARE(credentialHeader(c), (std::pair<std::string, std::string>("X-Api-Key", "k-123")));
        QCOMPARE(credentialHeader(credentialFromJson(credentialToJson(c))), credentialHeader(c));
        QCOMPARE(credentialHeader(credentialFromJson(R"({"kind":"bearer","token":"t"})")),
                 (std::pair<std::string, std::string>("Authorization", "Bearer t")));
        QCOMPARE(fdtest::errorOf([] { credentialFromJson(R"({"kind":"header","value":"k-123"})"); }),
                 QStringLiteral("the credential has no \"header\""));
    }

    void truncatedFileIsAClearErrorAndStaysUntouched()
    {
        const QString path = m_dir.filePath(QStringLiteral("broken.flightdeck.json"));
        const QByteArray truncated = QByteArray(kWorkspace).left(200);
        write(path, truncated);
        try {
            loadWorkspace(path);
            QFAIL("a truncated workspace loaded");
        } catch (const Error &e) {
            QVERIFY(e.message().contains(QStringLiteral("not valid JSON")));
            QVERIFY(e.message().contains(path));
        }
        QCOMPARE(read(path), truncated);
    }

    // Every cell type, nulls, 64-bit integers beyond a double's precision, JSON text kept byte for byte.
    void snapshotReopensExactlyAsSaved()
    {
        auto frame = std::make_shared<Frame>();
        frame->columns = {{"time", ColumnType::Time, {Cell(std::int64_t(1'764'633'600'123'456'789)), Cell(std::monostate{})}},
                          {"count", ColumnType::Int64, {Cell(std::int64_t(9'007'199'254'740'993)), Cell(std::int64_t(-1))}},
                          {"p95", ColumnType::Double, {Cell(0.1 + 0.2), Cell(1e-300)}},
                          {"service.name", ColumnType::String, {Cell(std::string("auth")), Cell(std::string("caf\u00e9 \"q\""))}},
                          {"attributes", ColumnType::Json, {Cell(std::string(kSnapshotJsonCell)), Cell(std::monostate{})}}};
        frame->truncated = true;
        frame->total = 1234;
        frame->nativeQuery = "SELECT 1";
        frame->notes = {"scanned 2 rows"};
        Workspace w;
        w.queries.push_back({"Errors", "auth", Query{}, Snapshot{1'764'640'000'000'000'000, {1'764'630'000'000'000'000, 1'764'633'600'000'000'000}, frame}});
        const QString path = m_dir.filePath(QStringLiteral("snapshot.flightdeck.json"));
        saveWorkspace(w, path);
        const Workspace again = loadWorkspace(path);
        const std::optional<Snapshot> &s = again.queries.at(0).snapshot;
        QVERIFY(s.has_value());
        QCOMPARE(s->taken, 1'764'640'000'000'000'000);
        QCOMPARE(s->range.from, 1'764'630'000'000'000'000);
        QCOMPARE(s->range.to, 1'764'633'600'000'000'000);
        QCOMPARE(s->frame->columns.size(), frame->columns.size());
        for (std::size_t c = 0; c < frame->columns.size(); ++c) {
            QCOMPARE(s->frame->columns[c].name, frame->columns[c].name);
            QVERIFY(s->frame->columns[c].type == frame->columns[c].type);
            QVERIFY2(s->frame->columns[c].cells == frame->columns[c].cells, frame->columns[c].name.c_str());
        }
        QVERIFY(s->frame->truncated);
        QCOMPARE(s->frame->total, 1234);
        QCOMPARE(s->frame->nativeQuery, std::string("SELECT 1"));
        QCOMPARE(s->frame->notes, frame->notes);
        QCOMPARE(snapshotSummary(*s), QStringLiteral("2 rows of 2025-12-01 23:00 – 2025-12-02 00:00 UTC, taken 2025-12-02 01:46 UTC"));
        QVERIFY(workspaceToJson(again) == workspaceToJson(w));
    }

    void malformedSnapshotIsAClearError()
    {
        const QString path = m_dir.filePath(QStringLiteral("bad-snapshot.flightdeck.json"));
        write(path, kBadSnapshotWorkspace);
        try {
            loadWorkspace(path);
            QFAIL("a row with the wrong number of cells was accepted");
        } catch (const Error &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("each row needs 2 cells")), e.what());
        }
    }

    void invalidContentNamesThePart()
    {
        const QString path = m_dir.filePath(QStringLiteral("invalid.flightdeck.json"));
        write(path, R"j({"flightdeck_workspace": 1, "boards": [{"name": "B", "tiles": [{"name": "T", "kind": "pie"}]}]})j");
        QVERIFY_THROWS_EXCEPTION(Error, loadWorkspace(path));
        write(path, R"j({"flightdeck_workspace": 99})j");
        QVERIFY_THROWS_EXCEPTION(Error, loadWorkspace(path));
        write(path, R"j([1, 2])j");
        QVERIFY_THROWS_EXCEPTION(Error, loadWorkspace(path));
    }

    void failedSaveKeepsTheOldFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("keep.flightdeck.json"));
        write(path, kWorkspace);
        const Workspace w = loadWorkspace(path);
        QVERIFY_THROWS_EXCEPTION(Error, saveWorkspace(w, m_dir.filePath(QStringLiteral("missing-dir/x.json"))));
        QCOMPARE(read(path), QByteArray(kWorkspace));
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
