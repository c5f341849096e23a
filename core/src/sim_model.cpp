// The simulated model: reads a canonical request and composes the canonical reply a plausible model
// would give to THAT request (echo "Return exactly: X", call an offered tool with arguments built
// from its schema, answer after the tool result), then applies the profile's token rules (reasoning
// spent first, everything counted against the output budget). Rules: docs/scenarios.md "The model".
//
// Sections: tokens · ids · reading the conversation · exact answers · choosing a tool ·
//           arguments · answers after tool results · composing the reply
#include <algorithm>
#include <cctype>

#include "sim_internal.hpp"

namespace wirecheck {
namespace sim {
namespace {

// ---- small text helpers -------------------------------------------------------------------------

bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && is_space(s[b])) ++b;
    while (e > b && is_space(s[e - 1])) --e;
    return std::string(s.substr(b, e - b));
}

// Length of the UTF-8 sequence starting with `lead` (1 for stray continuation bytes).
std::size_t utf8_length(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

// At most `max_chars` code points of `s`, with "..." when cut.
std::string excerpt(std::string_view s, std::size_t max_chars) {
    std::size_t i = 0, chars = 0;
    while (i < s.size() && chars < max_chars) {
        i += std::min(utf8_length(static_cast<unsigned char>(s[i])), s.size() - i);
        ++chars;
    }
    return i < s.size() ? std::string(s.substr(0, i)) + "..." : std::string(s);
}

std::string first_line(std::string_view s) {
    std::string t = trim(s);
    std::size_t nl = t.find('\n');
    return nl == std::string::npos ? t : trim(std::string_view(t).substr(0, nl));
}

// Lowercase words of `s` (runs of ASCII letters and digits; '_' '-' '.' and camelCase split).
std::vector<std::string> words_of(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        bool boundary = i > 0 && std::isupper(static_cast<unsigned char>(c)) &&
                        std::islower(static_cast<unsigned char>(s[i - 1]));
        if (!is_alnum(c) || boundary) {
            if (!cur.empty()) out.push_back(lower(cur));
            cur.clear();
        }
        if (is_alnum(c)) cur += c;
    }
    if (!cur.empty()) out.push_back(lower(cur));
    return out;
}

// A crude stem so "running" meets "run" and "timezones" meets "timezone".
std::string stem(std::string w) {
    auto ends = [&](const char* suffix) {
        std::string_view sv(suffix);
        return w.size() > sv.size() + 2 && w.compare(w.size() - sv.size(), sv.size(), sv) == 0;
    };
    if (ends("ing") || ends("ies")) {
        w.resize(w.size() - 3);
    } else if (ends("ed") || ends("es")) {
        w.resize(w.size() - 2);
    } else if (ends("s") && !ends("ss")) {
        w.resize(w.size() - 1);
    }
    if (w.size() > 3 && w[w.size() - 1] == w[w.size() - 2]) w.pop_back();  // runn -> run
    return w;
}

bool contains_word(const std::vector<std::string>& stems, const std::string& word) {
    return std::find(stems.begin(), stems.end(), stem(word)) != stems.end();
}

}  // namespace

// ---- tokens -------------------------------------------------------------------------------------
// words: a run of up to 4 ASCII letters/digits (with one leading space attached), or one other
// character (punctuation, a newline, one CJK character). chars: one token per character.

std::vector<std::string_view> tokenize(std::string_view text, Tokenizer tokenizer) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t start = i;
        if (tokenizer == Tokenizer::Words) {
            if (text[i] == ' ' && i + 1 < text.size() && is_alnum(text[i + 1])) ++i;
            if (is_alnum(text[i])) {
                std::size_t run = 0;
                while (i < text.size() && is_alnum(text[i]) && run < 4) {
                    ++i;
                    ++run;
                }
                out.push_back(text.substr(start, i - start));
                continue;
            }
        }
        i += std::min(utf8_length(static_cast<unsigned char>(text[i])), text.size() - i);
        out.push_back(text.substr(start, i - start));
    }
    return out;
}

std::int64_t count_tokens(std::string_view text, Tokenizer tokenizer) {
    return static_cast<std::int64_t>(tokenize(text, tokenizer).size());
}

