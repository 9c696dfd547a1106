// JobRunner: answers, errors, and the parts a job hands over on the way (runReporting), on the GUI thread.
#include "models/JobRunner.h"
#include <QTest>
#include <QThreadPool>
#include <QThread>
#include <atomic>
#include <thread>
#include <vector>

using namespace fd;

class TestJobRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void partsArriveInOrderBeforeTheAnswer()
    {
        JobRunner runner;
        std::vector<int> parts;
        std::optional<std::size_t> partsAtDone;
        int answer = 0;
        runner.runReporting<int, int>(
            [](const CancelTokenPtr &, const std::function<void(int)> &report) {
                for (int i = 0; i < 100; ++i)
                    report(i);
                return 42;
            },
            [&](const int &part) {
                QVERIFY(QThread::currentThread() == thread());
                parts.push_back(part);
            },
            [&](const int &result) {
                answer = result;
                partsAtDone = parts.size();
            },
            [](const QString &message) { QFAIL(qPrintable(message)); });
        QTRY_VERIFY(!runner.busy());
        QCOMPARE(answer, 42);
        QCOMPARE(partsAtDone, std::optional<std::size_t>(100));
        for (int i = 0; i < 100; ++i)
            QCOMPARE(parts[std::size_t(i)], i);
    }

    // Parts and answer of one type; reported from several threads at once.
    void partsFromSeveralThreadsOfTheAnswersType()
    {
        JobRunner runner;
        QStringList parts;
        QString answer;
        runner.runReporting<QString, QString>(
            [](const CancelTokenPtr &, const std::function<void(QString)> &report) {
                std::vector<std::thread> threads;
                for (int t = 0; t < 4; ++t)
                    threads.emplace_back([&report, t] {
                        for (int i = 0; i < 50; ++i)
                            report(QStringLiteral("%1.%2").arg(t).arg(i));
                    });
                for (std::thread &t : threads)
                    t.join();
                return QStringLiteral("done");
            },
            [&](const QString &part) {
                QVERIFY(answer.isEmpty()); // no part after the answer
                parts.push_back(part);
            },
            [&](const QString &result) { answer = result; },
            [](const QString &message) { QFAIL(qPrintable(message)); });
        QTRY_COMPARE(answer, QStringLiteral("done"));
        QCOMPARE(parts.size(), 200);
        parts.removeDuplicates();
        QCOMPARE(parts.size(), 200);
    }

    void aSupersededJobsPartsAndAnswerAreDropped()
    {
        JobRunner runner;
        std::atomic<bool> firstCancelled{false};
        int firstParts = 0, firstAnswers = 0;
        runner.runReporting<int, int>(
            [&](const CancelTokenPtr &cancel, const std::function<void(int)> &report) {
                for (;; QThread::msleep(1)) {
                    if (cancel->isCancelled()) {
                        firstCancelled = true;
                        report(-1); // too late: the job is superseded
                        return -1;
                    }
                    report(1);
                }
            },
            [&](const int &) { ++firstParts; }, [&](const int &) { ++firstAnswers; },
            [&](const QString &) { ++firstAnswers; });
        QTRY_VERIFY(firstParts > 0);
        int answer = 0;
        runner.run<int>([](const CancelTokenPtr &) { return 7; }, [&](const int &result) { answer = result; },
                        [](const QString &message) { QFAIL(qPrintable(message)); });
        const int partsWhenSuperseded = firstParts;
        QTRY_COMPARE(answer, 7);
        QTRY_VERIFY(firstCancelled);
        QTest::qWait(20);
        QCOMPARE(firstParts, partsWhenSuperseded);
        QCOMPARE(firstAnswers, 0);
    }

    void anErrorReachesOnErrorOnly()
    {
        JobRunner runner;
        QString error;
        bool done = false;
        runner.run<int>([](const CancelTokenPtr &) -> int { throw Error(std::string("the source said no")); },
                        [&](const int &) { done = true; }, [&](const QString &message) { error = message; });
        QTRY_COMPARE(error, QStringLiteral("the source said no"));
        QVERIFY(!done);
        QVERIFY(!runner.busy());
    }

    // Exploratory test: three jobs waiting on a slow source took Qt's global pool, whose threads Qt's painting waits
    // for, and the window froze until the source answered. Jobs run on threads of their own.
    void waitingJobsLeaveQtsPoolFree()
    {
        std::atomic<bool> released{false};
        std::atomic<int> waiting{0};
        std::vector<std::unique_ptr<JobRunner>> runners;
        const int jobs = QThreadPool::globalInstance()->maxThreadCount() + 2;
        for (int i = 0; i < jobs; ++i) {
            runners.push_back(std::make_unique<JobRunner>());
            runners.back()->run<int>(
                [&](const CancelTokenPtr &token) {
                    ++waiting;
                    while (!released && !token->isCancelled()) // a failed check cancels them as the runners go
                        QThread::msleep(2);
                    return 0;
                },
                [](const int &) {}, [](const QString &) {});
        }
        QTRY_COMPARE(waiting.load(), jobs); // every job under way at once
        QFuture<int> painting = QtConcurrent::run([] { return 7; }); // as Qt's raster engine borrows the pool
        QVERIFY(QTest::qWaitFor([&] { return painting.isFinished(); }, 2000));
        released = true;
        for (auto &runner : runners)
            QTRY_VERIFY(!runner->busy());
    }
};

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
