// `wirecheck translate`: one request, response or SSE stream from a file or stdin, translated to
// another protocol. Output on stdout, losses on stderr (text or JSON). Exit 0 ok, 1 when the input
// cannot be translated (`error: <code> at <pointer>: <message>`), 2 on usage errors (CLI11).
#pragma once

#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace wirecheck::cli {

struct TranslateCommandOptions {
    std::string from;
    std::string to;
    std::string kind = "request";  // request | response | stream
    std::string losses = "text";   // text | json
    std::string input = "-";       // a file, or "-" for stdin
};

// Declares the subcommand and its options (validated by CLI11: bad values exit 2).
CLI::App* add_translate_command(CLI::App& app, TranslateCommandOptions& options);

// Runs it on `in` (used when options.input is "-"). Streams are translated as bytes arrive.
int run_translate(const TranslateCommandOptions& options, std::istream& in, std::ostream& out,
                  std::ostream& err);

}  // namespace wirecheck::cli
