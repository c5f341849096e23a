// The `wirecheck` command line: one subcommand per job, each defined in its own file.
#include <CLI/CLI.hpp>

#include <iostream>

#include "serve.hpp"
#include "static_site.hpp"
#include "translate_command.hpp"

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
    return 0;
}
