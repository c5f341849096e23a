// Google Benchmark figures for the translation core (README "Performance"; run tests/bench/run.sh,
// or tests/bench/compare.sh for the side-by-side with the JS translators): request bodies of real
// client captures, a generated small chat request and 200-turn conversation with tools, and stream
// translation of generated 1 MB streams fed in 4 KB chunks. Throughput is input bytes; every
// benchmark also reports heap allocations per operation (a counting operator new below).
//
//   inputs      captures from ../shared, generated requests and streams
//   benchmarks  parse/decode/encode, translate_request per direction, StreamTranslator per
//               direction, and memory over a 100 MB stream
//   --corpus_out=DIR  writes the inputs as files (the Wasm and JS benchmarks read the same bytes)
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "wirecheck/translate.hpp"

// ---- allocation counting ------------------------------------------------------------------------
// Every heap allocation of the process goes through these; the benchmarks are single-threaded.
namespace alloc_count {
std::size_t calls = 0;
// Heap bytes allocated minus freed while track_live is on (malloc_usable_size costs ~4% of a stream
// translation, so only the memory benchmark turns it on). Blocks from before may be freed during
// it: a change, not a total.
bool track_live = false;
std::ptrdiff_t live_bytes = 0;
}  // namespace alloc_count

void* operator new(std::size_t size) {
    void* p = std::malloc(size ? size : 1);
    if (!p) throw std::bad_alloc();
    ++alloc_count::calls;
    if (alloc_count::track_live) alloc_count::live_bytes += malloc_usable_size(p);
    return p;
}
void operator delete(void* p) noexcept {
    if (!p) return;
    if (alloc_count::track_live) alloc_count::live_bytes -= malloc_usable_size(p);
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }

