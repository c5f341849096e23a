// Reports: the golden JSON report of the field-report scenario (UPDATE_GOLDEN=1 rewrites it), the
// JSON schema version and docs, JUnit XML (one testcase per step), Markdown (table, verdicts,
// steps), copy-as-curl, and the API key absent from every output format.
#include <cstdlib>
#include <regex>

#include "probe_driver.hpp"
#include "test_util.hpp"

namespace wirecheck {
namespace {

using namespace test;

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1))
        ++n;
    return n;
}

// ---- JSON
// ----------------------------------------------------------------------------------------

TEST(ReportJson, FieldReportMatchesTheGoldenFile) {
    ProbeRun run = run_scenario("fieldreport-deepseek-v4-pro");
    std::string text = report_json_text(run.report());
    std::string path = source_path("tests/golden/reports/fieldreport-deepseek-v4-pro.json");
    const char* update = std::getenv("UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        write_file(path, text);
        GTEST_SKIP() << "rewrote " << path;
    }
    bool ok = false;
    std::string golden = read_file(path, &ok);
    ASSERT_TRUE(ok) << path << " is missing; run with UPDATE_GOLDEN=1";
    Json expected = Json::parse(golden);
    Json actual = Json::parse(text);
    if (expected != actual) {
        Json patch = Json::diff(expected, actual);
        FAIL() << "the report differs from " << path << " (UPDATE_GOLDEN=1 rewrites it):\n"
               << patch.dump(2).substr(0, 4000);
    }
}

TEST(ReportJson, IsVersionedAndDeterministic) {
    ProbeRun a = run_scenario("fieldreport-deepseek-v4-pro");
    ProbeRun b = run_scenario("fieldreport-deepseek-v4-pro");
    std::string text = report_json_text(a.report());
    EXPECT_EQ(text, report_json_text(b.report()));
    Json report = Json::parse(text);
    EXPECT_EQ(report["schema"], "wirecheck.probe-report");
    EXPECT_EQ(report["schema_version"], 1);
    EXPECT_EQ(report["target"]["api_key"], "set");
    EXPECT_EQ(report["summary"]["steps"], 14);
    EXPECT_EQ(report["summary"]["skipped"], 3);
    EXPECT_EQ(report["steps"].size(), 14u);
    EXPECT_EQ(report["verdicts"].size(), 3u);
    EXPECT_EQ(report["layers"].size(), 3u);
    EXPECT_EQ(report["verdicts"][0]["client"], "codex");
    EXPECT_EQ(report["verdicts"][0]["label"], "READY VIA ADAPTER");
    EXPECT_EQ(report["verdicts"][0]["label_zh"], "通过适配层可用");
    const Json& basic = report["steps"][1];
    EXPECT_EQ(basic["id"], "chat.basic");
    EXPECT_EQ(basic["exchanges"][0]["status"], 200);
    EXPECT_TRUE(basic["exchanges"][0]["ttfb_ms"].is_number_integer());
    EXPECT_EQ(basic["exchanges"][0]["decoded"]["text"], "WIRECHECK_CHAT_OK");
    for (const Json& f : report["findings"]) {
        for (const char* key :
             {"code", "severity", "title", "title_zh", "step", "exchange", "pointer", "message"})
            EXPECT_TRUE(f.contains(key)) << key;
    }
}

TEST(ReportJson, SchemaDocDescribesEveryField) {
    std::string doc = read_file(source_path("docs/report-schema.md"));
    ASSERT_FALSE(doc.empty());
    EXPECT_NE(doc.find(kReportSchemaName), std::string::npos);
    Json report =
        Json::parse(report_json_text(run_scenario("fieldreport-deepseek-v4-pro").report()));
    auto documented = [&](const std::string& key) {
        return doc.find("`" + key + "`") != std::string::npos ||
               doc.find("\"" + key + "\"") != std::string::npos;
    };
    for (auto it = report.begin(); it != report.end(); ++it)
        EXPECT_TRUE(documented(it.key())) << it.key();
    for (const char* section : {"layers", "verdicts", "findings", "steps"}) {
        for (auto it = report[section][0].begin(); it != report[section][0].end(); ++it)
            EXPECT_TRUE(documented(it.key())) << section << "." << it.key();
    }
    const Json& exchange = report["steps"][12]["exchanges"][0];  // an adapter step: every field
    for (auto it = exchange.begin(); it != exchange.end(); ++it)
        EXPECT_TRUE(documented(it.key())) << "exchange." << it.key();
}

