// Deploy markers from a real git repository the test builds with known commit times.
#include "connectors/git/GitMarkerSource.h"
#include "models/Error.h"
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {

constexpr TimeNs kT0 = 1'700'000'000 * kSecond; // 2023-11-14

class Repo
{
public:
    bool init()
    {
        return m_dir.isValid() && git({ QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main") })
            && git({ QStringLiteral("config"), QStringLiteral("user.email"), QStringLiteral("t@example.com") })
            && git({ QStringLiteral("config"), QStringLiteral("user.name"), QStringLiteral("Test") });
    }
    QString path() const { return m_dir.path(); }

    // A commit at time t (author and committer date), touching a file of its own.
    bool commit(const QString &message, TimeNs t)
    {
        QFile f(m_dir.filePath(message));
        return f.open(QIODevice::WriteOnly) && f.write("x") == 1 && (f.close(), true)
            && git({ QStringLiteral("add"), QStringLiteral(".") }, t)
            && git({ QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), message }, t);
    }
    bool git(const QStringList &args, TimeNs t = kT0)
    {
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        const QString date = QStringLiteral("@%1 +0000").arg(t / kSecond);
        env.insert(QStringLiteral("GIT_AUTHOR_DATE"), date);
        env.insert(QStringLiteral("GIT_COMMITTER_DATE"), date);
        env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral("git"), args);
        const bool ok = p.waitForFinished(30000) && p.exitCode() == 0;
        if (!ok)
            qWarning() << "git" << args << p.readAllStandardError();
        return ok;
    }

private:
    QTemporaryDir m_dir;
};

const TimeRange kAll { kT0 - kHour, kT0 + 30 * kDay };

} // namespace

class TestGitMarkers : public QObject
{
    Q_OBJECT
    Repo m_repo;

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("git")).isEmpty())
            QSKIP("git is not installed (packaging/install-deps.sh installs it)");
        QVERIFY(m_repo.init());
        QVERIFY(m_repo.commit(QStringLiteral("initial"), kT0));
        // A feature branch with two commits, merged into main two days later.
        QVERIFY(m_repo.git({ QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("feature") }));
        QVERIFY(m_repo.commit(QStringLiteral("feature-a"), kT0 + kDay));
        QVERIFY(m_repo.commit(QStringLiteral("feature-b"), kT0 + kDay + 2 * kHour));
        QVERIFY(m_repo.git({ QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main") }));
        QVERIFY(m_repo.git({ QStringLiteral("merge"), QStringLiteral("-q"), QStringLiteral("--no-ff"), QStringLiteral("-m"),
                               QStringLiteral("Merge feature"), QStringLiteral("feature") },
                           kT0 + 3 * kDay));
        QVERIFY(m_repo.git({ QStringLiteral("tag"), QStringLiteral("-a"), QStringLiteral("v1.0"), QStringLiteral("-m"), QStringLiteral("v1.0") },
                           kT0 + 3 * kDay + kHour));
        QVERIFY(m_repo.commit(QStringLiteral("hotfix"), kT0 + 5 * kDay));
        QVERIFY(m_repo.git({ QStringLiteral("tag"), QStringLiteral("v1.1") }, kT0 + 5 * kDay + kHour));
    }

    void mergesAreDeploysWithTheirOldestCommitAsLeadTime()
    {
        GitMarkerConfig c;
        c.repository = m_repo.path();
        c.branch = "main";
        c.service = "auth";
        c.commitUrl = "https://git.example/auth/commit/{commit}";
        const std::vector<Marker> m = GitMarkerSource("git", c).markers(kAll, nullptr);
        QCOMPARE(m.size(), std::size_t(1)); // the feature commits and the hotfix are no merges
        QCOMPARE(m[0].kind, std::string("deploy"));
        QCOMPARE(m[0].service, std::string("auth"));
        QCOMPARE(m[0].time, kT0 + 3 * kDay);
        QCOMPARE(m[0].commitTime, kT0 + kDay); // the oldest commit the merge brought
        QCOMPARE(m[0].title, std::string("Merge feature"));
        QCOMPARE(m[0].commit.size(), std::size_t(40));
        QCOMPARE(m[0].url, "https://git.example/auth/commit/" + m[0].commit);
    }

    void mergesOutsideTheRangeAreLeftOut()
    {
        GitMarkerConfig c;
        c.repository = m_repo.path();
        QVERIFY(GitMarkerSource("git", c).markers({ kT0 + 4 * kDay, kT0 + 10 * kDay }, nullptr).empty());
    }

    void tagsAreReleasesWithTheCommitsSinceThePreviousTag()
    {
        GitMarkerConfig c;
        c.repository = m_repo.path();
        c.mode = GitMarkerConfig::Mode::Tags;
        c.tagPattern = "v*";
        const std::vector<Marker> m = GitMarkerSource("git", c).markers(kAll, nullptr);
        QCOMPARE(m.size(), std::size_t(2));
        QCOMPARE(m[0].version, std::string("v1.0"));
        QCOMPARE(m[0].time, kT0 + 3 * kDay + kHour); // the annotated tag's own date
        QCOMPARE(m[0].commitTime, kT0); // everything up to the first tag counts
        QCOMPARE(m[1].version, std::string("v1.1"));
        QCOMPARE(m[1].time, kT0 + 5 * kDay); // a lightweight tag carries its commit's date
        QCOMPARE(m[1].commitTime, kT0 + 5 * kDay); // only the hotfix since v1.0
        QCOMPARE(m[0].service, QFileInfo(m_repo.path()).fileName().toStdString());
    }

    void notARepositoryIsAClearError()
    {
        QTemporaryDir empty;
        GitMarkerConfig c;
        c.repository = empty.path();
        try {
            GitMarkerSource("git", c).markers(kAll, nullptr);
            QFAIL("no error for a folder that is no repository");
        } catch (const Error &e) {
            QVERIFY2(e.message().contains(QLatin1String("git")), qPrintable(e.message()));
        }
    }
};

QTEST_GUILESS_MAIN(TestGitMarkers)
#include "tst_gitmarkers.moc"
