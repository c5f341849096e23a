// The `wirecheck` command line: one subcommand per job, each defined in its own file.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "probe_command.hpp"
#include "serve.hpp"
#include "static_site.hpp"
#include "translate_command.hpp"

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
    serve_cmd->add_option("--web-root", serve.web_root, "Folder of the built playground")
        ->check(CLI::ExistingDirectory);

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
        return wirecheck::cli::run_serve(serve);
    }
    if (translate_cmd->parsed()) {
        return wirecheck::cli::run_translate(translate, std::cin, std::cout, std::cerr);
    }
    if (probe_cmd->parsed()) return probe(probe_options, no_color);
    return 0;
}
