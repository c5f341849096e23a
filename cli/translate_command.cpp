// `wirecheck translate` (translate_command.hpp): reads the input, runs the core's translate API,
// prints the result and the losses. All protocol logic is in core/ (wirecheck/translate.hpp).
#include "translate_command.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <iterator>

#include "wirecheck/translate.hpp"

namespace wirecheck::cli {
namespace {

void print_losses(const Losses& losses, const std::string& format, std::ostream& err) {
    if (format == "json") {
        Json list = Json::array();
        for (const Loss& l : losses) {
            list.push_back(Json{{"code", code_name(l.code)},
                                {"severity", severity_name(l.severity)},
                                {"json_pointer", l.pointer},
                                {"message", l.message}});
        }
        err << list.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
        return;
    }
    for (const Loss& l : losses) {
        err << severity_name(l.severity) << " " << code_name(l.code) << " at "
            << (l.pointer.empty() ? "(document)" : l.pointer) << ": " << l.message << "\n";
    }
}

int report_error(const Error& error, std::ostream& err) {
    err << "error: " << code_name(error.code) << " at "
        << (error.pointer.empty() ? "(document)" : error.pointer) << ": " << error.message << "\n";
    return 1;
}

int translate_stream(Protocol from, Protocol to, const TranslateCommandOptions& options,
                     std::istream& in, std::ostream& out, std::ostream& err) {
    StreamTranslator translator(from, to);
    std::string line;
    std::string written;
    Status status;
    // Line by line (SSE is line-oriented), so `curl -N ... | wirecheck translate` streams: each
    // event goes out as soon as its blank line arrives rather than when a buffer fills.
    while (status.ok() && std::getline(in, line)) {
        if (!in.eof()) line += '\n';  // the last line may lack its newline
        status = translator.feed(line, written);
        out << written << std::flush;
        written.clear();
    }
    if (status.ok()) status = translator.finish(written);
    out << written << std::flush;
    print_losses(translator.losses(), options.losses, err);
    return status.ok() ? 0 : report_error(status.error(), err);
}

}  // namespace

CLI::App* add_translate_command(CLI::App& app, TranslateCommandOptions& options) {
    const std::vector<std::string> protocols = {"chat", "responses", "messages"};
    CLI::App* cmd = app.add_subcommand(
        "translate", "Translate a request, response or SSE stream to another protocol");
    cmd->add_option("--from", options.from, "Protocol of the input")
        ->required()
        ->check(CLI::IsMember(protocols));
    cmd->add_option("--to", options.to, "Protocol to translate to")
        ->required()
        ->check(CLI::IsMember(protocols));
    cmd->add_option("--kind", options.kind, "What the input is")
        ->check(CLI::IsMember({"request", "response", "stream"}))
        ->capture_default_str();
    cmd->add_option("--losses", options.losses, "Format of the losses printed on stderr")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    cmd->add_option("input", options.input, "Input file, or - for stdin")->capture_default_str();
    return cmd;
}

int run_translate(const TranslateCommandOptions& options, std::istream& in, std::ostream& out,
                  std::ostream& err) {
    auto from = protocol_from_name(options.from);
    auto to = protocol_from_name(options.to);
    if (!from || !to) {
        err << "error: --from and --to must be chat, responses or messages\n";
        return 2;
    }
    std::ifstream file;
    std::istream* source = &in;
    if (options.input != "-") {
        file.open(options.input, std::ios::binary);
        if (!file) {
            err << "error: cannot read " << options.input << "\n";
            return 2;
        }
        source = &file;
    }
    if (options.kind == "stream") return translate_stream(*from, *to, options, *source, out, err);

    std::string body((std::istreambuf_iterator<char>(*source)), std::istreambuf_iterator<char>());
    auto result = options.kind == "response" ? translate_response(*from, *to, body)
                                             : translate_request(*from, *to, body);
    if (!result.ok()) return report_error(result.error(), err);
    out << indent_json(result->output) << "\n";
    print_losses(result->losses, options.losses, err);
    return 0;
}

}  // namespace wirecheck::cli
