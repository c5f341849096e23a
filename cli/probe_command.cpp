// `wirecheck probe` (probe_command.hpp). The suite, checks, verdicts and report formats are the
// core's (probe.hpp, verdict.hpp, report.hpp); this file picks the transport and does the output.
#include "probe_command.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <set>

#include "curl_transport.hpp"
#include "wirecheck/report.hpp"
#include "wirecheck/sim_transport.hpp"

namespace wirecheck::cli {
namespace {

constexpr int kExitReady = 0, kExitNotReady = 1, kExitUsage = 2;

// Where `wirecheck serve` (default port) exposes a scenario: an in-process run reports the URL
// the same probe would use over HTTP, so its recommendations work when pasted.
std::string scenario_base_url(const std::string& name) {
    return "http://127.0.0.1:8080/sim/" + name;
}

// Prints each step once it has finished, and on a terminal a bar under them.
class Progress {
  public:
    Progress(std::ostream& err, bool color, bool bar) : err_(err), color_(color), bar_(bar) {}

    void update(const ProbeRun& run) {
        std::size_t done = 0;
        std::string running;
        for (const StepEvidence& s : run.steps()) {
            if (s.status == StepStatus::Running) running += (running.empty() ? "" : ", ") + s.id;
            if (s.status == StepStatus::Pending || s.status == StepStatus::Running) continue;
            ++done;
            if (!printed_.insert(s.id).second) continue;
            clear_bar();
            err_ << step_summary_line(s, color_) << "\n";
        }
        if (bar_ && done < run.steps().size()) draw_bar(done, run.steps().size(), running);
        err_.flush();
    }
    void end() { clear_bar(); }

  private:
    void clear_bar() {
        if (!bar_text_.empty()) err_ << "\r\x1b[2K";
        bar_text_.clear();
    }
    // Redrawn only when it changes: "[#####-----] 5/14 steps  running chat.tools, ..."
    void draw_bar(std::size_t done, std::size_t total, const std::string& running) {
        const std::size_t width = 30, filled = width * done / total;
        std::string text = "[" + std::string(filled, '#') + std::string(width - filled, '-') +
                           "] " + std::to_string(done) + "/" + std::to_string(total) + " steps";
        if (!running.empty()) text += "  running " + running.substr(0, 60);
        if (text == bar_text_) return;
        clear_bar();
        err_ << text;
        bar_text_ = text;
    }

