#pragma once
// Answers for tst_fault_matrix (moc cannot read raw string literals in the test file): for each engine,
// a good answer to the call the test makes (every one holds the word "hello" in a string value) and an
// error the engine sends inside a 200 answer.

namespace faultbodies {

inline const char *kPrometheusGood = R"~({"status":"success","data":{"resultType":"matrix","result":[
    {"metric":{"__name__":"up","job":"hello"},"values":[[1700000000,"1"],[1700000060,"1"]]}]}})~";
inline const char *kPrometheusErrorIn200 = R"~({"status":"error","errorType":"execution",
    "error":"query processing would load too many samples into memory in query execution"})~";

inline const char *kLokiGood = R"~({"status":"success","data":{"resultType":"streams","result":[
    {"stream":{"service_name":"api"},"values":[["1700000000000000000","hello world"]]}],
    "stats":{"summary":{"totalBytesProcessed":11,"totalLinesProcessed":1,"execTime":0.01}}}})~";
inline const char *kLokiErrorIn200 = R"~({"status":"error","errorType":"execution",
    "error":"max entries limit per query exceeded, limit > max_entries_limit (10000 > 5000)"})~";

inline const char *kJaegerGood = R"~({"data":[{"traceID":"83a9efd15c1c98a977e0711cc93ee28b","spans":[
    {"traceID":"83a9efd15c1c98a977e0711cc93ee28b","spanID":"0000000000000abc","operationName":"hello",
     "references":[],"startTime":1700000000000000,"duration":1500,"tags":[],"logs":[],"processID":"p1","warnings":null}],
    "processes":{"p1":{"serviceName":"api","tags":[]}},"warnings":null}],
    "total":0,"limit":0,"offset":0,"errors":null})~";
inline const char *kJaegerErrorIn200 = R"~({"data":null,"total":0,"limit":0,"offset":0,
    "errors":[{"code":500,"msg":"elasticsearch: no index jaeger-span-*"}]})~";

// Jaeger's API v3 answers in OTLP/JSON (hex ids); its gRPC gateway writes an error after the status line as
// {"error": …} inside the 200.
inline const char *kJaegerV3Good = R"~({"result":{"resourceSpans":[{"resource":{"attributes":[
    {"key":"service.name","value":{"stringValue":"api"}}]},"scopeSpans":[{"scope":{},"spans":[
    {"traceId":"83a9efd15c1c98a977e0711cc93ee28b","spanId":"0000000000000abc","name":"hello","kind":2,
     "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000001500000","status":{}}]}]}]}})~";
inline const char *kJaegerV3ErrorIn200 = R"~({"error":{"grpcCode":2,"httpCode":500,
    "message":"failed to find traces: elasticsearch: no index jaeger-span-*","httpStatus":"Internal Server Error"}})~";

inline const char *kTempoGood = R"~({"traces":[
    {"traceID":"af7651916cd43dd8448eb211c80319c","rootServiceName":"api","rootTraceName":"hello",
     "startTimeUnixNano":"1700000000000000000","durationMs":250,
     "spanSets":[{"spans":[{"spanID":"f067aa0ba902b7","name":"hello","startTimeUnixNano":"1700000000000000000",
       "durationNanos":"250000000","attributes":[]}],"matched":1}]}],"metrics":{"inspectedTraces":1}})~";
// What Tempo's query frontend sends when a search job fails after the status line went out.
inline const char *kTempoErrorIn200 = R"~({"traces":[],"metrics":{"inspectedTraces":0},
    "error":"rpc error: code = ResourceExhausted desc = too many jobs in the queue"})~";

inline const char *kElasticGood = R"~({"took":1,"timed_out":false,
    "_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
    "hits":{"total":{"value":1,"relation":"eq"},"hits":[{"_index":"logs-1","_id":"d1","sort":[1700000000000],
      "_source":{"@timestamp":1700000000000,"message":"hello world","service":{"name":"api"}}}]}})~";
// A shard failure inside a 200: the other shard's hits are a legitimate partial answer.
inline const char *kElasticErrorIn200 = R"~({"took":5,"timed_out":false,
    "_shards":{"total":2,"successful":1,"skipped":0,"failed":1,"failures":[{"shard":0,"index":"logs-2",
      "reason":{"type":"query_shard_exception","reason":"No mapping found for [@timestamp] in order to sort on"}}]},
    "hits":{"total":{"value":1,"relation":"eq"},"hits":[{"_index":"logs-1","_id":"d1","sort":[1700000000000],
      "_source":{"@timestamp":1700000000000,"message":"hello world","service":{"name":"api"}}}]}})~";

inline const char *kClickHouseGood = R"~({"meta":[{"name":"body","type":"String"}],
    "data":[{"body":"hello world"}],"rows":1,"statistics":{"elapsed":0.001,"rows_read":1,"bytes_read":20}})~";
// ClickHouse streams: an exception after the first rows is appended to the 200 body.
inline const char *kClickHouseErrorIn200 = "{\"meta\":[{\"name\":\"body\",\"type\":\"String\"}],\n\"data\":[{\"body\":\"hello world\"},\n"
    "Code: 241. DB::Exception: Memory limit (total) exceeded: would use 9.31 GiB (attempt to allocate chunk of "
    "4194304 bytes), maximum: 9.31 GiB. (MEMORY_LIMIT_EXCEEDED) (version 23.8.2.7 (official build))\n";

inline const char *kLoginPage = "<!doctype html>\n<html><head><title>Sign in</title></head>\n"
    "<body><form action=\"/oauth2/start\">Sign in to continue</form></body></html>\n";

} // namespace faultbodies
