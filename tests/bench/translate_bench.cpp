// Google Benchmark figures for the translation core (README "Performance"; run tests/bench/run.sh):
// request bodies of real client captures, a generated 200-turn conversation with tools, and stream
// translation of a generated 1 MB Chat stream fed in 4 KB chunks. Throughput is input bytes.
//
//   inputs      captures from ../shared, generated conversation and stream
//   benchmarks  translate_request per direction, StreamTranslator per direction
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "wirecheck/translate.hpp"

namespace wirecheck {
namespace {

// ---- inputs -------------------------------------------------------------------------------------

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        std::exit(2);
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The request body a real client sent (`body_json` of a capture), as compact JSON text.
std::string capture_body(const std::string& name) {
    std::string text = read_file(std::string(WIRECHECK_SHARED_DIR) + "/fixtures/captures/" + name);
    Result<Json> capture = parse_json(text);
    if (!capture.ok() || !capture->is_object() || !capture->contains("body_json")) {
        std::fprintf(stderr, "%s is not a capture with body_json\n", name.c_str());
        std::exit(2);
    }
    return (*capture)["body_json"].dump();
}

std::string repeat_words(const std::string& seed, std::size_t bytes) {
    std::string out;
    while (out.size() < bytes) out += seed;
    out.resize(bytes);
    return out;
}

// A Chat request of a long agent session: system prompt, 12 function tools, and 200 messages in
// rounds of user question, assistant text + tool call, tool result (file contents), assistant
// answer.
std::string generated_chat_conversation() {
    Json tools = Json::array();
    for (int t = 0; t < 12; ++t) {
        tools.push_back({{"type", "function"},
                         {"function",
                          {{"name", "tool_" + std::to_string(t)},
                           {"description", repeat_words("Reads or changes the workspace. ", 160)},
                           {"parameters",
                            {{"type", "object"},
                             {"properties",
                              {{"path", {{"type", "string"}, {"description", "file path"}}},
                               {"limit", {{"type", "integer"}, {"minimum", 1}}},
                               {"flags", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
                             {"required", {"path"}}}}}}});
    }
    Json messages = Json::array();
    messages.push_back(
        {{"role", "system"}, {"content", repeat_words("You are a careful coding agent. ", 2000)}});
    for (int round = 0; round < 50; ++round) {
        const std::string n = std::to_string(round);
        const std::string call_id = "call_" + n;
        messages.push_back(
            {{"role", "user"},
             {"content",
              "Step " + n + ": " + repeat_words("please look at the parser again. ", 300)}});
        messages.push_back(
            {{"role", "assistant"},
             {"content", repeat_words("I will read the file first. ", 120)},
             {"tool_calls",
              {{{"id", call_id},
                {"type", "function"},
                {"function",
                 {{"name", "tool_" + std::to_string(round % 12)},
                  {"arguments",
                   "{\"path\":\"src/file_" + n + ".cpp\",\"limit\":200,\"flags\":[\"-n\"]}"}}}}}}});
        messages.push_back(
            {{"role", "tool"},
             {"tool_call_id", call_id},
             {"content", repeat_words("int main() { return parse(argv); }\n", 2000)}});
        messages.push_back(
            {{"role", "assistant"}, {"content", repeat_words("The parser skips a byte. ", 250)}});
    }
    Json body = {
        {"model", "gpt-test"}, {"max_tokens", 4096}, {"tools", tools}, {"messages", messages}};
    return body.dump();
}

// One Chat completion streamed as ~1 MB of SSE: text deltas, then parallel tool calls whose
// arguments arrive in small pieces, finish_reason, a usage chunk and [DONE].
std::string generated_chat_stream(std::size_t target_bytes) {
    const std::string head =
        R"(data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,)"
        R"("model":"gpt-test","choices":[{"index":0,"delta":)";
    const std::string tail = R"(,"finish_reason":null}]})"
                             "\n\n";
    auto chunk = [&](const Json& delta) { return head + delta.dump() + tail; };

    std::string out = chunk({{"role", "assistant"}, {"content", ""}});
    for (int i = 0; out.size() < target_bytes * 6 / 10; ++i) {
        out += chunk(
            {{"content", "token " + std::to_string(i) + " of the answer, \"quoted\" \xc3\xa9 "}});
    }
    const int calls = 8;
    for (int c = 0; c < calls; ++c) {
        out += chunk({{"tool_calls",
                       {{{"index", c},
                         {"id", "call_bench_" + std::to_string(c)},
                         {"type", "function"},
                         {"function", {{"name", "write_file"}, {"arguments", ""}}}}}}});
    }
    // Argument pieces interleaved across the calls, each piece a fragment of one JSON text.
    const std::size_t per_call = (target_bytes - out.size()) / calls;
    std::size_t written = 0;
    for (int piece = 0; written < per_call * calls; ++piece) {
        const int c = piece % calls;
        std::string fragment = piece < calls ? R"({"path":"f.txt","content":")" : "line\\n x ";
        std::string one =
            chunk({{"tool_calls", {{{"index", c}, {"function", {{"arguments", fragment}}}}}}});
        written += one.size();
        out += one;
    }
    for (int c = 0; c < calls; ++c) {
        out += chunk({{"tool_calls", {{{"index", c}, {"function", {{"arguments", "\"}"}}}}}}});
    }
    out += head + R"({},"finish_reason":"tool_calls"}]})"
                  "\n\n";
    out += R"(data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,)"
           R"("model":"gpt-test","choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":)"
           R"(250000,"total_tokens":251000}})"
           "\n\n";
    out += "data: [DONE]\n\n";
    return out;
}

const std::string& codex_body() {
    static const std::string body = capture_body("codex-turn1.json");
    return body;
}
const std::string& claude_body() {
    static const std::string body = capture_body("claude-turn1.json");
    return body;
}
const std::string& conversation_body() {
    static const std::string body = generated_chat_conversation();
    return body;
}
const std::string& chat_stream() {
    static const std::string body = generated_chat_stream(1u << 20);
    return body;
}

// ---- benchmarks ---------------------------------------------------------------------------------

void translate_request_bench(benchmark::State& state, Protocol from, Protocol to,
                             const std::string& body) {
    // Fail loudly, outside the timing, if the input does not translate.
    Result<Translation> check = translate_request(from, to, body);
    if (!check.ok()) {
        state.SkipWithError(("translate_request failed: " + check.error().message).c_str());
        return;
    }
    for (auto _ : state) {
        Result<Translation> result = translate_request(from, to, body);
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(body.size()));
    state.counters["input_bytes"] = static_cast<double>(body.size());
}

// Feeds the stream in 4 KB chunks, as a socket read loop would, into a fresh translator.
Status translate_stream_once(Protocol from, Protocol to, const std::string& input, std::string& out,
                             Losses* losses = nullptr) {
    constexpr std::size_t kChunk = 4096;
    StreamTranslator translator(from, to);
    Status status;
    for (std::size_t at = 0; status.ok() && at < input.size(); at += kChunk) {
        status = translator.feed(std::string_view(input).substr(at, kChunk), out);
    }
    if (status.ok()) status = translator.finish(out);
    if (losses) *losses = translator.losses();
    return status;
}

void stream_bench(benchmark::State& state, Protocol from, Protocol to, const std::string& input) {
    std::string out;
    Losses losses;
    Status check = translate_stream_once(from, to, input, out, &losses);
    for (const Loss& loss : losses) {
        if (loss.severity == Severity::Error) check = Error{loss.code, loss.pointer, loss.message};
    }
    if (!check.ok()) {
        state.SkipWithError(("stream translation failed: " + check.error().message).c_str());
        return;
    }
    const std::size_t out_size = out.size();
    for (auto _ : state) {
        out.clear();
        Status status = translate_stream_once(from, to, input, out);
        benchmark::DoNotOptimize(status);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(input.size()));
    state.counters["input_bytes"] = static_cast<double>(input.size());
    state.counters["output_bytes"] = static_cast<double>(out_size);
}

void BM_Request_ResponsesToChat_CodexTurn1(benchmark::State& state) {
    translate_request_bench(state, Protocol::Responses, Protocol::Chat, codex_body());
}
void BM_Request_MessagesToChat_ClaudeTurn1(benchmark::State& state) {
    translate_request_bench(state, Protocol::Messages, Protocol::Chat, claude_body());
}
void BM_Request_ChatToMessages_200Turns(benchmark::State& state) {
    translate_request_bench(state, Protocol::Chat, Protocol::Messages, conversation_body());
}
void BM_Request_ChatToResponses_200Turns(benchmark::State& state) {
    translate_request_bench(state, Protocol::Chat, Protocol::Responses, conversation_body());
}
void BM_Stream_ChatToResponses_1MB(benchmark::State& state) {
    stream_bench(state, Protocol::Chat, Protocol::Responses, chat_stream());
}
void BM_Stream_ChatToMessages_1MB(benchmark::State& state) {
    stream_bench(state, Protocol::Chat, Protocol::Messages, chat_stream());
}

BENCHMARK(BM_Request_ResponsesToChat_CodexTurn1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Request_MessagesToChat_ClaudeTurn1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Request_ChatToMessages_200Turns)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Request_ChatToResponses_200Turns)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Stream_ChatToResponses_1MB)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Stream_ChatToMessages_1MB)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace wirecheck

BENCHMARK_MAIN();