std::int64_t count_request_tokens(const Request& request, Tokenizer tokenizer) {
    std::int64_t n = 0;
    auto count = [&](std::string_view s) { n += count_tokens(s, tokenizer); };
    for (const Turn& turn : request.turns) {
        n += 3;  // role and separators
        for (const Part& part : turn.parts) {
            if (const auto* t = std::get_if<TextPart>(&part)) count(t->text);
            if (std::holds_alternative<ImagePart>(part)) n += 85;  // OpenAI's low-detail image cost
            if (const auto* c = std::get_if<ToolCallPart>(&part)) {
                count(c->name);
                count(c->arguments);
            }
            if (const auto* r = std::get_if<ToolResultPart>(&part)) {
                for (const auto& content : r->content) {
                    if (const auto* t = std::get_if<TextPart>(&content.value)) count(t->text);
                }
            }
            if (const auto* r = std::get_if<ReasoningPart>(&part)) count(r->text);
        }
    }
    for (const Tool& tool : request.tools) {
        count(tool.name);
        count(tool.description);
        if (!tool.parameters.is_null()) count(tool.parameters.text());
    }
    return n;
}

// ---- ids ----------------------------------------------------------------------------------------

IdMint::IdMint(std::string_view seed_text) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a 64
    for (char c : seed_text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    seed_ = h;
}

std::string IdMint::hex(std::size_t length) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    while (out.size() < length) {
        std::uint64_t z = seed_ + 0x9E3779B97F4A7C15ull * ++counter_;  // splitmix64
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        for (int i = 0; i < 16 && out.size() < length; ++i) out += digits[(z >> (4 * i)) & 0xF];
    }
    return out;
}