// ---- JUnit
// ---------------------------------------------------------------------------------------

TEST(ReportJunit, OneTestcasePerStepWithFailuresAndSkips) {
    ProbeRun run = run_scenario("fieldreport-deepseek-v4-pro");
    std::string xml = report_junit(run.report());
    EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u);
    EXPECT_EQ(count_of(xml, "<testcase "), run.steps().size());
    EXPECT_EQ(count_of(xml, "</testcase>"), run.steps().size());
    EXPECT_EQ(count_of(xml, "<failure "), 1u);  // responses.basic
    EXPECT_EQ(count_of(xml, "<skipped "), 3u);
    EXPECT_NE(xml.find("tests=\"14\" failures=\"1\" errors=\"0\" skipped=\"3\""),
              std::string::npos);
    EXPECT_NE(xml.find("name=\"responses.basic\""), std::string::npos);
    EXPECT_NE(xml.find("type=\"http.convert_request_failed\""), std::string::npos);
    EXPECT_NE(xml.find("<property name=\"verdict.codex\" value=\"READY VIA ADAPTER\"/>"),
              std::string::npos);
    // Tags balance and every attribute value is escaped (no raw '<' or '&' outside tags).
    EXPECT_EQ(count_of(xml, "<testsuite "), count_of(xml, "</testsuite>"));
    std::string text_only = std::regex_replace(xml, std::regex("<[^>]*>"), "");
    EXPECT_EQ(text_only.find('<'), std::string::npos);
    EXPECT_EQ(std::regex_replace(text_only, std::regex("&(amp|lt|gt|quot|apos);"), "").find('&'),
              std::string::npos);
}

// ---- Markdown
// ------------------------------------------------------------------------------------

TEST(ReportMarkdown, HasTheTableVerdictsFindingsAndSteps) {
    ProbeRun run = run_scenario("fieldreport-deepseek-v4-pro");
    ProbeReport report = run.report();
    std::string md = report_markdown(report);
    EXPECT_EQ(md.rfind("# wirecheck probe report", 0), 0u);
    EXPECT_NE(md.find("| Endpoint | Protocol | Typical clients | Core data structure | "
                      "Adaptation difficulty | Measured here |"),
              std::string::npos);
    EXPECT_NE(md.find("| `/v1/responses` |"), std::string::npos);
    EXPECT_NE(md.find("## Verdicts"), std::string::npos);
    EXPECT_NE(md.find("| Codex CLI (`codex`) | **READY VIA ADAPTER** | NOT READY |"),
              std::string::npos);
    EXPECT_NE(md.find("| Claude Code (`claude-code`) | **READY** |"), std::string::npos);
    EXPECT_NE(md.find("| Chat SDK apps (`chat`) | **READY** |"), std::string::npos);
    EXPECT_NE(md.find("```toml"), std::string::npos);
    EXPECT_NE(md.find("`budget.reasoning_exhausted`"), std::string::npos);
    for (const StepEvidence& s : run.steps())
        EXPECT_NE(md.find("`" + s.id + "`: " + s.title), std::string::npos) << s.id;
    EXPECT_NE(md.find("-H 'Authorization: Bearer '\"$WIRECHECK_API_KEY\""), std::string::npos);
    // Verdicts come before the step details.
    EXPECT_LT(md.find("## Verdicts"), md.find("## Steps"));
    EXPECT_LT(md.find("## Protocol layers"), md.find("## Verdicts"));

    std::string zh = report_markdown(report, Language::Chinese);
    EXPECT_NE(zh.find("# wirecheck 探测报告"), std::string::npos);
    EXPECT_NE(zh.find("**通过适配层可用**"), std::string::npos);
    EXPECT_NE(zh.find("推理 token 耗尽了输出预算"), std::string::npos);
}

