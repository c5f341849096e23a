// `wirecheck translate`: output on stdout, losses on stderr (text or JSON), exit 0 / 1 (with
// `error: <code> at <pointer>: <message>`) / 2 (usage), files and stdin, streams.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <sstream>

#include "translate_command.hpp"
#include "wirecheck/json.hpp"

namespace wirecheck::cli {
namespace {

struct CommandRun {
    int code = -1;
    std::string out, err;
};

CommandRun run(TranslateCommandOptions options, const std::string& stdin_text) {
    std::istringstream in(stdin_text);
    std::ostringstream out, err;
    CommandRun r;
    r.code = run_translate(options, in, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

TranslateCommandOptions opts(const char* from, const char* to, const char* kind = "request") {
    TranslateCommandOptions o;
    o.from = from;
    o.to = to;
    o.kind = kind;
    return o;
}

TEST(TranslateCommand, RequestFromStdinToStdoutWithLossesOnStderr) {
    CommandRun r = run(opts("chat", "messages"),
                R"({"model":"m","messages":[{"role":"developer","content":"Be brief."},
                    {"role":"user","content":"Hi"}]})");
    ASSERT_EQ(r.code, 0) << r.err;
    auto out = parse_json(r.out);
    ASSERT_TRUE(out.ok()) << r.out;
    EXPECT_EQ((*out)["max_tokens"], 8192);
    EXPECT_EQ((*out)["system"][0]["text"], "Be brief.");
    EXPECT_NE(r.err.find("info loss.default_applied at /max_output_tokens"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("loss.value_mapped"), std::string::npos) << r.err;
}

TEST(TranslateCommand, LossesAsJson) {
    TranslateCommandOptions o = opts("chat", "messages");
    o.losses = "json";
    CommandRun r = run(o, R"({"model":"m","messages":[{"role":"user","content":"Hi"}]})");
    ASSERT_EQ(r.code, 0) << r.err;
    auto losses = parse_json(r.err);
    ASSERT_TRUE(losses.ok()) << r.err;
    ASSERT_EQ(losses->size(), 1u);
    EXPECT_EQ((*losses)[0]["code"], "loss.default_applied");
    EXPECT_EQ((*losses)[0]["severity"], "info");
    EXPECT_EQ((*losses)[0]["json_pointer"], "/max_output_tokens");
    EXPECT_TRUE((*losses)[0]["message"].is_string());
}

TEST(TranslateCommand, TranslationErrorExitsOneWithCodePointerAndMessage) {
    CommandRun r =
        run(opts("chat", "responses"), R"({"model":"m","messages":[{"role":"user","content":5}]})");
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("error: json.wrong_type at /messages/0/content: expected ", 0), 0u)
        << r.err;
    CommandRun malformed = run(opts("chat", "responses"), "{");
    EXPECT_EQ(malformed.code, 1);
    EXPECT_EQ(malformed.err.rfind("error: json.malformed at (document): ", 0), 0u)
        << malformed.err;
}

TEST(TranslateCommand, ResponseKind) {
    CommandRun r = run(opts("messages", "chat", "response"),
                R"({"id":"msg_1","type":"message","role":"assistant","model":"m",
                    "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn",
                    "usage":{"input_tokens":1,"output_tokens":2}})");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("\"finish_reason\": \"stop\""), std::string::npos) << r.out;
}

TEST(TranslateCommand, StreamKindTranslatesAndReportsATruncatedSource) {
    const std::string chunk =
        R"(data: {"id":"c","object":"chat.completion.chunk","model":"m",)"
        R"("choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]})"
        "\n\n";
    CommandRun ok = run(opts("chat", "messages", "stream"), chunk + "data: [DONE]\n\n");
    EXPECT_EQ(ok.code, 0) << ok.err;
    EXPECT_NE(ok.out.find("event: message_stop"), std::string::npos) << ok.out;
    // Cut before [DONE]: the output ends with Messages' error event, the loss is an error.
    CommandRun cut = run(opts("chat", "messages", "stream"), chunk);
    EXPECT_EQ(cut.code, 0);
    EXPECT_NE(cut.out.find("event: error"), std::string::npos) << cut.out;
    EXPECT_NE(cut.err.find("error loss.stream_truncated"), std::string::npos) << cut.err;
    // Data that is not JSON: error event out, exit 1 with the code.
    CommandRun bad = run(opts("chat", "responses", "stream"), "data: nope\n\n");
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.out.find("event: response.failed"), std::string::npos) << bad.out;
    EXPECT_NE(bad.err.find("error: sse.bad_event_data"), std::string::npos) << bad.err;
}

TEST(TranslateCommand, ReadsAFile) {
    TranslateCommandOptions o = opts("responses", "chat");
    o.input = std::string(WIRECHECK_SOURCE_DIR) +
              "/tests/golden/request/responses-to-chat/codex-custom-tool/input.json";
    CommandRun r = run(o, "");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("\"exec\""), std::string::npos);
    o.input = "/nonexistent/file.json";
    EXPECT_EQ(run(o, "").code, 2);
}

// Usage errors are CLI11's: main() maps every ParseError to exit 2.
TEST(TranslateCommand, BadOptionsAreUsageErrors) {
    auto parse = [](std::vector<std::string> args) {
        CLI::App app;
        TranslateCommandOptions o;
        add_translate_command(app, o);
        std::reverse(args.begin(), args.end());
        app.parse(args);
        return o;
    };
    EXPECT_THROW(parse({"translate", "--from", "chat"}), CLI::ParseError);  // --to missing
    EXPECT_THROW(parse({"translate", "--from", "gemini", "--to", "chat"}), CLI::ParseError);
    EXPECT_THROW(parse({"translate", "--from", "chat", "--to", "messages", "--kind", "x"}),
                 CLI::ParseError);
    TranslateCommandOptions o = parse({"translate", "--from", "chat", "--to", "messages"});
    EXPECT_EQ(o.kind, "request");
    EXPECT_EQ(o.losses, "text");
    EXPECT_EQ(o.input, "-");
}

}  // namespace
}  // namespace wirecheck::cli