namespace wirecheck {
namespace {

// Heap allocations per iteration of the loop it wraps (reported as the counter allocs_per_op).
class AllocsPerOp {
public:
    AllocsPerOp() : start_(alloc_count::calls) {}
    // Set-up inside the loop (a copy the operation consumes): timer paused, allocations uncounted.
    template <class Make>
    auto untimed(benchmark::State& state, Make make) {
        state.PauseTiming();
        std::size_t before = alloc_count::calls;
        auto value = make();
        start_ += alloc_count::calls - before;
        state.ResumeTiming();
        return value;
    }
    void report(benchmark::State& state) const {
        if (state.iterations() == 0) return;
        state.counters["allocs_per_op"] =
            static_cast<double>(alloc_count::calls - start_) / static_cast<double>(state.iterations());
    }

private:
    std::size_t start_;
};

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

// A first turn as a simple chat client sends it: system prompt, one user question, one tool.
std::string generated_small_chat() {
    Json body = {
        {"model", "gpt-test"},
        {"max_tokens", 1024},
        {"temperature", 0.2},
        {"messages",
         {{{"role", "system"}, {"content", "You are a helpful assistant."}},
          {{"role", "user"}, {"content", "What is the weather in Paris today? Answer briefly."}}}},
        {"tools",
         {{{"type", "function"},
           {"function",
            {{"name", "get_weather"},
             {"description", "Current weather for a city"},
             {"parameters",
              {{"type", "object"},
               {"properties", {{"city", {{"type", "string"}}}}},
               {"required", {"city"}}}}}}}}}};
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
const std::string& small_chat_body() {
    static const std::string body = generated_small_chat();
    return body;
}
const std::string& chat_stream() {
    static const std::string body = generated_chat_stream(1u << 20);
    return body;
}

Status translate_stream_once(Protocol from, Protocol to, const std::string& input, std::string& out,
                             Losses* losses = nullptr);

// The same completion as the other protocols stream it: the Chat stream translated by wirecheck
// (its output is what the Messages and Responses benchmarks read).
std::string translated_stream(Protocol to) {
    std::string out;
    Status status = translate_stream_once(Protocol::Chat, to, chat_stream(), out);
    if (!status.ok()) {
        std::fprintf(stderr, "generating the %s stream failed: %s\n", std::string(protocol_name(to)).c_str(),
                     status.error().message.c_str());
        std::exit(2);
    }
    return out;
}
const std::string& messages_stream() {
    static const std::string body = translated_stream(Protocol::Messages);
    return body;
}
const std::string& responses_stream() {
    static const std::string body = translated_stream(Protocol::Responses);
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
    // Text in, text out: the bytes an adapter sends upstream (the peers' figures include their
    // JSON.stringify too).
    AllocsPerOp allocs;
    for (auto _ : state) {
        Result<Translation> result = translate_request(from, to, body);
        std::string text = std::move(result.value().output);
        benchmark::DoNotOptimize(text);
    }
    allocs.report(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(body.size()));
    state.counters["input_bytes"] = static_cast<double>(body.size());
}

// Feeds the stream in 4 KB chunks, as a socket read loop would, into a fresh translator.
Status translate_stream_once(Protocol from, Protocol to, const std::string& input, std::string& out,
                             Losses* losses) {
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
    AllocsPerOp allocs;
    for (auto _ : state) {
        out.clear();
        Status status = translate_stream_once(from, to, input, out);
        benchmark::DoNotOptimize(status);
        benchmark::DoNotOptimize(out.data());
    }
    allocs.report(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(input.size()));
    state.counters["input_bytes"] = static_cast<double>(input.size());
    state.counters["output_bytes"] = static_cast<double>(out_size);
}

// The halves of a request translation, on the 200-turn conversation: text -> DOM, DOM -> model,
// model -> Messages DOM (what translate_request does in sequence).
void BM_Parse_Chat_200Turns(benchmark::State& state) {
    const std::string& body = conversation_body();
    AllocsPerOp allocs;
    for (auto _ : state) {
        Result<Json> dom = parse_json(body);
        benchmark::DoNotOptimize(dom);
    }
    allocs.report(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
    state.counters["input_bytes"] = static_cast<double>(body.size());
}
// The alternative README weighs against the DOM: nlohmann's SAX parser with a handler that keeps
// nothing, i.e. what lexing alone costs (no DOM, no allocations for values).
struct DiscardingSax {
    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(Json::number_integer_t) { return true; }
    bool number_unsigned(Json::number_unsigned_t) { return true; }
    bool number_float(Json::number_float_t, const std::string&) { return true; }
    bool string(std::string&) { return true; }
    bool binary(Json::binary_t&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool key(std::string&) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
        return false;
    }
};
void BM_ParseSaxOnly_Chat_200Turns(benchmark::State& state) {
    const std::string& body = conversation_body();
    AllocsPerOp allocs;
    for (auto _ : state) {
        DiscardingSax sax;
        const std::string_view text(body);  // the input parse_json gives nlohmann
        bool ok = Json::sax_parse(text.begin(), text.end(), &sax);
        benchmark::DoNotOptimize(ok);
    }
    allocs.report(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
    state.counters["input_bytes"] = static_cast<double>(body.size());
}
void BM_Decode_Chat_200Turns(benchmark::State& state) {
    const std::string& body = conversation_body();
    AllocsPerOp allocs;
    for (auto _ : state) {
        Losses losses;
        // From the text, as translations decode: the decoder reads simdjson's DOM of it.
        Result<Request> request = decode_request(Protocol::Chat, body, JsonLimits{}, losses);
        benchmark::DoNotOptimize(request);
    }
    allocs.report(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
    state.counters["input_bytes"] = static_cast<double>(body.size());
}
void BM_Encode_Messages_200Turns(benchmark::State& state) {
    const std::string& body = conversation_body();
    Losses decode_losses;
    const Request request = *decode_request(Protocol::Chat, *parse_json(body), decode_losses);
    AllocsPerOp allocs;
    for (auto _ : state) {
        Losses losses;
        std::string out = encode_request(Protocol::Messages,
                                  allocs.untimed(state, [&] { return request; }), losses);
        benchmark::DoNotOptimize(out);
    }
    allocs.report(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
    state.counters["input_bytes"] = static_cast<double>(body.size());
}

void BM_Request_ResponsesToChat_CodexTurn1(benchmark::State& state) {
    translate_request_bench(state, Protocol::Responses, Protocol::Chat, codex_body());
}
void BM_Request_MessagesToChat_ClaudeTurn1(benchmark::State& state) {
    translate_request_bench(state, Protocol::Messages, Protocol::Chat, claude_body());
}
void BM_Request_ChatToMessages_SmallChat(benchmark::State& state) {
    translate_request_bench(state, Protocol::Chat, Protocol::Messages, small_chat_body());
}
void BM_Request_ChatToResponses_SmallChat(benchmark::State& state) {
    translate_request_bench(state, Protocol::Chat, Protocol::Responses, small_chat_body());
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
void BM_Stream_MessagesToChat_1MB(benchmark::State& state) {
    stream_bench(state, Protocol::Messages, Protocol::Chat, messages_stream());
}
void BM_Stream_ResponsesToChat_1MB(benchmark::State& state) {
    stream_bench(state, Protocol::Responses, Protocol::Chat, responses_stream());
}

// One translator fed a 100 MB Chat stream of text deltas in 4 KB reads, output dropped after each
// read: heap bytes still allocated after 10 MB and after 100 MB show whether memory stays flat
// (counters live_kB_at_10MB, live_kB_at_100MB; allocs_per_event).
void stream_memory_bench(benchmark::State& state, Protocol to) {
    const std::string head =
        R"(data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,)"
        R"("model":"gpt-test","choices":[{"index":0,"delta":{"content":"token of the answer, )"
        R"(\"quoted\" \u00e9 "},"finish_reason":null}]})"
        "\n\n";
    std::string block;
    while (block.size() < (64u << 10)) block += head;
    constexpr std::size_t kTotal = 100u << 20, kChunk = 4096;
    alloc_count::track_live = true;
    for (auto _ : state) {
        const std::ptrdiff_t base = alloc_count::live_bytes;
        const std::size_t calls = alloc_count::calls;
        StreamTranslator translator(Protocol::Chat, to);
        std::string out;
        std::size_t fed = 0, events = 0;
        std::ptrdiff_t at_10mb = -1;
        Status status;
        while (status.ok() && fed < kTotal) {
            for (std::size_t at = 0; status.ok() && at < block.size(); at += kChunk) {
                status = translator.feed(std::string_view(block).substr(at, kChunk), out);
                out.clear();
            }
            fed += block.size();
            events += block.size() / head.size();
            if (at_10mb < 0 && fed >= (10u << 20)) at_10mb = alloc_count::live_bytes - base;
        }
        const std::ptrdiff_t at_100mb = alloc_count::live_bytes - base;
        const std::size_t allocations = alloc_count::calls - calls;
        if (status.ok()) status = translator.finish(out);
        if (!status.ok()) {
            alloc_count::track_live = false;
            state.SkipWithError(("stream translation failed: " + status.error().message).c_str());
            return;
        }
        state.counters["live_kB_at_10MB"] = static_cast<double>(at_10mb) / 1e3;
        state.counters["live_kB_at_100MB"] = static_cast<double>(at_100mb) / 1e3;
        state.counters["allocs_per_event"] =
            static_cast<double>(allocations) / static_cast<double>(events);
    }
    alloc_count::track_live = false;
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kTotal));
}
void BM_StreamMemory_ChatToMessages_100MB(benchmark::State& state) {
    stream_memory_bench(state, Protocol::Messages);
}
void BM_StreamMemory_ChatToResponses_100MB(benchmark::State& state) {
    stream_memory_bench(state, Protocol::Responses);
}