namespace {

// ---- reading the conversation ----------------------------------------------------------------

std::string result_text(const ToolResultPart& result) {
    std::string out;
    for (const auto& content : result.content) {
        if (const auto* t = std::get_if<TextPart>(&content.value)) {
            if (!out.empty()) out += "\n";
            out += t->text;
        }
    }
    return trim(out);
}

struct Conversation {
    std::string prompt;                              // the last user text block
    std::vector<const ToolResultPart*> new_results;  // tool results after the last assistant turn
    std::vector<const ToolCallPart*> calls;          // every tool call in the history
};

Conversation read_conversation(const Request& request) {
    Conversation c;
    std::size_t last_assistant = request.turns.size();
    for (std::size_t i = 0; i < request.turns.size(); ++i) {
        const Turn& turn = request.turns[i];
        if (turn.role == Role::Assistant) last_assistant = i;
        if (turn.role == Role::User) {
            // The last text block: clients put context first (Claude Code's <system-reminder>
            // blocks, Codex's <environment_context> turn) and the user's words last.
            for (const Part& part : turn.parts) {
                const auto* t = std::get_if<TextPart>(&part);
                if (t && !trim(t->text).empty()) c.prompt = t->text;
            }
        }
        for (const Part& part : turn.parts) {
            if (const auto* call = std::get_if<ToolCallPart>(&part)) c.calls.push_back(call);
        }
    }
    std::size_t from = last_assistant == request.turns.size() ? 0 : last_assistant + 1;
    for (std::size_t i = from; i < request.turns.size(); ++i) {
        for (const Part& part : request.turns[i].parts) {
            if (const auto* r = std::get_if<ToolResultPart>(&part)) c.new_results.push_back(r);
        }
    }
    return c;
}

// ---- exact answers -----------------------------------------------------------------------------
// "Return exactly: X" (any case; also "reply with exactly X", "say exactly X"): after a colon the
// rest of the line is X verbatim; without one, X is the next quoted span or word, without the
// sentence's closing punctuation. Quotes around X are removed.

std::string unquote(std::string s) {
    static const std::pair<std::string_view, std::string_view> pairs[] = {
        {"\"", "\""}, {"'", "'"}, {"`", "`"}, {"\xE2\x80\x9C", "\xE2\x80\x9D"}};
    for (const auto& [open, close] : pairs) {
        if (s.size() >= open.size() + close.size() && s.compare(0, open.size(), open) == 0 &&
            s.compare(s.size() - close.size(), close.size(), close) == 0) {
            return s.substr(open.size(), s.size() - open.size() - close.size());
        }
    }
    return s;
}

std::optional<std::string> exact_answer(const std::string& prompt) {
    std::string l = lower(prompt);
    std::size_t at = l.find("exactly");
    if (at == std::string::npos) return std::nullopt;
    std::size_t i = at + 7;
    while (i < prompt.size() && (prompt[i] == ' ' || prompt[i] == '\t')) ++i;
    if (i < prompt.size() && prompt[i] == ':') {
        std::size_t end = prompt.find('\n', i);
        std::string value =
            trim(prompt.substr(i + 1, end == std::string::npos ? end : end - i - 1));
        if (value.empty()) return std::nullopt;
        return unquote(value);
    }
    if (i >= prompt.size()) return std::nullopt;
    char q = prompt[i];
    if (q == '"' || q == '`' || q == '\'') {
        std::size_t end = prompt.find(q, i + 1);
        if (end != std::string::npos && end > i + 1) return prompt.substr(i + 1, end - i - 1);
    }
    std::size_t end = i;
    while (end < prompt.size() && !is_space(prompt[end])) ++end;
    std::string word = prompt.substr(i, end - i);
    while (!word.empty() && std::string_view(".,;!?").find(word.back()) != std::string::npos)
        word.pop_back();
    if (word.empty()) return std::nullopt;
    return word;
}

// ---- choosing a tool ----------------------------------------------------------------------------
// Offered function/custom tools (hosted ones are never called). tool_choice none: no call; a named
// choice: that tool; required: the best match, else the first tool. Otherwise a tool is called when
// its name words occur in the prompt (a "Return exactly" prompt only when it also asks for a tool)
// or when the prompt asks for one ("tool", "call", "run", ...), which picks the best match, else
// the first. Score: 10 for the tool's whole name in the prompt, 3 per name word in the prompt, 1
// per description word (5+ letters, at most 2), 3 for an exec/shell/bash/command/ terminal/run tool
// when the prompt asks to run or execute something.

const std::vector<std::string>& filler_words() {
    static const std::vector<std::string> words = {
        "get",      "set",  "the",  "and",  "for",   "with", "from",  "tool",
        "function", "this", "that", "use",  "call",  "when", "which", "your",
        "will",     "into", "each", "than", "other", "about"};
    return words;
}

bool is_filler(const std::string& w) {
    const auto& f = filler_words();
    return std::find(f.begin(), f.end(), w) != f.end();
}

bool asks_for_tool(const std::vector<std::string>& stems) {
    for (const char* w : {"tool", "call", "run", "execute", "invoke", "command", "shell"}) {
        if (contains_word(stems, w)) return true;
    }
    return false;
}

// "run a shell command", "execute ...": the prompt wants something executed.
bool asks_to_execute(const std::vector<std::string>& stems) {
    for (const char* w : {"run", "execute", "command", "shell", "terminal"}) {
        if (contains_word(stems, w)) return true;
    }
    return false;
}

bool executes_commands(const Tool& tool) {
    for (const std::string& w : words_of(tool.name)) {
        for (const char* x : {"exec", "shell", "bash", "command", "terminal", "run"}) {
            if (w == x) return true;
        }
    }
    return false;
}

// The tool's whole name as a word of the prompt ("use the Bash tool", "get_city_timezone").
bool mentions_name(const std::string& prompt_lower, const std::string& name_lower) {
    auto word_char = [](char c) { return is_alnum(c) || c == '_'; };
    for (std::size_t at = prompt_lower.find(name_lower);
         !name_lower.empty() && at != std::string::npos;
         at = prompt_lower.find(name_lower, at + 1)) {
        std::size_t end = at + name_lower.size();
        if ((at == 0 || !word_char(prompt_lower[at - 1])) &&
            (end == prompt_lower.size() || !word_char(prompt_lower[end])))
            return true;
    }
    return false;
}

int tool_score(const Tool& tool, const std::vector<std::string>& prompt_stems,
               const std::string& prompt_lower) {
    int score = 0;
    if (asks_to_execute(prompt_stems) && executes_commands(tool)) score += 3;
    if (mentions_name(prompt_lower, lower(tool.name))) score += 10;
    for (const std::string& w : words_of(tool.name)) {
        if (w.size() >= 3 && !is_filler(w) && contains_word(prompt_stems, w)) score += 3;
    }
    int described = 0;
    std::vector<std::string> seen;
    for (const std::string& w : words_of(tool.description)) {
        if (w.size() < 5 || is_filler(w) || std::find(seen.begin(), seen.end(), w) != seen.end())
            continue;
        seen.push_back(w);
        if (contains_word(prompt_stems, w)) ++described;
    }
    return score + std::min(described, 2);  // long descriptions must not outvote a name
}

const Tool* choose_tool(const Request& request, const std::string& prompt, bool has_exact) {
    std::vector<const Tool*> usable;
    for (const Tool& t : request.tools) {
        if (t.type != ToolType::Hosted) usable.push_back(&t);
    }
    if (usable.empty()) return nullptr;
    ToolChoice::Mode mode =
        request.tool_choice ? request.tool_choice->mode : ToolChoice::Mode::Auto;
    if (mode == ToolChoice::Mode::None) return nullptr;
    if (mode == ToolChoice::Mode::Named) {
        for (const Tool* t : usable) {
            if (t->name == request.tool_choice->name || t->flat_name() == request.tool_choice->name)
                return t;
        }
    }
    std::vector<std::string> stems;
    for (const std::string& w : words_of(prompt)) stems.push_back(stem(w));
    std::string prompt_lower = lower(prompt);
    const Tool* best = nullptr;
    int best_score = 0;
    for (const Tool* t : usable) {
        int s = tool_score(*t, stems, prompt_lower);
        if (s > best_score) {
            best = t;
            best_score = s;
        }
    }
    bool explicit_ask = asks_for_tool(stems);
    if (mode == ToolChoice::Mode::Required || mode == ToolChoice::Mode::Named)
        return best ? best : usable.front();
    if (has_exact && !explicit_ask) return nullptr;
    if (best_score >= 3) return best;  // a name word (or the whole name) is in the prompt
    if (explicit_ask) return best ? best : usable.front();
    return nullptr;
}

// ---- arguments ----------------------------------------------------------------------------------
// Built from the tool's JSON schema: its required properties (or, with none, the first string
// property). enum -> first value; integer/number -> the first number in the prompt, else minimum,
// else 1; boolean -> false; array -> []; object -> recursively; string -> by property name:
// cmd/command/script: a command (backticked text, or `echo Y > F` for "file F containing Y", else
// `ls`); *path*/*file*: a file name from the prompt (else README.md); url: a URL from the prompt;
// query/q/prompt/text/input/question/message/content/pattern: a quoted span, else the prompt;
// anything else (city, location, name, ...): a quoted span, else the first capitalised word that
// does not start a sentence (a proper noun, "Beijing"), else the prompt's first line.

std::optional<std::string> quoted_span(const std::string& prompt) {
    for (std::string_view q : {"`", "\"", "\xE2\x80\x9C"}) {
        std::string_view close = q == "\xE2\x80\x9C" ? "\xE2\x80\x9D" : q;
        std::size_t b = prompt.find(q);
        if (b == std::string::npos) continue;
        std::size_t e = prompt.find(close, b + q.size());
        if (e != std::string::npos && e > b + q.size())
            return prompt.substr(b + q.size(), e - b - q.size());
    }
    return std::nullopt;
}

std::optional<std::string> proper_noun(const std::string& prompt) {
    bool sentence_start = true;
    std::size_t i = 0;
    while (i < prompt.size()) {
        char c = prompt[i];
        if (std::string_view(".?!\n:").find(c) != std::string_view::npos) {
            sentence_start = true;
            ++i;
            continue;
        }
        if (!std::isalpha(static_cast<unsigned char>(c))) {
            ++i;
            continue;
        }
        std::size_t e = i;
        while (e < prompt.size() && (is_alnum(prompt[e]) || prompt[e] == '-')) ++e;
        std::string word = prompt.substr(i, e - i);
        bool capital = std::isupper(static_cast<unsigned char>(word[0])) != 0 &&
                       std::any_of(word.begin() + 1, word.end(), [](char ch) {
                           return std::islower(static_cast<unsigned char>(ch));
                       });
        if (capital && !sentence_start) return word;
        sentence_start = false;
        i = e;
    }
    return std::nullopt;
}

// "proof.txt": a word with a dot followed by 1-5 letters/digits.
std::optional<std::string> file_name(const std::string& prompt) {
    std::size_t i = 0;
    while (i < prompt.size()) {
        while (i < prompt.size() && is_space(prompt[i])) ++i;
        std::size_t e = i;
        while (e < prompt.size() && !is_space(prompt[e])) ++e;
        std::string w = prompt.substr(i, e - i);
        while (!w.empty() && std::string_view(".,;:!?)`'\"").find(w.back()) != std::string::npos)
            w.pop_back();
        while (!w.empty() && std::string_view("(`'\"").find(w.front()) != std::string::npos)
            w.erase(0, 1);
        std::size_t dot = w.rfind('.');
        if (dot != std::string::npos && dot > 0 && w.size() - dot - 1 >= 1 &&
            w.size() - dot - 1 <= 5 && w.find("://") == std::string::npos &&
            std::all_of(w.begin() + static_cast<long>(dot) + 1, w.end(), is_alnum)) {
            return w;
        }
        i = e;
    }
    return std::nullopt;
}

// "file proof.txt containing HARNESS_OK" -> {proof.txt, HARNESS_OK}.
std::optional<std::pair<std::string, std::string>> file_with_content(const std::string& prompt) {
    std::string l = lower(prompt);
    std::size_t c = l.find(" containing ");
    if (c == std::string::npos) return std::nullopt;
    auto name = file_name(prompt.substr(0, c));
    if (!name) return std::nullopt;
    std::size_t b = c + 12, e = b;
    while (e < prompt.size() && !is_space(prompt[e])) ++e;
    std::string content = prompt.substr(b, e - b);
    while (!content.empty() && std::string_view(".,;!?").find(content.back()) != std::string::npos)
        content.pop_back();
    if (content.empty()) return std::nullopt;
    return std::make_pair(*name, unquote(content));
}

std::string command_for(const std::string& prompt) {
    if (prompt.find('`') != std::string::npos) {
        if (auto q = quoted_span(prompt); q && prompt.find("`" + *q + "`") != std::string::npos)
            return *q;
    }
    if (auto fc = file_with_content(prompt)) return "echo " + fc->second + " > " + fc->first;
    return "ls";
}

std::optional<std::int64_t> first_number(const std::string& prompt) {
    for (std::size_t i = 0; i < prompt.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(prompt[i]))) continue;
        if (i > 0 && is_alnum(prompt[i - 1])) continue;
        std::int64_t n = 0;
        std::size_t e = i;
        while (e < prompt.size() && std::isdigit(static_cast<unsigned char>(prompt[e])) &&
               e - i < 15)
            n = n * 10 + (prompt[e++] - '0');
        return n;
    }
    return std::nullopt;
}