TEST(ReportMarkdown, FencesSurviveBodiesWithBackticks) {
    auto run = ProbeRun::create(sim_config("m", {"chat.basic"}));
    auto r = run->next_request(0);
    run->on_headers(r->id, 200, {{"Content-Type", "application/json"}}, 1);
    run->on_body_chunk(
        r->id,
        R"({"choices":[{"index":0,"message":{"role":"assistant","content":"```WIRECHECK_CHAT_OK````"},"finish_reason":"stop"}]})",
        2);
    run->on_done(r->id, 3);
    std::string md = report_markdown(run->report());
    EXPECT_NE(md.find("`````json"), std::string::npos);
}

// ---- terminal table
// ------------------------------------------------------------------------------

TEST(ReportTable, ShowsLayersVerdictsStepsFindingsAndRecommendations) {
    ProbeRun run = run_scenario("fieldreport-deepseek-v4-pro");
    std::string table = report_table(run.report());
    EXPECT_EQ(table.rfind("wirecheck probe: model deepseek-v4-pro at http://sim.test\n", 0), 0u)
        << table;
    EXPECT_NE(table.find("  /v1/responses         NOT READY "), std::string::npos) << table;
    EXPECT_NE(table.find("  /v1/messages          READY "), std::string::npos) << table;
    EXPECT_NE(table.find("  Codex CLI      READY VIA ADAPTER "), std::string::npos) << table;
    EXPECT_NE(table.find("  Claude Code    READY "), std::string::npos) << table;
    EXPECT_NE(table.find("  Chat SDK apps  READY "), std::string::npos) << table;
    EXPECT_NE(table.find("FAIL  responses.basic            400 "), std::string::npos) << table;
    EXPECT_NE(table.find("WARN  chat.budget                200 "), std::string::npos) << table;
    EXPECT_NE(table.find("budget.reasoning_exhausted"), std::string::npos);
    // The Codex config block arrives without its Markdown fence, indented.
    EXPECT_NE(table.find("\n        [model_providers.probed]\n"), std::string::npos) << table;
    EXPECT_EQ(table.find("```"), std::string::npos);
    EXPECT_LT(table.find("VERDICTS"), table.find("STEPS"));
    // Colour only when asked for.
    EXPECT_EQ(table.find('\x1b'), std::string::npos);
    std::string colored = report_table(run.report(), true);
    EXPECT_NE(colored.find("\x1b[31mNOT READY"), std::string::npos);
    EXPECT_NE(colored.find("\x1b[32mPASS\x1b[0m"), std::string::npos);
}

TEST(ReportTable, StepLinesNameTheWorstFindingWithinOneLine) {
    ProbeRun run = run_scenario("fieldreport-deepseek-v4-pro", {"responses.basic"});
    std::string line = step_summary_line(run.steps()[0]);
    EXPECT_EQ(line.rfind("FAIL  responses.basic            400      ", 0), 0u) << line;
    EXPECT_NE(line.find("http.convert_request_failed: HTTP 400"), std::string::npos) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_LE(line.size(), 180u);
}

// ---- curl
// ----------------------------------------------------------------------------------------

TEST(ReportCurl, UsesTheKeyVariableAndQuotesSafely) {
    HttpRequest request;
    request.method = "POST";
    request.url = "https://gw.example/v1/chat/completions";
    request.stream = true;
    request.headers = {{"Authorization", "Bearer $WIRECHECK_API_KEY"},
                       {"Content-Type", "application/json"}};
    request.body = R"({"messages":[{"role":"user","content":"it's \"quoted\" $HOME"}]})";
    std::string curl = curl_command(request);
    EXPECT_EQ(
        curl,
        "curl -sS -N -X POST 'https://gw.example/v1/chat/completions' \\\n"
        "  -H 'Authorization: Bearer '\"$WIRECHECK_API_KEY\" \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        "  --data-raw '{\"messages\":[{\"role\":\"user\",\"content\":\"it'\\''s \\\"quoted\\\" "
        "$HOME\"}]}'");
    HttpRequest get;
    get.method = "GET";
    get.url = "https://gw.example/v1/models";
    get.headers = {{"x-api-key", "$WIRECHECK_API_KEY"}};
    EXPECT_EQ(
        curl_command(get),
        "curl -sS 'https://gw.example/v1/models' \\\n  -H 'x-api-key: '\"$WIRECHECK_API_KEY\"");
}

// ---- secrets
// -------------------------------------------------------------------------------------

// A server that echoes the key everywhere it can: in headers, in a JSON error, split across the
// chunks of a stream, in a failure message.
Responder leaky_server() {
    return [](const HttpRequest& request, const std::string& path) {
        std::string key = kTestKey;
        SimReply r;
        r.headers = {{"Content-Type", "application/json"}, {"X-Echo-Key", key}};
        if (path == "/v1/models") {
            r.failure = FailureKind::Network;
            r.failure_message = "TLS alert for key " + key;
            return r;
        }
        if (request.stream) {
            r.headers[0].second = "text/event-stream";
            std::string event =
                R"(data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":")" +
                key +
                R"("}}]})"
                "\n\n";
            std::size_t half = event.find(key) + key.size() / 2;
            r.chunks = {
                event.substr(0, half), event.substr(half),
                R"(data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
                "\n\n",
                "data: [DONE]\n\n"};
            return r;
        }
        r.status = 401;
        r.chunks = {R"({"error":{"message":"Incorrect API key provided: )" + key +
                    R"(","code":"invalid_api_key"}})"};
        return r;
    };
}

