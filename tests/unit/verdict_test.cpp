// Verdicts per client (the field report's exactly), their recommendations, the rules on hand-made
// evidence, the protocol-layer comparison model, and the findings/verdicts table and its docs.
#include <set>

#include "probe_driver.hpp"
#include "test_util.hpp"

namespace wirecheck {
namespace {

using namespace test;

bool mentions(const Verdict& v, const std::string& text) {
    for (const std::string& r : v.recommendations) {
        if (r.find(text) != std::string::npos) return true;
    }
    return false;
}

bool rests_on(const Verdict& v, Code code, const std::string& step) {
    for (const Finding& f : v.findings) {
        if (f.code == code && f.step == step) return true;
    }
    return false;
}

// ---- the field report
// ----------------------------------------------------------------------------

TEST(VerdictFieldReport, ChatReadyClaudeCodeReadyCodexReadyViaAdapter) {
    ProbeRun run = run_scenario("fieldreport-deepseek-v4-pro");
    ProbeReport report = run.report();
    ASSERT_EQ(report.verdicts.size(), 3u);

    const Verdict* chat = verdict_of(report, Client::Chat);
    EXPECT_EQ(chat->level, Code::VerdictReady) << chat->summary;
    EXPECT_EQ(chat->native_level, Code::VerdictReady);
    // The budget finding does not limit chat apps; it becomes advice with a number.
    EXPECT_TRUE(rests_on(*chat, Code::FindingReasoningExhaustedBudget, "chat.budget"));
    EXPECT_TRUE(mentions(*chat, "Set max_tokens >= 1024")) << chat->recommendations[0];
    EXPECT_TRUE(mentions(*chat, "28 of 30"));

    const Verdict* claude = verdict_of(report, Client::ClaudeCode);
    EXPECT_EQ(claude->level, Code::VerdictReady) << claude->summary;
    EXPECT_EQ(claude->native_level, Code::VerdictReady);
    EXPECT_EQ(claude->steps,
              (std::vector<std::string>{"messages.basic", "messages.stream", "messages.tools",
                                        "adapter.messages_via_chat"}));
    EXPECT_TRUE(mentions(*claude, "ANTHROPIC_BASE_URL=\"http://sim.test\""));
    EXPECT_TRUE(mentions(*claude, "compatibility layer"));  // new-api converts to the chat channel

    const Verdict* codex = verdict_of(report, Client::Codex);
    EXPECT_EQ(codex->native_level, Code::VerdictNotReady);
    EXPECT_EQ(codex->level, Code::VerdictReadyViaAdapter) << codex->summary;
    EXPECT_TRUE(rests_on(*codex, Code::FindingConvertRequestFailed, "responses.basic"));
    EXPECT_NE(codex->summary.find("convert_request_failed"), std::string::npos);
    EXPECT_NE(codex->summary.find("adapter.responses_via_chat"), std::string::npos);
    EXPECT_TRUE(
        mentions(*codex, "wirecheck serve --upstream http://sim.test/v1 --upstream-protocol chat"));
    EXPECT_TRUE(mentions(*codex, "base_url = \"http://127.0.0.1:8080/v1\""));
    EXPECT_TRUE(mentions(*codex, "wire_api = \"responses\""));
    EXPECT_TRUE(mentions(*codex, "convert_request_failed"));
}

TEST(VerdictFieldReport, LayerTableCarriesTheMeasuredResults) {
    ProbeRun run = run_scenario("fieldreport-deepseek-v4-pro");
    std::vector<LayerRow> layers = protocol_layers(run.steps());
    ASSERT_EQ(layers.size(), 3u);
    EXPECT_EQ(layers[0].measured_level, Code::VerdictReady);
    EXPECT_EQ(layers[0].measured, "4/4 steps passed (1 with warnings)");
    EXPECT_EQ(layers[1].measured_level, Code::VerdictNotReady);
    EXPECT_NE(layers[1].measured.find("http.convert_request_failed"), std::string::npos);
    EXPECT_EQ(layers[2].measured_level, Code::VerdictReady);
    EXPECT_EQ(layers[2].measured, "3/3 steps passed");
}

TEST(VerdictFieldReport, ChineseReportTranslatesSummariesRecommendationsAndLayers) {
    ProbeRun run = run_scenario("fieldreport-deepseek-v4-pro");
    ProbeReport english = run.report();
    ProbeReport report = run.report(Language::Chinese);
    ASSERT_EQ(report.verdicts.size(), english.verdicts.size());
    for (std::size_t i = 0; i < report.verdicts.size(); ++i) {
        // Same decisions, other words.
        EXPECT_EQ(report.verdicts[i].level, english.verdicts[i].level);
        EXPECT_EQ(report.verdicts[i].recommendations.size(),
                  english.verdicts[i].recommendations.size());
        EXPECT_NE(report.verdicts[i].summary, english.verdicts[i].summary);
    }
    const Verdict* codex = verdict_of(report, Client::Codex);
    EXPECT_EQ(codex->summary,
              "Codex CLI 无法直接使用此端点：http.convert_request_failed（responses.basic）："
              "网关无法为该模型所在的渠道转换此协议（convert_request_failed）。"
              "经 chat 端点的 wirecheck 适配器通过了 adapter.responses_via_chat。")
        << codex->summary;
    EXPECT_TRUE(mentions(*codex, "运行适配器：`wirecheck serve --upstream http://sim.test/v1"));
    EXPECT_TRUE(mentions(*codex, "wire_api = \"responses\""));  // configs stay configs
    const Verdict* chat = verdict_of(report, Client::Chat);
    EXPECT_TRUE(mentions(*chat, "将 max_tokens 设为 >= 1024"));
    EXPECT_EQ(report.layers[0].measured, "通过 4/4 个步骤（1 个有警告）");
    EXPECT_EQ(report.layers[2].clients, "Claude Code");
    EXPECT_EQ(report.layers[1].clients, "Codex CLI（只支持此协议）");
    EXPECT_EQ(protocol_layers({}, Language::Chinese)[0].measured, "未探测");
    // The Markdown report in Chinese carries them.
    std::string md = report_markdown(report, Language::Chinese);
    EXPECT_NE(md.find("Codex CLI 无法直接使用此端点"), std::string::npos);
    EXPECT_EQ(md.find("can use this endpoint"), std::string::npos);
}

// ---- other scenarios
// -----------------------------------------------------------------------------

TEST(VerdictScenarios, EachScenarioGetsTheVerdictsItWasMadeFor) {
    struct Case {
        const char* scenario;
        Code codex, claude, chat;
    } cases[] = {
        {"openai-native", Code::VerdictReady, Code::VerdictReadyViaAdapter, Code::VerdictReady},
        {"anthropic-native", Code::VerdictNotReady, Code::VerdictReady, Code::VerdictNotReady},
        {"chat-only-gateway", Code::VerdictReadyViaAdapter, Code::VerdictReadyViaAdapter,
         Code::VerdictReady},
        {"responses-no-completed", Code::VerdictReadyViaAdapter, Code::VerdictReadyViaAdapter,
         Code::VerdictReady},
        {"messages-bad-order", Code::VerdictNotReady, Code::VerdictNotReady, Code::VerdictNotReady},
        {"usage-as-strings", Code::VerdictNotReady, Code::VerdictReadyWithLimitations,
         Code::VerdictReadyWithLimitations},
        {"reasoning-hog", Code::VerdictNotReady, Code::VerdictNotReady, Code::VerdictNotReady},
        {"slow-stream", Code::VerdictReady, Code::VerdictReady, Code::VerdictReady},
    };
    for (const Case& c : cases) {
        ProbeRun run = run_scenario(c.scenario);
        ProbeReport report = run.report();
        EXPECT_EQ(verdict_of(report, Client::Codex)->level, c.codex)
            << c.scenario << ": " << verdict_of(report, Client::Codex)->summary;
        EXPECT_EQ(verdict_of(report, Client::ClaudeCode)->level, c.claude)
            << c.scenario << ": " << verdict_of(report, Client::ClaudeCode)->summary;
        EXPECT_EQ(verdict_of(report, Client::Chat)->level, c.chat)
            << c.scenario << ": " << verdict_of(report, Client::Chat)->summary;
    }
}

TEST(VerdictScenarios, CorsInABrowserPointsToTheRelay) {
    ProbeRun run = run_scenario("cors-blocked", {}, true);
    ProbeReport report = run.report();
    const Verdict* chat = verdict_of(report, Client::Chat);
    EXPECT_EQ(chat->level, Code::VerdictNotReady);
    EXPECT_TRUE(mentions(*chat, "local relay"));
}

TEST(VerdictScenarios, ReasoningHogRecommendsABudget) {
    ProbeRun run = run_scenario("reasoning-hog", {"chat.basic", "chat.budget"});
    ProbeReport report = run.report();
    const Verdict* chat = verdict_of(report, Client::Chat);
    ASSERT_NE(chat, nullptr);
    EXPECT_TRUE(mentions(*chat, "Set max_tokens >= 4096"));
}

// ---- rules on hand-made evidence
// -----------------------------------------------------------------

StepEvidence step(const std::string& id, StepStatus status, std::vector<Finding> findings = {}) {
    StepEvidence s;
    s.id = id;
    s.status = status;
    s.findings = std::move(findings);
    return s;
}

TEST(VerdictRules, WarningsAndMissingStepsLimitFailuresDecide) {
    ProbeTarget target;
    target.chat_url = "https://x/v1/chat/completions";
    std::vector<StepEvidence> steps = {step("chat.basic", StepStatus::Passed),
                                       step("chat.stream", StepStatus::Passed),
                                       step("chat.tools", StepStatus::Passed)};
    auto verdicts = evaluate_verdicts(steps, target);
    ASSERT_EQ(verdicts.size(), 1u);  // only clients whose steps ran get a verdict
    EXPECT_EQ(verdicts[0].client, Client::Chat);
    EXPECT_EQ(verdicts[0].level, Code::VerdictReady);

    steps[2] = step("chat.tools", StepStatus::Failed,
                    {make_finding(Code::FindingToolNotCalled, "chat.tools", 0, "no call")});
    verdicts = evaluate_verdicts(steps, target);
    EXPECT_EQ(verdicts[0].level, Code::VerdictReadyWithLimitations);  // an important step
    EXPECT_NE(verdicts[0].summary.find("tool.not_called"), std::string::npos);

    steps.pop_back();  // chat.tools not probed at all
    verdicts = evaluate_verdicts(steps, target);
    EXPECT_EQ(verdicts[0].level, Code::VerdictReadyWithLimitations);
    EXPECT_EQ(verdicts[0].not_run, std::vector<std::string>{"chat.tools"});

    steps[0] = step("chat.basic", StepStatus::Failed,
                    {make_finding(Code::FindingContentEmpty, "chat.basic", 0, "empty")});
    verdicts = evaluate_verdicts(steps, target);
    EXPECT_EQ(verdicts[0].level, Code::VerdictNotReady);
    EXPECT_NE(verdicts[0].summary.find("content.empty at chat.basic"), std::string::npos);
}

TEST(VerdictRules, PartialRunsGetNoVerdictForUnfinishedClients) {
    auto run = ProbeRun::create(sim_config("m", {"chat.basic", "messages.basic"}));
    auto first = run->next_request(0);
    auto second = run->next_request(0);
    ASSERT_TRUE(first && second);
    run->on_headers(first->id, 404, {}, 1);
    run->on_done(first->id, 2);
    ProbeReport partial = run->report();
    ASSERT_EQ(partial.verdicts.size(), 1u);  // chat is decided, claude-code is still running
    EXPECT_EQ(partial.verdicts[0].client, Client::Chat);
    EXPECT_EQ(partial.verdicts[0].level, Code::VerdictNotReady);
    Json json = report_json(partial);
    EXPECT_EQ(json["summary"]["running"], 1);
}

TEST(VerdictRules, AdapterOnlyHelpsWhenTheNativeEndpointIsNotReady) {
    ProbeTarget target;
    std::vector<StepEvidence> steps = {
        step("responses.basic", StepStatus::Passed),
        step("responses.stream", StepStatus::Warned,
             {make_finding(Code::FindingUsageMissing, "responses.stream", 0, "no usage")}),
        step("responses.tools", StepStatus::Passed),
        step("responses.custom_tool", StepStatus::Passed),
        step("adapter.responses_via_chat", StepStatus::Passed)};
    auto verdicts = evaluate_verdicts(steps, target);
    EXPECT_EQ(verdicts[0].client, Client::Codex);
    EXPECT_EQ(verdicts[0].level, Code::VerdictReadyWithLimitations);

    steps[3] =
        step("responses.custom_tool", StepStatus::Failed,
             {make_finding(Code::FindingCustomToolAsFunction, "responses.custom_tool", 0, "fn")});
    verdicts = evaluate_verdicts(steps, target);
    EXPECT_EQ(verdicts[0].native_level, Code::VerdictNotReady);
    EXPECT_EQ(verdicts[0].level, Code::VerdictReadyViaAdapter);
    EXPECT_TRUE(mentions(verdicts[0], "restores them"));

    steps[4].status = StepStatus::Failed;
    verdicts = evaluate_verdicts(steps, target);
    EXPECT_EQ(verdicts[0].level, Code::VerdictNotReady);
}

// ---- the one table and its docs
// ------------------------------------------------------------------

TEST(FindingsTable, EveryFindingAndVerdictIsInTheCodeListAndDocumented) {
    std::string docs = test::read_file(test::source_path("docs/findings.md"));
    ASSERT_FALSE(docs.empty()) << "docs/findings.md is missing";
    std::set<std::string> names;
    for (const FindingInfo& f : kFindingInfos) {
        EXPECT_TRUE(names.insert(std::string(f.name)).second) << f.name;
        EXPECT_EQ(code_name(f.code), f.name);  // the Code enum and kCodeInfos know it
        EXPECT_EQ(finding_info(f.code), &f);
        EXPECT_EQ(code_title(f.code, Language::Chinese), f.zh);
        EXPECT_FALSE(f.zh.empty());
        std::string row = "| `" + std::string(f.name) + "` | " +
                          std::string(severity_name(f.severity)) + " | " + std::string(f.en) +
                          " | " + std::string(f.zh) + " |";
        EXPECT_NE(docs.find(row), std::string::npos) << "docs/findings.md lacks the row\n" << row;
        EXPECT_NE(docs.find("- `" + std::string(f.name) + "`: "), std::string::npos)
            << "docs/findings.md does not explain " << f.name;
    }
    for (const VerdictInfo& v : kVerdictInfos) {
        EXPECT_EQ(verdict_info(v.code), &v);
        EXPECT_EQ(finding_info(v.code), nullptr);
        std::string row = "| `" + std::string(v.name) + "` | " + std::string(v.en) + " | " +
                          std::string(v.zh) + " |";
        EXPECT_NE(docs.find(row), std::string::npos) << "docs/findings.md lacks the row\n" << row;
    }
    EXPECT_EQ(finding_info(Code::JsonMalformed), nullptr);
    EXPECT_EQ(verdict_info(Code::FindingStepSkipped), nullptr);
}

TEST(FindingsTable, LayerRowsMatchTheWebPagesLayersJson) {
    auto layers_json = Json::parse(test::read_file(test::source_path("assets/layers.json")));
    std::vector<LayerRow> rows = protocol_layers({});
    ASSERT_EQ(layers_json.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(layers_json[i]["endpoint"], rows[i].endpoint);
        EXPECT_EQ(layers_json[i]["protocol"], rows[i].name);
        EXPECT_EQ(layers_json[i]["clients"], rows[i].clients);
        EXPECT_EQ(layers_json[i]["structure"], rows[i].structure);
        EXPECT_EQ(layers_json[i]["adapter"], rows[i].adaptation);
        EXPECT_EQ(rows[i].measured, "not probed");
    }
}

}  // namespace
}  // namespace wirecheck