std::string string_value(const std::string& name, const std::string& prompt) {
    std::string n = lower(name);
    auto is = [&](std::initializer_list<const char*> names) {
        for (const char* x : names) {
            if (n == x) return true;
        }
        return false;
    };
    if (is({"cmd", "command", "script", "shell_command"})) return command_for(prompt);
    if (n.find("path") != std::string::npos || n.find("file") != std::string::npos)
        return file_name(prompt).value_or("README.md");
    if (is({"url", "uri"})) {
        std::size_t b = prompt.find("http");
        if (b != std::string::npos) {
            std::size_t e = b;
            while (e < prompt.size() && !is_space(prompt[e])) ++e;
            return prompt.substr(b, e - b);
        }
        return "https://example.com";
    }
    if (is({"query", "q", "prompt", "text", "input", "question", "message", "content", "pattern",
            "search"})) {
        return quoted_span(prompt).value_or(excerpt(first_line(prompt), 200));
    }
    if (auto q = quoted_span(prompt)) return *q;
    if (auto noun = proper_noun(prompt)) return *noun;
    return excerpt(first_line(prompt), 200);
}

std::string schema_type(const Json& schema) {
    const Json* t = schema.is_object() && schema.contains("type") ? &schema["type"] : nullptr;
    if (t && t->is_string()) return t->get<std::string>();
    if (t && t->is_array()) {
        for (const Json& x : *t) {
            if (x.is_string() && x != "null") return x.get<std::string>();
        }
    }
    return "string";
}

