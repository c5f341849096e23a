// Golden translations: every folder tests/golden/<kind>/<from>-to-<to>/<case>/ holds an input
// (input.json, or input.sse for streams) and the expected output (expected.json / expected.sse),
// the losses as [{code, severity, pointer}] (losses.json) and, when the translation must fail,
// error.json {code, pointer}. An optional client_request.json (a request in the TARGET protocol)
// supplies the client's tools, as in the adapter flow. Outputs compare as parsed JSON (streams
// event by event); UPDATE_GOLDEN=1 rewrites the expected files. Streams must give the same bytes
// for whole, 1-byte and seeded random chunkings.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "test_util.hpp"

namespace wirecheck {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
    std::string kind;  // request | response | stream
    Protocol from = Protocol::Chat;
    Protocol to = Protocol::Chat;
    std::string name;
    std::string dir;
};

std::string golden_root() { return test::source_path("tests/golden"); }

// Folders are discovered on disk (under Wasm through NODERAWFS), sorted so runs are stable.
std::vector<GoldenCase> discover_cases() {
    std::vector<GoldenCase> cases;
    std::error_code ec;
    for (const char* kind : {"request", "response", "stream"}) {
        fs::path kind_dir = fs::path(golden_root()) / kind;
        if (!fs::is_directory(kind_dir, ec)) continue;
        for (const auto& direction : fs::directory_iterator(kind_dir, ec)) {
            std::string dir_name = direction.path().filename().string();
            auto sep = dir_name.find("-to-");
            if (sep == std::string::npos) continue;
            auto from = protocol_from_name(dir_name.substr(0, sep));
            auto to = protocol_from_name(dir_name.substr(sep + 4));
            if (!from || !to) continue;
            for (const auto& c : fs::directory_iterator(direction.path(), ec)) {
                if (!c.is_directory()) continue;
                cases.push_back(
                    GoldenCase{kind, *from, *to, c.path().filename().string(), c.path().string()});
            }
        }
    }
    std::sort(cases.begin(), cases.end(), [](const GoldenCase& a, const GoldenCase& b) {
        return a.dir < b.dir;
    });
    return cases;
}

std::string case_label(const GoldenCase& c) {
    return c.kind + "/" + std::string(protocol_name(c.from)) + "-to-" +
           std::string(protocol_name(c.to)) + "/" + c.name;
}

// gtest prints a failing parameter with this instead of its bytes.
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << case_label(c); }

// What one translation produced, in the shape the golden files hold.
struct Outcome {
    std::string output;  // JSON text or SSE text; empty on a body error
    Json losses;
    Json error;  // {code, pointer} or null
};

Json error_json(const Error& e) {
    return Json{{"code", code_name(e.code)}, {"pointer", e.pointer}};
}

TranslateOptions options_for(const GoldenCase& c) {
    TranslateOptions options;
    bool ok = false;
    std::string client = test::read_file(c.dir + "/client_request.json", &ok);
    if (!ok) return options;
    Losses ignored;
    auto request = decode_request(c.to, test::parse_or_fail(client), ignored);
    EXPECT_TRUE(request.ok()) << "client_request.json: " << request.error().to_string();
    if (request.ok()) options.request_tools = request->tools;
    return options;
}

Outcome run_body(const GoldenCase& c, const std::string& input) {
    TranslateOptions options = options_for(c);
    auto result = test::no_throw("translate", [&] {
        return c.kind == "request" ? translate_request(c.from, c.to, input, options)
                                   : translate_response(c.from, c.to, input, options);
    });
    if (!result.ok()) return Outcome{"", Json::array(), error_json(result.error())};
    std::string text = indent_json(result->output) + "\n";
    return Outcome{text, test::losses_json(result->losses), nullptr};
}

Outcome run_stream(const GoldenCase& c, const std::vector<std::string>& pieces) {
    test::StreamRun run = test::translate_stream_pieces(c.from, c.to, pieces, options_for(c));
    return Outcome{run.output, test::losses_json(run.losses),
                   run.error ? error_json(*run.error) : Json()};
}

