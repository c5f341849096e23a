// `wirecheck probe`: runs the probe suite against an endpoint over HTTP (libcurl) or against a
// built-in scenario in process (--scenario, no network), prints live progress on stderr and the
// report on stdout (or --out), and exits 0 when the required clients are READY (--allow-adapter,
// --allow-limitations widen that), 1 when not, 2 on usage or configuration errors. The API key only ever comes from an environment variable.
#pragma once

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace wirecheck::cli {

struct ProbeCommandOptions {
    std::string base_url;
    std::string model;
    std::string api_key_env = "WIRECHECK_API_KEY";
    std::string api_key;  // filled from api_key_env by the caller, never from the command line
    std::string chat_base_url, responses_base_url, messages_base_url;
    std::string scenario;             // a built-in scenario, run in process
    std::vector<std::string> steps;   // empty = the whole suite
    std::string format = "table";     // table | markdown | json | junit
    std::string lang = "en";          // en | zh (markdown)
    std::string out;                  // a file for the report; the table then goes to stdout
    std::vector<std::string> require; // codex, claude-code, chat
    bool allow_adapter = false;
    bool allow_limitations = false;
    double timeout_s = 120;
    long long budget = 1024;
    int parallel = 4;
    bool color = false;        // ANSI colours (the caller decides: TTY, NO_COLOR, --no-color)
    bool progress_bar = false; // a live bar on stderr (the caller decides: stderr is a TTY)
};

// Declares the subcommand; `--api-key`/`--key` are accepted only to be refused with a hint.
CLI::App* add_probe_command(CLI::App& app, ProbeCommandOptions& options);

// Runs the probe. `interrupt` (Ctrl-C) cancels it; the partial report is still printed.
int run_probe(const ProbeCommandOptions& options, std::ostream& out, std::ostream& err,
              const std::atomic<bool>* interrupt = nullptr);

}  // namespace wirecheck::cli