BENCHMARK(BM_Parse_Chat_200Turns)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ParseSaxOnly_Chat_200Turns)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Decode_Chat_200Turns)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Encode_Messages_200Turns)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Request_ResponsesToChat_CodexTurn1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Request_MessagesToChat_ClaudeTurn1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Request_ChatToMessages_SmallChat)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Request_ChatToResponses_SmallChat)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Request_ChatToMessages_200Turns)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Request_ChatToResponses_200Turns)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Stream_ChatToResponses_1MB)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Stream_ChatToMessages_1MB)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Stream_MessagesToChat_1MB)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Stream_ResponsesToChat_1MB)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StreamMemory_ChatToMessages_100MB)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_StreamMemory_ChatToResponses_100MB)->Unit(benchmark::kMillisecond)->Iterations(1);

// ---- corpus files -------------------------------------------------------------------------------
// The inputs as files, named as tests/bench/compare.mjs and the Wasm/JS benchmarks expect them.
void write_corpus(const std::string& dir) {
    const std::pair<const char*, const std::string*> files[] = {
        {"codex-turn1.json", &codex_body()},
        {"claude-turn1.json", &claude_body()},
        {"small-chat.json", &small_chat_body()},
        {"chat-200-turns.json", &conversation_body()},
        {"chat-stream-1mb.sse", &chat_stream()},
        {"messages-stream-1mb.sse", &messages_stream()},
        {"responses-stream-1mb.sse", &responses_stream()},
    };
    for (const auto& [name, body] : files) {
        const std::string path = dir + "/" + name;
        std::ofstream out(path, std::ios::binary);
        out << *body;
        if (!out) {
            std::fprintf(stderr, "cannot write %s\n", path.c_str());
            std::exit(2);
        }
    }
}

}  // namespace
}  // namespace wirecheck

int main(int argc, char** argv) {
    const char* flag = "--corpus_out=";
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], flag, std::strlen(flag)) == 0) {
            wirecheck::write_corpus(argv[i] + std::strlen(flag));
            return 0;
        }
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