Json value_for(const std::string& name, const Json& schema, const std::string& prompt, int depth);

Json object_for(const Json& schema, const std::string& prompt, int depth) {
    Json out = Json::object();
    if (!schema.is_object() || depth > 4) return out;
    const Json* props = schema.contains("properties") && schema["properties"].is_object()
                            ? &schema["properties"]
                            : nullptr;
    std::vector<std::string> names;
    if (schema.contains("required") && schema["required"].is_array()) {
        for (const Json& r : schema["required"]) {
            if (r.is_string()) names.push_back(r.get<std::string>());
        }
    }
    if (names.empty() && props) {
        for (auto it = props->begin(); it != props->end(); ++it) {
            if (schema_type(*it) == "string") {
                names.push_back(it.key());
                break;
            }
        }
    }
    for (const std::string& n : names) {
        Json prop = props && props->contains(n) ? (*props)[n] : Json::object();
        out[n] = value_for(n, prop, prompt, depth + 1);
    }
    return out;
}

Json value_for(const std::string& name, const Json& schema, const std::string& prompt, int depth) {
    if (schema.is_object() && schema.contains("enum") && schema["enum"].is_array() &&
        !schema["enum"].empty()) {
        return schema["enum"][0];
    }
    std::string type = schema_type(schema);
    if (type == "integer" || type == "number") {
        if (auto n = first_number(prompt)) return *n;
        if (schema.contains("minimum") && schema["minimum"].is_number()) return schema["minimum"];
        return 1;
    }
    if (type == "boolean") return false;
    if (type == "array") return Json::array();
    if (type == "object") return object_for(schema, prompt, depth);
    return string_value(name, prompt);
}

