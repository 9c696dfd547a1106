#include "models/JobThreads.h"
#include "Cli.h"
#include "CliCommands.h"
#include "CliContext.h"
#include "DemoWriter.h"
#include "MainWindow.h"
#include "ReceiverAddress.h"
#include "connectors/store/Store.h"
#include "models/Error.h"
#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QIcon>
#include <QTimer>
#include <QtConcurrent>
#include <cstdio>
#include <optional>

namespace {
QtMessageHandler g_qtMessages = nullptr;

// Qt's notes on the environment (no XDG_RUNTIME_DIR in a container, what the offscreen platform lacks) are
// no message for a script reading a command's stderr.
void dropPlatformNoise(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg
        && (message.startsWith(QLatin1String("QStandardPaths: ")) || message.contains(QLatin1String("propagateSizeHints"))))
        return;
    if (g_qtMessages)
        g_qtMessages(type, context, message);
    else
        std::fputs(qPrintable(qFormatLogMessage(type, context, message) + QLatin1Char('\n')), stderr);
}


// Commands work without a display: fall back to the offscreen platform when there is none.
void chooseHeadlessPlatform()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

void setApplicationNames()
{
    QCoreApplication::setApplicationName(QStringLiteral("flightdeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLIGHTDECK_VERSION));
}

// Prints the time from process start to the first painted window, then quits (for BENCHMARKS.md).
class FirstPaintProbe : public QObject
{
public:
    explicit FirstPaintProbe(const QElapsedTimer &timer) : m_timer(timer) {}
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_done) {
            m_done = true;
            QTimer::singleShot(0, [this] {
                fd::printOut("first paint after " + std::to_string(m_timer.elapsed()) + " ms\n");
                QCoreApplication::quit();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    const QElapsedTimer &m_timer;
    bool m_done = false;
};

// During the demo's rewrite the person may have opened another workspace or edited the demo's: keep that.
bool showsOnlyTheOldDemo(const fd::MainWindow &window, const QString &demoWorkspace)
{
    // one the person asked for still read is never superseded (review); the demo's own first open may be
    if (window.isOpening() && QFileInfo(window.openingPath()).absoluteFilePath() != QFileInfo(demoWorkspace).absoluteFilePath())
        return false;
    const QString open = window.workspacePath();
    return open.isEmpty()
        || (QFileInfo(open).absoluteFilePath() == QFileInfo(demoWorkspace).absoluteFilePath() && !window.isWindowModified());
}

// Opens the demo workspace, rewriting the demo first (off the GUI thread, after the first paint)
// when it is missing or older than an hour.
void openDemo(fd::MainWindow &window)
{
    const QString workspace = fd::Store::demoWorkspacePath();
    const QString store = fd::Store::demoStorePath();
    const bool present = QFileInfo::exists(workspace) && QFileInfo::exists(store);
    if (present)
        window.openWorkspaceInBackground(workspace);
    if (present && !fd::demoIsStale(store, workspace))
        return;
    window.showBusyMessage(QStringLiteral("Writing the demo dataset…"));
    // Stopped when the app quits, which had waited up to 10 s for it; on a thread of its own, so that the views'
    // queries do not queue behind it on the two of the global pool (review).
    static QThreadPool demoThread;
    demoThread.setMaxThreadCount(1);
    const fd::CancelTokenPtr cancel = fd::makeCancelToken();
    QObject::connect(qApp, &QCoreApplication::aboutToQuit, [cancel] {
        cancel->cancel();
        demoThread.waitForDone(); // while the application still is: its globals outlive the job (review)
    });
    auto *watcher = new QFutureWatcher<QString>(&window);
    QObject::connect(watcher, &QFutureWatcher<QString>::finished, &window, [&window, watcher, workspace] {
        watcher->deleteLater();
        const QString error = watcher->result();
        if (!error.isEmpty())
            window.showBusyMessage(QStringLiteral("Could not write the demo: %1").arg(error));
        else if (showsOnlyTheOldDemo(window, workspace))
            window.openWorkspaceInBackground(workspace);
        else
            window.showBusyMessage(QStringLiteral("The demo is rewritten up to now: open %1 again to see it").arg(workspace));
    });
    QTimer::singleShot(0, watcher, [watcher, workspace, store, cancel] {
        watcher->setFuture(QtConcurrent::run(&demoThread, [workspace, store, cancel]() -> QString {
            try {
                fd::writeDemoFiles(store, workspace, fd::DemoOptions{}, cancel);
                return {};
            } catch (const std::exception &e) {
                return QString::fromUtf8(e.what());
            }
        }));
    });
}

int runGui(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions); // "-geometry", not "g, e, o, m, …"
    parser.addOption({QStringLiteral("workspace"), QStringLiteral("Open this workspace."), QStringLiteral("FILE")});
    fd::ReceiverAddress::addOptions(parser);
    parser.addOption({QStringLiteral("no-receiver"), QStringLiteral("Do not start the OTLP receiver.")});
    parser.addOption({QStringLiteral("measure-startup"), QStringLiteral("Print the time to the first paint and quit.")});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A workspace to open."), QStringLiteral("[FILE]"));
    QStringList named = args;
    named[0] = QStringLiteral("flightdeck"); // messages name the program, as the commands' do, not the path it ran from
    if (const int rc = fd::parseCommandLine(parser, named, QStringLiteral("The Flightdeck desktop app."), 1); rc >= 0)
        return rc;
    std::optional<fd::ReceiverAddress> receiver;
    try {
        if (!parser.isSet(QStringLiteral("no-receiver")))
            receiver = fd::ReceiverAddress::fromCommandLine(parser);
    } catch (const fd::Error &e) {
        fd::printErr(QStringLiteral("flightdeck: %1").arg(e.message()));
        return 2;
    }
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/flightdeck.svg")));
    fd::MainWindow window;
    FirstPaintProbe probe(sinceStart);
    if (parser.isSet(QStringLiteral("measure-startup")))
        window.installEventFilter(&probe);
    window.show();
    QString workspace = parser.value(QStringLiteral("workspace"));
    if (workspace.isEmpty() && !parser.positionalArguments().isEmpty())
        workspace = parser.positionalArguments().first();
    if (workspace.isEmpty())
        openDemo(window);
    else
        window.openWorkspaceInBackground(workspace); // the window paints meanwhile
    if (receiver)
        window.startReceiver(receiver->host, receiver->port);
    return QApplication::exec();
}

} // namespace

int main(int argc, char **argv)
{
    Q_INIT_RESOURCE(resources);
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    if (args.size() == 2 && (args[1] == QLatin1String("--version") || args[1] == QLatin1String("-v"))) {
        fd::printOut("flightdeck " FLIGHTDECK_VERSION "\n");
        return 0;
    }
    if (args.size() == 2 && (args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h"))) {
        fd::printOut(fd::usageText().toStdString());
        return 0;
    }
    if (args.size() > 1 && !args[1].startsWith(QLatin1Char('-')) && !fd::isCliCommand(args)
        && !args[1].endsWith(QLatin1String(".json"))) {
        fd::printErr(QStringLiteral("flightdeck: unknown command \"%1\"\n").arg(args[1]) + fd::usageText());
        return 2;
    }
    const bool cli = fd::isCliCommand(args);
    if (cli)
        g_qtMessages = qInstallMessageHandler(dropPlatformNoise);
    if (cli && !fd::cliNeedsWidgets(args)) {
        QCoreApplication app(argc, argv);
        setApplicationNames();
        return fd::runCli(args);
    }
    chooseHeadlessPlatform();
    QApplication app(argc, argv);
    setApplicationNames();
    // the GUI reads what Qt left of its arguments: -style, -geometry, -platform had been refused as its own
    const int code = cli ? fd::runCli(args) : runGui(QCoreApplication::arguments());
    fd::jobThreads()->waitForDone(10'000); // the jobs its views cancelled, before the globals they use go (review)
    return code;
}
