// Bad input through the probe engine: what a broken endpoint sends (HTML error pages, empty 200s,
// garbage, streams out of order, streams that never end) becomes one specific finding per case,
// never a crash or a hang. Timeouts run on SimTransport's virtual clock, so they cost nothing.
// The translate-level half of the matrix is translate_bad_input_test.cpp.
#include "probe_driver.hpp"
#include "test_util.hpp"

namespace wirecheck {
namespace {

using namespace test;

struct ProbeBadInput {
    const char* name;
    const char* step;
    SimReply reply;
    Code finding;
    const char* message_part;  // the finding's message must say this (case-sensitive)
    std::int64_t idle_timeout_ms = 60000;
    std::int64_t timeout_ms = 120000;
};

SimReply html_reply(int status, const std::string& title) {
    SimReply r = json_reply(status, "<!DOCTYPE html>\r\n<html><head><title>" + title +
                                        "</title></head><body><center><h1>" + title +
                                        "</h1></center><hr><center>nginx</center></body></html>");
    r.headers[0].second = "text/html; charset=utf-8";
    return r;
}

SimReply raw_reply(int status, const std::string& type, std::vector<std::string> chunks) {
    SimReply r;
    r.status = status;
    if (!type.empty()) r.headers = {{"Content-Type", type}};
    r.chunks = std::move(chunks);
    return r;
}

std::string chat_event(const std::string& delta, const char* finish = nullptr) {
    return R"(data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",)"
           R"("choices":[{"index":0,"delta":)" +
           delta + R"(,"finish_reason":)" + (finish ? "\"" + std::string(finish) + "\"" : "null") +
           "}]}";
}

// A stream whose server keeps the connection alive with SSE comments and never finishes.
SimReply endless_keepalives() {
    SimReply r = raw_reply(200, "text/event-stream", {chat_event(R"({"role":"assistant"})") + "\n\n"});
    for (int i = 0; i < 2000; ++i) r.chunks.push_back(": keep-alive\n\n");
    r.delay_ms_per_chunk = 20;  // 40 s of virtual time, far past the total timeout below
    return r;
}

// Headers, then silence longer than the idle timeout (SimTransport paces every chunk alike).
SimReply stalled_stream() {
    SimReply r = raw_reply(200, "text/event-stream",
                           {chat_event(R"({"role":"assistant","content":"WIRE"})") + "\n\n",
                            chat_event("{}", "stop") + "\n\n"});
    r.delay_ms_per_chunk = 60000;
    return r;
}

std::string responses_event(const std::string& type, const std::string& rest) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"," + rest + "}";
}

std::string messages_event(const std::string& type, const std::string& rest) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"" + (rest.empty() ? "" : ",") +
           rest + "}";
}

std::vector<ProbeBadInput> probe_bad_inputs() {
    const std::string created = responses_event(
        "response.created", R"("sequence_number":0,"response":{"id":"r","object":"response",)"
                            R"("status":"in_progress","model":"m","output":[]})");
    const std::string message_start = messages_event(
        "message_start", R"("message":{"id":"msg","type":"message","role":"assistant",)"
                         R"("model":"m","content":[],"stop_reason":null,)"
                         R"("usage":{"input_tokens":1,"output_tokens":0}})");
    return {
        // ---- HTTP errors whose body is an HTML page (a proxy or load balancer answered)
        {"502 HTML page", "chat.basic", html_reply(502, "502 Bad Gateway"),
         Code::FindingServerError, "HTTP 502: an HTML error page (502 Bad Gateway)"},
        {"403 HTML page", "messages.basic", html_reply(403, "Access denied"),
         Code::FindingAuthRejected, "an HTML error page (Access denied)"},
        {"404 HTML page", "responses.basic", html_reply(404, "404 Not Found"),
         Code::FindingEndpointMissing, "an HTML error page (404 Not Found)"},
        {"503 HTML page to a stream", "chat.stream", html_reply(503, "Service Unavailable"),
         Code::FindingServerError, "an HTML error page (Service Unavailable)"},
        {"HTML page with HTTP 200", "chat.basic", html_reply(200, "Sign in"),
         Code::FindingBodyMalformed, "an HTML page (Sign in)"},
        // ---- empty bodies with 200
        {"empty 200 body", "chat.basic", raw_reply(200, "application/json", {}),
         Code::FindingBodyMalformed, "the body is empty"},
        {"empty 200 Messages body", "messages.basic", raw_reply(200, "", {""}),
         Code::FindingBodyMalformed, "the body is empty"},
        {"empty 200 stream", "chat.stream", raw_reply(200, "text/event-stream", {}),
         Code::FindingNotStreamed, "no SSE events"},
        // ---- garbage
        {"truncated JSON body", "responses.basic",
         json_reply(200, R"({"id":"r","object":"response","output":[{"type":"mess)"),
         Code::FindingBodyMalformed, "the body is not JSON"},
        {"invalid UTF-8 in the body", "chat.basic",
         json_reply(200, "{\"id\":\"c\",\"choices\":[{\"message\":{\"content\":\"\xff\"}}]}"),
         Code::FindingBodyMalformed, "json.invalid_utf8: at byte 45 near '\"\\xFF'"},
        {"stream of plain text", "chat.stream",
         raw_reply(200, "text/event-stream", {"upstream connect error or disconnect\n"}),
         Code::FindingNotStreamed, "no SSE events"},
        {"stream event that is not JSON", "responses.stream",
         raw_reply(200, "text/event-stream", {created + "\n\n", "data: <html>\n\n"}),
         Code::FindingStreamMalformed, "not JSON"},
        // ---- events out of order
        {"output_text.delta before output_item.added", "responses.stream",
         sse_reply({created,
                    responses_event("response.output_text.delta",
                                    R"("sequence_number":1,"item_id":"msg_1","output_index":0,)"
                                    R"("content_index":0,"delta":"WIRECHECK_RESPONSES_OK")")}),
         Code::FindingStreamOutOfOrder, "response.output_text.delta"},
        {"content_block_delta before content_block_start", "messages.stream",
         sse_reply({message_start,
                    messages_event("content_block_delta",
                                   R"("index":0,"delta":{"type":"text_delta","text":"Hi"})")}),
         Code::FindingStreamOutOfOrder, "content_block_delta"},
        {"message_stop before message_start", "messages.stream",
         sse_reply({messages_event("message_stop", "")}), Code::FindingStreamOutOfOrder,
         "message_start"},
        // ---- streams that do not end
        {"stream that never ends", "chat.stream", endless_keepalives(), Code::FindingTimeout,
         "not complete within 1000 ms", 500, 1000},
        {"stream that stalls after its headers", "chat.stream", stalled_stream(),
         Code::FindingTimeout, "nothing received for 500 ms", 500, 600000},
        {"headers that never come", "messages.basic",
         [] {
             SimReply r = json_reply(200, "{}");
             r.failure = FailureKind::Timeout;  // stands for silence (curl's view)
             r.failure_message = "Operation timed out";
             return r;
         }(),
         Code::FindingTimeout, "no complete response in time"},
    };
}