std::string function_arguments(const Tool& tool, const std::string& prompt) {
    return object_for(tool.parameters.json(), prompt, 0)
        .dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Custom (freeform) tools get raw input: a patch for apply_patch-like tools (Codex grammar), a
// JavaScript call of tools.exec_command for Codex's `exec`, a command for other exec/shell tools,
// else a value from the prompt as for a string argument named like the tool.
std::string custom_input(const Tool& tool, const std::string& prompt) {
    std::string name = lower(tool.name);
    auto fc = file_with_content(prompt);
    if (name.find("patch") != std::string::npos) {
        std::string file = fc ? fc->first : file_name(prompt).value_or("hello.txt");
        std::string line = fc ? fc->second : "Hello from wirecheck";
        return "*** Begin Patch\n*** Add File: " + file + "\n+" + line + "\n*** End Patch\n";
    }
    if (lower(tool.description).find("javascript") != std::string::npos) {
        return "const r = await tools.exec_command({ cmd: " + Json(command_for(prompt)).dump() +
               " });\ntext(r);\n";
    }
    if (executes_commands(tool)) return command_for(prompt);
    return string_value(tool.name, prompt);
}

// ---- answers after tool results --------------------------------------------------------------
// "The <subject> for <argument> is <value>." The subject is the tool name without verbs and
// argument names (get_city_timezone {"city":"Beijing"} -> "timezone"); the argument is the call's
// first string argument (a custom call's short raw input); the value is the result text, or, when
// the result is a JSON object, its field named like the subject (else its first string field that
// is not an argument). A failed call says so; without an argument the result is quoted.

std::string tool_subject(const std::string& tool_name, const std::vector<std::string>& arg_words) {
    static const std::vector<std::string> verbs = {"get",   "fetch", "lookup", "look",   "up",
                                                   "find",  "read",  "query",  "search", "retrieve",
                                                   "check", "list",  "show"};
    std::string subject;
    for (const auto& w : words_of(tool_name)) {
        if (std::find(verbs.begin(), verbs.end(), w) != verbs.end()) continue;
        if (std::find(arg_words.begin(), arg_words.end(), w) != arg_words.end()) continue;
        subject += (subject.empty() ? "" : " ") + w;
    }
    return subject;
}

std::string result_value(const std::string& text, const std::string& subject,
                         const std::vector<std::string>& arg_values) {
    auto parsed = parse_json(text);
    if (!parsed.ok() || !parsed->is_object()) return text;
    std::string key;
    for (const auto& w : words_of(subject)) key += (key.empty() ? "" : "_") + w;
    for (auto it = parsed->begin(); it != parsed->end(); ++it) {
        if (it->is_string() && !key.empty() && lower(it.key()) == key)
            return it->get<std::string>();
    }
    for (auto it = parsed->begin(); it != parsed->end(); ++it) {
        if (!it->is_string()) continue;
        std::string v = it->get<std::string>();
        if (std::find(arg_values.begin(), arg_values.end(), v) == arg_values.end()) return v;
    }
    return text;
}

std::string sentence_for_result(const ToolResultPart& result,
                                const std::vector<const ToolCallPart*>& calls) {
    const ToolCallPart* call = nullptr;
    for (const ToolCallPart* c : calls) {
        if (c->id == result.call_id) call = c;
    }
    std::string text = result_text(result);
    std::string name = call ? call->name : "tool";
    auto finish = [](std::string t) {
        t = excerpt(t, 200);
        while (!t.empty() && t.back() == '.') t.pop_back();
        return t;
    };
    if (result.is_error) return "The " + name + " tool failed: " + finish(text) + ".";
    if (text.empty()) return "The " + name + " tool finished with no output.";
    std::vector<std::string> arg_words, arg_values;
    if (call && call->kind == ToolKind::Function) {
        auto args = parse_json(call->arguments);
        if (args.ok() && args->is_object()) {
            for (auto it = args->begin(); it != args->end(); ++it) {
                for (const auto& w : words_of(it.key())) arg_words.push_back(w);
                if (it->is_string()) arg_values.push_back(it->get<std::string>());
            }
        }
    } else if (call && !call->arguments.empty() && call->arguments.size() <= 40 &&
               call->arguments.find('\n') == std::string::npos) {
        arg_values.push_back(call->arguments);
    }
    if (!arg_values.empty()) {
        std::string subject = tool_subject(call->name, arg_words);
        if (subject.empty()) subject = "result";
        return "The " + subject + " for " + excerpt(arg_values.front(), 80) + " is " +
               finish(result_value(text, subject, arg_values)) + ".";
    }
    return "The " + name + " tool returned: " + finish(text) + ".";
}

// ---- composing the reply ---------------------------------------------------------------------

struct Decision {
    std::string text;            // the answer, when no tool is called
    const Tool* tool = nullptr;  // the tool to call
    std::string arguments;       // its arguments (JSON) or raw input (custom)
    std::string thought;         // what exposed reasoning says
};

Decision decide(const Request& request, const std::string& model_name) {
    Conversation conv = read_conversation(request);
    std::optional<std::string> exact = exact_answer(conv.prompt);
    Decision d;
    if (!conv.new_results.empty()) {
        if (exact) {
            d.text = *exact;
        } else {
            for (const ToolResultPart* r : conv.new_results) {
                d.text += (d.text.empty() ? "" : " ") + sentence_for_result(*r, conv.calls);
            }
        }
        d.thought = "The tool returned its result. I can answer the user now.";
        return d;
    }
    if (const Tool* tool = choose_tool(request, conv.prompt, exact.has_value())) {
        d.tool = tool;
        d.arguments = tool->type == ToolType::Custom ? custom_input(*tool, conv.prompt)
                                                     : function_arguments(*tool, conv.prompt);
        d.thought = "The " + tool->name + " tool can answer this. I will call it.";
        return d;
    }
    if (exact) {
        d.text = *exact;
        d.thought = "The user wants exactly \"" + excerpt(*exact, 60) +
                    "\". I will reply with that text and nothing else.";
        return d;
    }
    std::string said = excerpt(first_line(conv.prompt), 80);
    if (said.empty()) {
        d.text = "Hello! This is the simulated model " + model_name +
                 ". Ask \"Return exactly: TEXT\" to get TEXT back.";
    } else {
        d.text =
            "Simulated reply to \"" + said + "\". Ask \"Return exactly: TEXT\" to get TEXT back.";
    }
    d.thought = "The user wrote \"" + excerpt(said, 40) + "\". A short reply is enough.";
    return d;
}

bool reasoning_requested(const Request& request) {
    if (!request.reasoning) return false;
    const ReasoningConfig& r = *request.reasoning;
    return r.enabled.value_or(false) || r.budget_tokens ||
           (!r.effort.empty() && r.effort != "none");
}

std::int64_t reasoning_budget(const Request& request, const ModelBehaviour& model,
                              std::int64_t budget) {
    if (model.reasoning_tokens_per_call <= 0) return 0;
    if (request.reasoning) {
        if (request.reasoning->enabled == false || request.reasoning->effort == "none") return 0;
    }
    if (model.reasoning_when == ReasoningWhen::Requested && !reasoning_requested(request)) return 0;
    std::int64_t r = std::min(model.reasoning_tokens_per_call, budget);
    if (request.reasoning && request.reasoning->budget_tokens)
        r = std::min(r, std::max<std::int64_t>(*request.reasoning->budget_tokens, 0));
    return std::max<std::int64_t>(r, 0);
}

std::string join_prefix(const std::vector<std::string_view>& tokens, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n && i < tokens.size(); ++i) out.append(tokens[i]);
    return out;
}