    std::ostream& err_;
    bool color_, bar_;
    std::string bar_text_;  // what the bar shows now ("" = not drawn)
    std::set<std::string> printed_;
};

std::string render(const ProbeReport& report, const std::string& format, const std::string& lang,
                   bool color) {
    if (format == "json") return report_json_text(report) + "\n";
    if (format == "junit") return report_junit(report);
    if (format == "markdown")
        return report_markdown(report, lang == "zh" ? Language::Chinese : Language::English);
    return report_table(report, color);
}

// 0 when every required client is READY (or READY WITH LIMITATIONS / READY VIA ADAPTER when
// allowed), else 1; each required client not ready is named on stderr with what would pass.
int exit_code(const ProbeReport& report, const ProbeCommandOptions& o, std::ostream& err) {
    int code = kExitReady;
    for (const std::string& name : o.require) {
        const Verdict* verdict = nullptr;
        for (const Verdict& v : report.verdicts) {
            if (client_name(v.client) == name) verdict = &v;
        }
        Code level = verdict ? verdict->level : Code::VerdictNotReady;
        bool ok = verdict && (level == Code::VerdictReady ||
                              (o.allow_limitations && level == Code::VerdictReadyWithLimitations) ||
                              (o.allow_adapter && level == Code::VerdictReadyViaAdapter));
        if (ok) continue;
        code = kExitNotReady;
        err << "wirecheck: required client " << name << " is ";
        if (!verdict) {
            err << "not probed (its steps were not run)\n";
            continue;
        }
        err << verdict_info(level)->en;
        if (level == Code::VerdictReadyViaAdapter) err << " (add --allow-adapter to accept that)";
        if (level == Code::VerdictReadyWithLimitations)
            err << " (add --allow-limitations to accept that)";
        err << "\n";
    }
    return code;
}

}  // namespace

CLI::App* add_probe_command(CLI::App& app, ProbeCommandOptions& o) {
    CLI::App* cmd = app.add_subcommand(
        "probe", "Probe an endpoint + model and say whether Codex, Claude Code and chat apps will work");
    cmd->add_option("--base-url", o.base_url, "Endpoint base URL, with or without /v1");
    cmd->add_option("--model", o.model, "Model id (with --scenario: defaults to its first model)");
    cmd->add_option("--api-key-env", o.api_key_env, "Environment variable holding the API key")
        ->capture_default_str();
    cmd->add_option("--chat-base-url", o.chat_base_url, "Base URL for /v1/chat/completions only");
    cmd->add_option("--responses-base-url", o.responses_base_url, "Base URL for /v1/responses only");
    cmd->add_option("--messages-base-url", o.messages_base_url,
                    "Base URL for /v1/messages only (e.g. https://host/anthropic)");
    std::vector<std::string> names;
    for (const BuiltinScenario& s : builtin_scenarios()) names.push_back(s.name);
    cmd->add_option("--scenario", o.scenario, "Probe a built-in simulated endpoint, in process")
        ->check(CLI::IsMember(names));
    cmd->add_option("--steps", o.steps, "Step ids to run (comma-separated; default: all)")
        ->delimiter(',');
    cmd->add_option("--format", o.format, "Report format")
        ->check(CLI::IsMember({"table", "markdown", "json", "junit"}))
        ->capture_default_str();
    cmd->add_option("--lang", o.lang, "Language of the report's text: Markdown headings, verdicts, recommendations")
        ->check(CLI::IsMember({"en", "zh"}))
        ->capture_default_str();
    cmd->add_option("--out", o.out, "Write the report to this file (the table still goes to stdout)");
    cmd->add_option("--require", o.require, "Clients that must be ready for exit status 0")
        ->delimiter(',')
        ->check(CLI::IsMember({"codex", "claude-code", "chat"}));
    cmd->add_flag("--allow-adapter", o.allow_adapter, "READY VIA ADAPTER counts as ready");
    cmd->add_flag("--allow-limitations", o.allow_limitations,
                  "READY WITH LIMITATIONS counts as ready");
    cmd->add_option("--timeout", o.timeout_s, "Seconds one request may take")
        ->check(CLI::Range(0.05, 3600.0))
        ->capture_default_str();
    cmd->add_option("--budget", o.budget, "max_tokens of every step but chat.budget")
        ->check(CLI::Range(16LL, 1000000LL))
        ->capture_default_str();
    cmd->add_option("--parallel", o.parallel, "Requests in flight at once")
        ->check(CLI::Range(1, 16))
        ->capture_default_str();
    // A key on the command line ends up in shell history and `ps` output: refuse it, kindly.
    auto refuse_key = [](const std::string&) {
        return std::string(
            "an API key on the command line is visible in `ps` and your shell history; "
            "put it in an environment variable instead: export WIRECHECK_API_KEY=... "
            "(or name another with --api-key-env VAR)");
    };
    cmd->add_option("--api-key,--key", "Refused: use --api-key-env")->check(refuse_key);
    return cmd;
}

int run_probe(const ProbeCommandOptions& o, std::ostream& out, std::ostream& err,
              const std::atomic<bool>* interrupt) {
    ProbeConfig config;
    config.base_url = o.scenario.empty() ? o.base_url : scenario_base_url(o.scenario);
    config.api_key = o.api_key;
    config.model = o.model;
    config.chat_base_url = o.chat_base_url;
    config.responses_base_url = o.responses_base_url;
    config.messages_base_url = o.messages_base_url;
    config.steps = o.steps;
    config.max_output_tokens = o.budget;
    config.timeout_ms = static_cast<std::int64_t>(o.timeout_s * 1000);
    config.idle_timeout_ms = std::min(config.idle_timeout_ms, config.timeout_ms);
    config.max_parallel = static_cast<std::size_t>(o.parallel);

    std::optional<Simulator> simulator;
    if (!o.scenario.empty()) {
        if (!o.base_url.empty()) {
            err << "wirecheck: --scenario runs in process; drop --base-url (or --scenario)\n";
            return kExitUsage;
        }
        simulator = builtin_simulator(o.scenario);
        if (config.model.empty() && !simulator->model_ids().empty())
            config.model = simulator->model_ids().front();
    } else if (o.base_url.empty()) {
        err << "wirecheck: --base-url is required (or --scenario NAME to probe a simulated "
               "endpoint)\n";
        return kExitUsage;
    }
    if (config.model.empty()) {
        err << "wirecheck: --model is required (GET <base-url>/v1/models lists the ids)\n";
        return kExitUsage;
    }
    if (simulator.has_value() == false && config.api_key.empty()) {
        err << "wirecheck: note: $" << o.api_key_env
            << " is empty, probing without a key (expect 401 from most endpoints)\n";
    }

    auto run = ProbeRun::create(config);
    if (!run.ok()) {
        err << "wirecheck: " << run.error().message << "\n";
        return kExitUsage;
    }
    Progress progress(err, o.color, o.progress_bar);
    if (simulator) {
        // The scenario's paths live under /sim/<name> on `wirecheck serve`; the simulator's at /.
        const std::string prefix = "/sim/" + o.scenario;
        SimTransport transport([&](const HttpRequest& request, const std::string& path) {
            std::string local = path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path;
            return simulator->handle(request.method, local, request.headers, request.body);
        });
        while (transport.step(*run)) progress.update(*run);
    } else {
        run_with_curl(*run, [&] { progress.update(*run); }, interrupt);
    }
    progress.update(*run);
    progress.end();

    ProbeReport report = run->report(o.lang == "zh" ? Language::Chinese : Language::English);
    if (!o.out.empty()) {
        std::ofstream file(o.out, std::ios::binary);
        file << render(report, o.format, o.lang, false);
        if (!file.flush()) {
            err << "wirecheck: cannot write " << o.out << "\n";
            return kExitUsage;
        }
        out << render(report, "table", o.lang, o.color);
    } else {
        out << render(report, o.format, o.lang, o.color && o.format == "table");
    }
    out.flush();
    if (interrupt && interrupt->load()) {
        err << "wirecheck: interrupted; the report covers the steps that finished\n";
        return kExitNotReady;
    }
    return exit_code(report, o, err);
}

}  // namespace wirecheck::cli