// Streams: every chunking must give exactly the whole-input result.
Outcome run_stream_all_chunkings(const GoldenCase& c, const std::string& input) {
    Outcome whole = run_stream(c, {input});
    std::vector<std::pair<std::string, std::vector<std::string>>> chunkings = {
        {"1-byte", test::chunks_of(input, 1)}};
    for (unsigned seed : {1u, 7u, 42u}) {
        chunkings.emplace_back("random seed " + std::to_string(seed),
                               test::random_chunks(input, seed, 64));
    }
    for (const auto& [label, pieces] : chunkings) {
        Outcome other = run_stream(c, pieces);
        EXPECT_EQ(other.output, whole.output) << label << " chunking changed the output";
        EXPECT_EQ(other.losses, whole.losses) << label << " chunking changed the losses";
        EXPECT_EQ(other.error, whole.error) << label << " chunking changed the error";
    }
    return whole;
}

Json parse_output(const GoldenCase& c, const std::string& text) {
    if (c.kind == "stream") return test::sse_as_json(text);
    return text.empty() ? Json() : test::parse_or_fail(text);
}

void write_expected(const GoldenCase& c, const Outcome& got) {
    std::string expected = c.dir + (c.kind == "stream" ? "/expected.sse" : "/expected.json");
    std::error_code ec;
    if (got.output.empty()) {
        fs::remove(expected, ec);
    } else {
        test::write_file(expected, got.output);
    }
    test::write_file(c.dir + "/losses.json", got.losses.dump(2) + "\n");
    if (got.error.is_null()) {
        fs::remove(c.dir + "/error.json", ec);
    } else {
        test::write_file(c.dir + "/error.json", got.error.dump(2) + "\n");
    }
}

void compare(const char* what, const Json& expected, const Json& actual) {
    EXPECT_EQ(expected, actual) << what << " differs; patch from expected to actual:\n"
                                << test::json_diff(expected, actual)
                                << "\n(run with UPDATE_GOLDEN=1 to accept, after reviewing)";
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, TranslatesAsExpected) {
    const GoldenCase& c = GetParam();
    SCOPED_TRACE(case_label(c));
    bool ok = false;
    std::string input =
        test::read_file(c.dir + (c.kind == "stream" ? "/input.sse" : "/input.json"), &ok);
    ASSERT_TRUE(ok) << "no input file in " << c.dir;
    Outcome got = c.kind == "stream" ? run_stream_all_chunkings(c, input) : run_body(c, input);
    if (test::update_golden()) {
        write_expected(c, got);
        return;
    }
    std::string expected_file = c.kind == "stream" ? "/expected.sse" : "/expected.json";
    std::string expected_text = test::read_file(c.dir + expected_file);
    compare("output", parse_output(c, expected_text), parse_output(c, got.output));
    compare("losses", test::parse_or_fail(test::read_file(c.dir + "/losses.json")), got.losses);
    bool has_error_file = false;
    std::string error_text = test::read_file(c.dir + "/error.json", &has_error_file);
    compare("error", has_error_file ? test::parse_or_fail(error_text) : Json(), got.error);
}

std::string param_name(const ::testing::TestParamInfo<GoldenCase>& info) {
    std::string name = case_label(info.param);
    for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, ::testing::ValuesIn(discover_cases()), param_name);

// The suite must not pass by finding nothing (a wrong path, a filesystem Wasm cannot see).
TEST(GoldenDiscovery, FindsCasesForEveryKindAndDirection) {
    auto cases = discover_cases();
    for (const char* kind : {"request", "response", "stream"}) {
        for (Protocol from : {Protocol::Chat, Protocol::Responses, Protocol::Messages}) {
            for (Protocol to : {Protocol::Chat, Protocol::Responses, Protocol::Messages}) {
                if (from == to) continue;
                bool found = std::any_of(cases.begin(), cases.end(), [&](const GoldenCase& c) {
                    return c.kind == kind && c.from == from && c.to == to;
                });
                EXPECT_TRUE(found) << "no golden case for " << kind << " "
                                   << protocol_name(from) << "-to-" << protocol_name(to);
            }
        }
    }
}

}  // namespace
}  // namespace wirecheck