std::string call_id(CallIdStyle style, std::size_t index, IdMint& ids) {
    switch (style) {
        case CallIdStyle::DeepSeek: {
            std::string idx = std::to_string(index % 100);
            return "call_" + std::string(idx.size() < 2 ? "0" : "") + idx + "_" + ids.hex(24);
        }
        case CallIdStyle::Anthropic:
            return "toolu_01" + ids.hex(22);
        case CallIdStyle::OpenAI:
            break;
    }
    return "call_" + ids.hex(24);
}

std::string response_id(Protocol protocol, IdMint& ids) {
    switch (protocol) {
        case Protocol::Chat:
            return "chatcmpl-" + ids.hex(24);
        case Protocol::Responses:
            return "resp_" + ids.hex(32);
        case Protocol::Messages:
            return "msg_01" + ids.hex(22);
    }
    return ids.hex(24);
}

ReasoningPart make_reasoning(const std::string& thought, std::int64_t tokens, Tokenizer tokenizer,
                             Protocol protocol, IdMint& ids) {
    ReasoningPart r;
    r.origin = protocol;
    auto pieces = tokenize(thought, tokenizer);
    std::string text = join_prefix(pieces, static_cast<std::size_t>(tokens));
    if (protocol == Protocol::Responses) {
        r.summary.push_back(text);  // OpenAI shows reasoning as summaries
    } else {
        r.text = text;
    }
    if (protocol == Protocol::Messages) r.signature = "sim-sig-" + ids.hex(40);
    return r;
}

}  // namespace