void expect_no_key(const std::string& what, const std::string& text) {
    EXPECT_EQ(text.find(kTestKey), std::string::npos) << what << " contains the API key";
    EXPECT_EQ(text.find(std::string(kTestKey).substr(0, 20)), std::string::npos)
        << what << " contains part of the API key";
}

void expect_no_key_anywhere(const ProbeRun& run) {
    ProbeReport report = run.report();
    expect_no_key("JSON", report_json_text(report));
    expect_no_key("Markdown", report_markdown(report));
    expect_no_key("Markdown (zh)", report_markdown(report, Language::Chinese));
    expect_no_key("JUnit", report_junit(report));
    expect_no_key("table", report_table(report, true));
    for (const StepEvidence& s : run.steps()) {
        expect_no_key("step line " + s.id, step_summary_line(s));
        for (const Exchange& ex : s.exchanges)
            expect_no_key("curl " + s.id, curl_command(ex.request));
    }
}

TEST(ReportSecrets, TheKeyIsInNoOutputFormat) {
    for (const char* scenario : {"fieldreport-deepseek-v4-pro", "openai-native"}) {
        DriveLog log;
        ProbeRun run = run_scenario(scenario, {}, false, &log);
        // It was sent...
        ASSERT_FALSE(log.requests.empty());
        EXPECT_NE(log.requests[1].headers[0].second.find(kTestKey), std::string::npos);
        // ...and appears nowhere else.
        expect_no_key_anywhere(run);
    }
    expect_no_key_anywhere(run_scenario("cors-blocked", {}, true));
}

TEST(ReportSecrets, AnEchoedKeyIsRedactedEvenWhenSplitAcrossChunks) {
    ProbeConfig config = sim_config("m", {"models", "chat.basic", "chat.stream"});
    config.browser = true;  // so the failure (with its message) is reported as such
    auto run = ProbeRun::create(config);
    drive(run.value(), leaky_server(), true);
    expect_no_key_anywhere(run.value());
    const StepEvidence& basic = run->steps()[1];
    EXPECT_NE(basic.exchanges[0].body.find("Incorrect API key provided: $WIRECHECK_API_KEY"),
              std::string::npos);
    EXPECT_EQ(header_value(basic.exchanges[0].headers, "X-Echo-Key"), "$WIRECHECK_API_KEY");
    EXPECT_NE(run->steps()[0].exchanges[0].failure_message.find("$WIRECHECK_API_KEY"),
              std::string::npos);
}

TEST(ReportSecrets, NoPartOfTheKeyIsShownWhileItsChunksArrive) {
    auto run = ProbeRun::create(sim_config("m", {"chat.stream"}));
    auto request = run->next_request(0);
    std::string key = kTestKey;
    run->on_headers(request->id, 200, {{"Content-Type", "text/event-stream"}}, 1);
    run->on_body_chunk(request->id, "data: {\"x\":\"" + key.substr(0, 10), 2);
    const Exchange& live = run->steps()[0].exchanges[0];
    EXPECT_EQ(live.body.find(key.substr(0, 10)),
              std::string::npos);  // held back: it may be the key
    run->on_body_chunk(request->id, key.substr(10) + "\"}\n\n", 3);
    EXPECT_NE(live.body.find("$WIRECHECK_API_KEY"), std::string::npos);
    run->on_done(request->id, 4);
    expect_no_key_anywhere(run.value());
}

}  // namespace
}  // namespace wirecheck
