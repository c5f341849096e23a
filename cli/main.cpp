// The `wirecheck` command line: one subcommand per job, each defined in its own file.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "probe_command.hpp"
#include "serve.hpp"
#include "static_site.hpp"
#include "translate_command.hpp"
#include "wirecheck/translate.hpp"

namespace {

std::atomic<bool> interrupted{false};

// First Ctrl-C: stop the probe and print what it found; a second one kills as usual.
void on_interrupt(int) {
    interrupted = true;
    std::signal(SIGINT, SIG_DFL);
}

int probe(wirecheck::cli::ProbeCommandOptions& options, bool no_color) {
    const char* key = std::getenv(options.api_key_env.c_str());
    options.api_key = key ? key : "";
    const char* no_color_env = std::getenv("NO_COLOR");
    bool tty = isatty(STDERR_FILENO);
    options.color = tty && isatty(STDOUT_FILENO) && !no_color && !(no_color_env && *no_color_env);
    options.progress_bar = tty;
    std::signal(SIGINT, on_interrupt);
    return wirecheck::cli::run_probe(options, std::cout, std::cerr, &interrupted);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"wirecheck: will this endpoint + model work with Codex, Claude Code and chat apps?"};
    app.set_version_flag("--version", std::string("wirecheck ") + WIRECHECK_VERSION);
    app.require_subcommand(1);

    wirecheck::cli::ServeOptions serve;
    CLI::App* serve_cmd = app.add_subcommand("serve", "Serve the web playground on this machine");
    serve_cmd->add_option("--host", serve.host, "Address to listen on (loopback unless you mean it)")
        ->capture_default_str();
    serve_cmd->add_option("--port", serve.port, "TCP port; 0 picks a free one")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    serve_cmd->add_flag("--open", serve.open, "Open the page in the default browser");
    serve_cmd->add_flag("--allow-remote-relay", serve.allow_remote_relay,
                        "Keep the page's CORS relay on when --host is not loopback");
    serve_cmd->add_option("--web-root", serve.web_root, "Folder of the built playground")
        ->check(CLI::ExistingDirectory);
    // The protocol adapters (adapter_routes.hpp): /v1/responses, /v1/messages, /v1/chat/completions
    // and /v1/models on this port, translated to the upstream's protocol and back.
    wirecheck::cli::AdapterOptions& adapter = serve.adapter;
    std::string upstream_protocol = "chat";
    std::vector<std::string> model_map;
    serve_cmd->add_option("--upstream", adapter.upstream,
                          "Serve protocol adapters for this upstream base URL (with or without /v1)");
    serve_cmd->add_option("--upstream-protocol", upstream_protocol, "What the upstream speaks")
        ->check(CLI::IsMember({"chat", "responses", "messages"}))
        ->capture_default_str();
    serve_cmd->add_option("--upstream-key-env", adapter.upstream_key_env,
                          "Environment variable holding the upstream key (default: forward the "
                          "client's own Authorization / x-api-key)");
    serve_cmd->add_option("--model-map", model_map,
                          "FROM=TO: send model FROM upstream as TO; FROM may end in * (repeatable)");
    serve_cmd->add_option("--upstream-connect-timeout", adapter.timeouts.connect_s,
                          "Seconds to connect to the upstream")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    serve_cmd->add_option("--upstream-idle-timeout", adapter.timeouts.idle_s,
                          "Seconds the upstream may send nothing before the request fails")
        ->check(CLI::Range(1, 86400))
        ->capture_default_str();
    serve_cmd->add_option("--upstream-timeout", adapter.timeouts.total_s,
                          "Seconds for a whole upstream request, 0 = no limit")
        ->check(CLI::Range(0, 86400))
        ->capture_default_str();

    wirecheck::cli::TranslateCommandOptions translate;
    CLI::App* translate_cmd = wirecheck::cli::add_translate_command(app, translate);

    wirecheck::cli::ProbeCommandOptions probe_options;
    CLI::App* probe_cmd = wirecheck::cli::add_probe_command(app, probe_options);
    bool no_color = false;
    probe_cmd->add_flag("--no-color", no_color, "No ANSI colours (also: NO_COLOR=1)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help/--version exit 0; any usage error exits 2, as documented.
        return app.exit(e) == 0 ? 0 : 2;
    }

    if (serve_cmd->parsed()) {
        if (serve.web_root.empty()) serve.web_root = wirecheck::cli::default_web_root(argv[0]);
        if (!adapter.upstream.empty()) {
            std::string error;
            bool http = adapter.upstream.rfind("http://", 0) == 0 ||
                        adapter.upstream.rfind("https://", 0) == 0;
            if (!http)
                error = "--upstream must start with http:// or https://: " + adapter.upstream;
            else
                wirecheck::cli::parse_model_map(model_map, adapter.model_map, error);
            if (!error.empty()) {
                std::cerr << "wirecheck serve: " << error << "\n";
                return 2;
            }
            adapter.upstream_protocol = *wirecheck::protocol_from_name(upstream_protocol);
            if (!adapter.upstream_key_env.empty()) {
                const char* key = std::getenv(adapter.upstream_key_env.c_str());
                if (key && *key) {
                    adapter.upstream_key = key;
                } else {
                    std::cerr << "wirecheck serve: WARNING: $" << adapter.upstream_key_env
                              << " is not set; forwarding the clients' own keys\n";
                }
            }
            adapter.log = true;
        } else if (!model_map.empty() || !adapter.upstream_key_env.empty()) {
            std::cerr << "wirecheck serve: --model-map and --upstream-key-env need --upstream URL\n";
            return 2;
        }
        return wirecheck::cli::run_serve(serve);
    }
    if (translate_cmd->parsed()) {
        return wirecheck::cli::run_translate(translate, std::cin, std::cout, std::cerr);
    }
    if (probe_cmd->parsed()) return probe(probe_options, no_color);
    return 0;
}