Response compose_reply(const Request& request, const ModelBehaviour& model, Protocol protocol,
                       IdMint& ids) {
    Response out;
    out.id = response_id(protocol, ids);
    out.model = request.model;
    out.created = kCreated;

    Decision d = decide(request, request.model.empty() ? "model" : request.model);
    std::int64_t budget =
        std::max<std::int64_t>(request.max_output_tokens.value_or(model.default_max_tokens), 0);
    std::int64_t reasoning = reasoning_budget(request, model, budget);
    std::int64_t remaining = budget - reasoning;
    std::int64_t visible = 0;

    if (reasoning > 0 && model.expose_reasoning) {
        out.output.push_back(make_reasoning(d.thought, reasoning, model.tokenizer, protocol, ids));
    }
    if (d.tool) {
        std::int64_t needed = count_tokens(d.tool->name, model.tokenizer) +
                              count_tokens(d.arguments, model.tokenizer);
        if (needed <= remaining) {
            ToolCallPart call;
            call.id = call_id(model.call_ids, 0, ids);
            call.name = d.tool->name;
            call.name_space = d.tool->name_space;
            call.arguments = d.arguments;
            call.kind = d.tool->type == ToolType::Custom ? ToolKind::Custom : ToolKind::Function;
            out.output.push_back(std::move(call));
            out.stop_reason = StopReason::ToolUse;
            visible = needed;
        } else {
            out.stop_reason = StopReason::MaxTokens;  // ran out in the middle of the call
            visible = remaining;
        }
    } else {
        std::string text = d.text;
        for (const std::string& stop : request.stop) {
            std::size_t at = stop.empty() ? std::string::npos : text.find(stop);
            if (at != std::string::npos) {
                text.resize(at);
                out.stop_reason = StopReason::StopSequence;
                out.stop_sequence = stop;
            }
        }
        auto tokens = tokenize(text, model.tokenizer);
        if (static_cast<std::int64_t>(tokens.size()) > remaining) {
            text = join_prefix(tokens, static_cast<std::size_t>(remaining));
            out.stop_reason = StopReason::MaxTokens;
            out.stop_sequence.clear();
            visible = remaining;
        } else {
            visible = static_cast<std::int64_t>(tokens.size());
        }
        if (!text.empty()) out.output.push_back(TextPart{text, nullptr});
    }

    Usage usage;
    usage.input = count_request_tokens(request, model.tokenizer);
    usage.reasoning = reasoning;
    usage.output = reasoning + visible;
    out.usage = usage;
    return out;
}

}  // namespace sim
}  // namespace wirecheck
