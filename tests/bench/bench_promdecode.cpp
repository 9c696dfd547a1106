// What reading a Prometheus query_range answer costs: the streamed reader (promStreamedFrame) against the
// answer read as a JSON document first (promFrame(promData(body))), the baseline in the same run. Each reading
// runs in a child process of its own, so that its peak memory is its own. Prints figures; not a pass/fail test.
//   bench_promdecode [SERIES] [SAMPLES]
#include "connectors/prometheus/PromMatrixReader.h"
#include "connectors/prometheus/PromResponse.h"
#include <QElapsedTimer>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace fd;

namespace {

// SERIES series of node_cpu_seconds_total with five labels, SAMPLES samples each, 15 s apart.
std::string answer(int series, int samples)
{
    std::string body = R"({"status":"success","data":{"resultType":"matrix","result":[)";
    char sample[64];
    for (int s = 0; s < series; ++s) {
        body += (s ? "," : "") + std::string(R"({"metric":{"__name__":"node_cpu_seconds_total","instance":"host-)")
            + std::to_string(1000 + s) + R"(.example.internal:9100","job":"node","cpu":")" + std::to_string(s % 8)
            + R"(","mode":"user"},"values":[)";
        for (int i = 0; i < samples; ++i) {
            std::snprintf(sample, sizeof sample, "%s[%d,\"%.3f\"]", i ? "," : "", 1764900000 + i * 15,
                          double((s * 7 + i) % 1000) / 7.0);
            body += sample;
        }
        body += "]}";
    }
    return body + "]}}";
}

long peakKb()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// Runs read in a child; prints its time, the rows it made and the peak memory it added.
void measure(const char *name, const std::function<std::size_t()> &read)
{
    std::fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
        const long before = peakKb();
        QElapsedTimer timer;
        timer.start();
        const std::size_t rows = read();
        std::printf("  %-34s %7.0f ms  %9zu rows  +%5ld MB peak\n", name, double(timer.nsecsElapsed()) / 1e6, rows,
                    (peakKb() - before) / 1024);
        std::fflush(stdout);
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
}

} // namespace

int main(int argc, char **argv)
{
    const int series = argc > 1 ? std::atoi(argv[1]) : 200;
    const int samples = argc > 2 ? std::atoi(argv[2]) : 11000;
    const std::string body = answer(series, samples);
    std::printf("%d series x %d samples: %.1f MB of JSON\n", series, samples, double(body.size()) / 1e6);
    for (int round = 1; round <= 3; ++round) {
        measure("as a document (baseline)", [&] { return promFrame(promData(body), 100000).rowCount(); });
        measure("streamed", [&] { return promStreamedFrame(body, 100000)->rowCount(); });
    }
    return 0;
}
