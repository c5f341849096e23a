// `wirecheck probe` as a function: options, exit codes, formats, --out, and that the key never
// reaches the output. In-process scenarios here; over real HTTP against `wirecheck serve` in
// tests/e2e/probe.test.mjs (the binaries, as a user runs them).
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "probe_command.hpp"
#include "wirecheck/json.hpp"

namespace wirecheck::cli {
namespace {

constexpr const char* kKey = "sk-probe-cli-SECRET-4711";

struct Outcome {
    int code;
    std::string out, err;
};

Outcome probe(ProbeCommandOptions o) {
    std::ostringstream out, err;
    int code = run_probe(o, out, err);
    return {code, out.str(), err.str()};
}

ProbeCommandOptions field_report() {
    ProbeCommandOptions o;
    o.scenario = "fieldreport-deepseek-v4-pro";
    o.api_key = kKey;
    return o;
}

// Parses a command line the way main() does; returns the CLI11 error message, "" when accepted.
std::string parse(std::vector<std::string> args, ProbeCommandOptions& o) {
    CLI::App app;
    add_probe_command(app, o);
    args.insert(args.begin(), "probe");
    std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
    try {
        app.parse(args);
    } catch (const CLI::ParseError& e) {
        return e.what();
    }
    return "";
}

TEST(ProbeCommand, FieldReportTableAndOneProgressLinePerStep) {
    Outcome r = probe(field_report());
    EXPECT_EQ(r.code, 0);  // nothing required
    EXPECT_NE(r.out.find("Codex CLI      READY VIA ADAPTER"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("http://127.0.0.1:8080/sim/fieldreport-deepseek-v4-pro"),
              std::string::npos);
    for (const char* id : {"models", "chat.budget", "responses.basic", "adapter.messages_via_chat"})
        EXPECT_NE(r.err.find(std::string(id) + " "), std::string::npos) << id << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 14) << r.err;  // 14 steps, no bar
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
}

TEST(ProbeCommand, ExitCodeFollowsTheRequiredClients) {
    ProbeCommandOptions o = field_report();
    o.require = {"chat", "claude-code"};
    EXPECT_EQ(probe(o).code, 0);
    o.require = {"codex"};
    Outcome r = probe(o);
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("required client codex is READY VIA ADAPTER (add --allow-adapter"),
              std::string::npos)
        << r.err;
    o.allow_adapter = true;
    EXPECT_EQ(probe(o).code, 0);
    // A required client whose steps were not run is not ready.
    o.steps = {"chat.basic"};
    r = probe(o);
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("codex is not probed"), std::string::npos) << r.err;
}

TEST(ProbeCommand, JsonReportWithStepsSubset) {
    ProbeCommandOptions o = field_report();
    o.format = "json";
    o.steps = {"chat.basic", "responses.basic"};
    Outcome r = probe(o);
    auto json = parse_json(r.out);
    ASSERT_TRUE(json.ok()) << r.out;
    EXPECT_EQ((*json)["schema"], "wirecheck.probe-report");
    ASSERT_EQ((*json)["steps"].size(), 2u);
    EXPECT_EQ((*json)["steps"][1]["exchanges"][0]["status"], 400);
}

TEST(ProbeCommand, OutWritesTheFormatAndPrintsTheTable) {
    auto path = std::filesystem::temp_directory_path() /
                ("wirecheck-probe-" + std::to_string(::getpid()) + ".xml");
    ProbeCommandOptions o = field_report();
    o.format = "junit";
    o.out = path.string();
    Outcome r = probe(o);
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("VERDICTS"), std::string::npos);
    std::ifstream file(path);
    std::string xml((std::istreambuf_iterator<char>(file)), {});
    EXPECT_EQ(xml.rfind("<?xml", 0), 0u);
    EXPECT_NE(xml.find("<testcase"), std::string::npos);
    EXPECT_EQ(xml.find(kKey), std::string::npos);
    std::filesystem::remove(path);

    o.out = "/nonexistent-dir/report.xml";
    r = probe(o);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("cannot write /nonexistent-dir/report.xml"), std::string::npos);
}

TEST(ProbeCommand, TheKeyIsInNoOutput) {
    for (const char* format : {"table", "markdown", "json", "junit"}) {
        ProbeCommandOptions o = field_report();
        o.format = format;
        Outcome r = probe(o);
        EXPECT_EQ(r.out.find(kKey), std::string::npos) << format;
        EXPECT_EQ(r.err.find(kKey), std::string::npos) << format;
        EXPECT_EQ(r.out.find("sk-probe"), std::string::npos) << format;
    }
}

TEST(ProbeCommand, ConfigErrorsExitTwoWithAHint) {
    ProbeCommandOptions none;
    Outcome r = probe(none);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--base-url is required"), std::string::npos);

    ProbeCommandOptions no_model;
    no_model.base_url = "http://127.0.0.1:9";
    r = probe(no_model);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--model is required"), std::string::npos);

    ProbeCommandOptions both = field_report();
    both.base_url = "http://127.0.0.1:9";
    EXPECT_EQ(probe(both).code, 2);

    ProbeCommandOptions bad_step = field_report();
    bad_step.steps = {"chat.nope"};
    r = probe(bad_step);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("unknown step id 'chat.nope'"), std::string::npos) << r.err;

    ProbeCommandOptions ftp;
    ftp.base_url = "ftp://example.com";
    ftp.model = "m";
    EXPECT_EQ(probe(ftp).code, 2);
}

TEST(ProbeCommand, AKeyOnTheCommandLineIsRefused) {
    ProbeCommandOptions o;
    std::string error = parse({"--base-url", "http://x", "--model", "m", "--api-key", kKey}, o);
    EXPECT_NE(error.find("visible in `ps`"), std::string::npos) << error;
    EXPECT_NE(error.find("export WIRECHECK_API_KEY"), std::string::npos) << error;
    EXPECT_EQ(error.find(kKey), std::string::npos) << error;  // not even echoed back
    EXPECT_NE(parse({"--key", kKey}, o), "");
    EXPECT_EQ(o.api_key, "");
}

TEST(ProbeCommand, OptionsAreValidated) {
    ProbeCommandOptions o;
    EXPECT_EQ(parse({"--scenario", "stream-drop", "--steps", "chat.basic,chat.stream", "--require",
                     "codex,chat", "--timeout", "0.5"},
                    o),
              "");
    EXPECT_EQ(o.steps, (std::vector<std::string>{"chat.basic", "chat.stream"}));
    EXPECT_EQ(o.require, (std::vector<std::string>{"codex", "chat"}));
    EXPECT_DOUBLE_EQ(o.timeout_s, 0.5);
    EXPECT_NE(parse({"--scenario", "no-such"}, o), "");
    EXPECT_NE(parse({"--format", "yaml"}, o), "");
    EXPECT_NE(parse({"--require", "cursor"}, o), "");
    EXPECT_NE(parse({"--timeout", "0"}, o), "");
}

}  // namespace
}  // namespace wirecheck::cli
