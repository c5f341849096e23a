// The probe run fed arbitrary responses, on core's SimTransport (virtual clock, no sockets).
// Input: a selector byte (browser, language, colour, whole suite or one step), then replies
// separated by "\n====\n", handed out to the run's requests in turn (cycling).
// A reply's first line is "<status> <content-type> [drop] [fail] [slow]"; the rest is the body,
// delivered in chunks split at 0x1E bytes. The report is then rendered in every format.
#include <string>

#include "fuzz_util.hpp"
#include "wirecheck/probe.hpp"
#include "wirecheck/report.hpp"
#include "wirecheck/sim_transport.hpp"

using namespace wirecheck;

namespace {

constexpr std::string_view kReplySeparator = "\n====\n";

std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
    std::vector<std::string_view> parts;
    for (;;) {
        std::size_t at = text.find(separator);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos) return parts;
        text.remove_prefix(at + separator.size());
    }
}

bool has_word(std::string_view line, std::string_view word) {
    for (std::string_view w : split(line, " ")) {
        if (w == word) return true;
    }
    return false;
}

SimReply reply_from(std::string_view text) {
    SimReply reply;
    std::size_t eol = text.find('\n');
    std::string_view head = text.substr(0, eol);
    std::string_view body = eol == std::string_view::npos ? "" : text.substr(eol + 1);
    std::vector<std::string_view> words = split(head, " ");
    int status = 0;
    for (char c : words[0]) {
        if (c < '0' || c > '9' || status > 999) break;
        status = status * 10 + (c - '0');
    }
    reply.status = status;
    if (words.size() > 1) reply.headers.emplace_back("Content-Type", std::string(words[1]));
    reply.drop_after_chunks = has_word(head, "drop");
    if (has_word(head, "fail")) {
        reply.failure = FailureKind::Cors;
        reply.failure_message = "blocked";
    }
    // Past the idle timeout: exercises the run's timeout path.
    if (has_word(head, "slow")) reply.delay_ms_per_chunk = 70000;
    for (std::string_view chunk : split(body, "\x1e")) reply.chunks.emplace_back(chunk);
    return reply;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    std::uint8_t selector = fuzz::take_selector(input);
    std::vector<SimReply> replies;
    for (std::string_view text : split(input, kReplySeparator)) replies.push_back(reply_from(text));

    ProbeConfig config;
    config.base_url = "http://sim.test";
    config.api_key = "sk-fuzz-0123456789";
    config.model = "fuzz-model";
    // Selector bit 3 runs the whole suite (verdicts over every step); otherwise one step, picked
    // by the high bits: ~15x more executions per second for the decoding and checking paths.
    if (!(selector & 8)) {
        const auto& suite = probe_suite();
        config.steps = {std::string(suite[(selector >> 4) % suite.size()].id)};
    }
    auto run = ProbeRun::create(config);
    if (!run.ok()) fuzz::invariant_broken("the fixed probe config was refused");

    std::size_t next = 0;
    SimResponder respond = [&](const HttpRequest&, const std::string&) {
        return replies[next++ % replies.size()];
    };
    SimTransport transport(respond, /*browser=*/selector & 1);
    transport.run_to_end(run.value());
    if (!run->finished()) fuzz::invariant_broken("the probe run did not finish");

    ProbeReport report = run->report();
    (void)report_json_text(report);
    (void)report_markdown(report, selector & 2 ? Language::Chinese : Language::English);
    (void)report_junit(report);
    (void)report_table(report, selector & 4);
    return 0;
}