TEST(ProbeBadInput, EveryCaseGivesItsFindingAndEnds) {
    std::vector<ProbeBadInput> cases = probe_bad_inputs();
    for (const ProbeBadInput& c : cases) {
        SCOPED_TRACE(c.name);
        ProbeConfig config = sim_config("m", {c.step});
        config.idle_timeout_ms = c.idle_timeout_ms;
        config.timeout_ms = c.timeout_ms;
        config.browser = c.reply.failure.has_value();  // deliver the failure as a front end would
        auto run = ProbeRun::create(config);
        ASSERT_TRUE(run.ok());
        drive(run.value(), always(c.reply), config.browser);
        const StepEvidence* step = step_of(run.value(), c.step);
        const Finding* f = finding_of(step, c.finding);
        ASSERT_NE(f, nullptr) << "expected " << code_name(c.finding) << "\n" << dump_step(step);
        EXPECT_NE(f->message.find(c.message_part), std::string::npos) << dump_step(step);
        EXPECT_EQ(step->status, StepStatus::Failed) << dump_step(step);
        // Every report format renders (messages are valid UTF-8 whatever the server sent).
        ProbeReport report = run->report();
        EXPECT_NO_THROW((void)report_json_text(report)) << dump_step(step);
        EXPECT_FALSE(report_markdown(report).empty());
    }
}

// What must work: CRLF line endings, a 1 MB single data line, comments between events.
TEST(ProbeBadInput, CrlfAndAOneMegabyteLineStillPass) {
    const std::string padding(1u << 20, 'x');
    const std::string big_chunk =
        R"(data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","x_pad":")" +
        padding +
        R"(","choices":[{"index":0,"delta":{"role":"assistant","content":"WIRECHECK_CHAT_OK"},)"
        R"("finish_reason":null}]})";
    const std::string usage =
        R"(data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],)"
        R"("usage":{"prompt_tokens":9,"completion_tokens":5,"total_tokens":14}})";
    std::vector<std::string> events = {big_chunk, ": comment", chat_event("{}", "stop"), usage,
                                       "data: [DONE]"};
    std::string crlf;
    for (const std::string& e : events) crlf += e + "\r\n\r\n";
    for (bool use_crlf : {false, true}) {
        SCOPED_TRACE(use_crlf ? "CRLF" : "LF");
        SimReply reply = use_crlf ? raw_reply(200, "text/event-stream", chunks_of(crlf, 4096))
                                  : sse_reply(events);
        ProbeRun run = run_scripted({"chat.stream"}, always(reply));
        const StepEvidence* step = step_of(run, "chat.stream");
        EXPECT_EQ(step->status, StepStatus::Passed) << dump_step(step);
        EXPECT_EQ(step->exchanges[0].text, "WIRECHECK_CHAT_OK");
        EXPECT_EQ(step->exchanges[0].events,
                  (std::vector<std::string>{"chunk", "chunk", "chunk", "[DONE]"}));
    }
}

// A body over the probe's 32 MiB decoding cap is refused by size, not parsed.
TEST(ProbeBadInput, BodyOverTheDecodingCapIsRefusedBySize) {
    SimReply reply = json_reply(200, std::string((32u << 20) + 1, ' '));
    ProbeRun run = run_scripted({"chat.basic"}, always(reply));
    const Finding* f = finding_of(&run.steps()[0], Code::FindingBodyMalformed);
    ASSERT_NE(f, nullptr) << dump_step(&run.steps()[0]);
    EXPECT_NE(f->message.find("over 32 MiB"), std::string::npos) << f->message;
}

}  // namespace
}  // namespace wirecheck
