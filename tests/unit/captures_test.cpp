// Real client traffic (shared/fixtures/captures) through the translate API: every captured request
// decodes and translates to the other two protocols; the result decodes again with the target
// codec and keeps the target's structural rules; A -> B -> A keeps everything the same-protocol
// pass A -> A keeps, except what a recorded loss explains. The captured reply streams translate
// to the other two grammars and say the same thing there.
//
// Sections: loading · target protocol rules · round-trip fingerprints · tests
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <initializer_list>
#include <regex>
#include <set>

#include "test_util.hpp"

namespace wirecheck {
namespace {

namespace fs = std::filesystem;

// ---- loading ------------------------------------------------------------------------------------

struct Capture {
    std::string name;
    Protocol protocol = Protocol::Chat;
    std::string body;         // the request body as sent
    std::string reply_text;   // response.body_text (SSE when the client streamed)
};

std::vector<Capture> load_captures() {
    std::vector<Capture> out;
    std::error_code ec;
    for (const auto& entry :
         fs::directory_iterator(test::shared_path("fixtures/captures"), ec)) {
        if (entry.path().extension() != ".json") continue;
        Json file = test::parse_or_fail(test::read_file(entry.path().string()));
        std::string url = file.value("url", "");
        Capture c;
        c.name = entry.path().filename().string();
        c.protocol = url.find("/messages") != std::string::npos    ? Protocol::Messages
                     : url.find("/responses") != std::string::npos ? Protocol::Responses
                                                                   : Protocol::Chat;
        c.body = file["body_json"].dump();
        if (file["response"].is_object()) c.reply_text = file["response"].value("body_text", "");
        out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(),
              [](const Capture& a, const Capture& b) { return a.name < b.name; });
    return out;
}

std::vector<Protocol> others(Protocol p) {
    std::vector<Protocol> out;
    for (Protocol q : {Protocol::Chat, Protocol::Responses, Protocol::Messages}) {
        if (q != p) out.push_back(q);
    }
    return out;
}

// ---- target protocol rules ---------------------------------------------------------------------
// Each checker returns the rules the body breaks, one line each (empty when well-formed).

const std::regex kToolName("^[a-zA-Z0-9_-]{1,64}$");
const std::regex kToolId("^[a-zA-Z0-9_-]+$");

std::string str(const Json& obj, const char* key) {
    if (!obj.is_object() || !obj.contains(key) || !obj[key].is_string()) return "";
    return obj[key].get<std::string>();
}

// Messages (protocols.md §4, peers.md §2.1/2.3/2.10/2.11): max_tokens, user first, alternation,
// tool_results opening the message right after their tool_use, no empty text, valid names/ids.
std::vector<std::string> messages_rule_breaks(const Json& body) {
    std::vector<std::string> out;
    if (!body.contains("max_tokens") || !body["max_tokens"].is_number_integer())
        out.push_back("max_tokens missing");
    for (const Json& tool : body.value("tools", Json::array())) {
        if (!std::regex_match(str(tool, "name"), kToolName))
            out.push_back("tool name '" + str(tool, "name") + "'");
    }
    for (const Json& block : body.value("system", Json::array())) {
        if (str(block, "type") == "text" && str(block, "text").empty())
            out.push_back("empty system text block");
    }
    const Json& messages = body["messages"];
    std::set<std::string> open_calls;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const Json& m = messages[i];
        std::string at = "/messages/" + std::to_string(i);
        std::string want = i % 2 == 0 ? "user" : "assistant";
        if (str(m, "role") != want) out.push_back(at + " role is not " + want);
        const Json& content = m["content"];
        if (content.is_string()) {
            if (content.get<std::string>().empty()) out.push_back(at + " empty string content");
            if (!open_calls.empty()) out.push_back(at + " tool_use not answered");
            open_calls.clear();
            continue;
        }
        bool results_phase = true;
        std::set<std::string> calls;
        for (std::size_t j = 0; j < content.size(); ++j) {
            const Json& b = content[j];
            std::string type = str(b, "type");
            std::string bat = at + "/content/" + std::to_string(j);
            if (type == "text" && str(b, "text").empty()) out.push_back(bat + " empty text block");
            if (type == "tool_use") {
                if (!std::regex_match(str(b, "name"), kToolName))
                    out.push_back(bat + " tool name '" + str(b, "name") + "'");
                if (!std::regex_match(str(b, "id"), kToolId))
                    out.push_back(bat + " tool id '" + str(b, "id") + "'");
                calls.insert(str(b, "id"));
            }
            if (type == "tool_result") {
                if (!results_phase) out.push_back(bat + " tool_result after other content");
                if (!open_calls.erase(str(b, "tool_use_id")))
                    out.push_back(bat + " tool_result answers no tool_use of the previous message");
                for (const Json& inner : b.value("content", Json::array())) {
                    if (str(inner, "type") == "text" && str(inner, "text").empty())
                        out.push_back(bat + " empty text block in tool_result");
                }
            } else {
                results_phase = false;
            }
        }
        if (!open_calls.empty()) out.push_back(at + " does not answer every tool_use");
        open_calls = calls;
    }
    if (!open_calls.empty() && messages.size() > 0 && str(messages.back(), "role") == "user")
        out.push_back("unanswered tool_use");
    return out;
}

// Messages with thinking on (peers.md §2.12, anthropics/claude-code#51985): the last assistant
// message, when it continues a tool loop, must start with a thinking or redacted_thinking block,
// or Anthropic answers 400.
std::vector<std::string> thinking_rule_breaks(const Json& body) {
    if (!body.contains("thinking") || str(body["thinking"], "type") == "disabled") return {};
    const Json& messages = body["messages"];
    for (std::size_t i = messages.size(); i-- > 0;) {
        if (str(messages[i], "role") != "assistant") continue;
        const Json& content = messages[i]["content"];
        if (!content.is_array()) return {};
        bool tool_loop = std::any_of(content.begin(), content.end(),
                                     [](const Json& b) { return str(b, "type") == "tool_use"; });
        std::string first = content.empty() ? "" : str(content[0], "type");
        if (tool_loop && first != "thinking" && first != "redacted_thinking") {
            return {"/messages/" + std::to_string(i) + " continues a tool loop with thinking on " +
                    "but starts with '" + first + "'"};
        }
        return {};
    }
    return {};
}

// Chat (protocols.md §1): every tool_call answered by tool messages right after its assistant
// message; tool messages answer only those calls; tool names valid.
std::vector<std::string> chat_rule_breaks(const Json& body) {
    std::vector<std::string> out;
    for (const Json& tool : body.value("tools", Json::array())) {
        std::string name = str(tool["function"], "name");
        if (!std::regex_match(name, kToolName)) out.push_back("tool name '" + name + "'");
    }
    std::set<std::string> pending;
    const Json& messages = body["messages"];
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const Json& m = messages[i];
        std::string at = "/messages/" + std::to_string(i);
        std::string role = str(m, "role");
        if (role == "tool") {
            if (!pending.erase(str(m, "tool_call_id")))
                out.push_back(at + " answers no pending tool call");
            continue;
        }
        if (!pending.empty()) out.push_back(at + " comes before every tool call was answered");
        pending.clear();
        if (role == "assistant") {
            for (const Json& call : m.value("tool_calls", Json::array())) {
                pending.insert(str(call, "id"));
            }
        }
    }
    return out;
}

// Responses (protocols.md §2): every item typed; calls have call_id and name; outputs answer an
// earlier call.
std::vector<std::string> responses_rule_breaks(const Json& body) {
    std::vector<std::string> out;
    std::set<std::string> calls;
    const Json& input = body["input"];
    for (std::size_t i = 0; i < input.size(); ++i) {
        const Json& item = input[i];
        std::string at = "/input/" + std::to_string(i);
        std::string type = str(item, "type");
        if (type.empty()) out.push_back(at + " has no type");
        if (type == "function_call" || type == "custom_tool_call") {
            if (str(item, "call_id").empty()) out.push_back(at + " has no call_id");
            if (str(item, "name").empty()) out.push_back(at + " has no name");
            calls.insert(str(item, "call_id"));
        }
        if ((type == "function_call_output" || type == "custom_tool_call_output") &&
            !calls.count(str(item, "call_id"))) {
            out.push_back(at + " answers no earlier call");
        }
    }
    return out;
}

std::vector<std::string> rule_breaks(Protocol p, const Json& body) {
    switch (p) {
        case Protocol::Chat: return chat_rule_breaks(body);
        case Protocol::Responses: return responses_rule_breaks(body);
        case Protocol::Messages: return messages_rule_breaks(body);
    }
    return {};
}

// ---- round-trip fingerprints -------------------------------------------------------------------
// A canonical request as lines that must survive a round trip. A normalisation applies only when
// the loss that explains it was recorded on the way (e.g. namespaces are compared flattened only
// if loss.namespace_flattened was reported), so an unreported change always shows up.

// The losses recorded on the way: "was <code> recorded?", optionally "...at a pointer that names
// <field>?" (the pointer may be into the source or the canonical model, both name the field).
class Codes {
  public:
    Codes() = default;
    Codes(std::initializer_list<Code> codes) {
        for (Code c : codes) losses_.push_back(Loss{c, Severity::Info, "", ""});
    }
    void add(const Losses& losses) { losses_.insert(losses_.end(), losses.begin(), losses.end()); }
    std::size_t count(Code code) const { return at(code, ""); }
    bool at(Code code, std::string_view field) const {
        return std::any_of(losses_.begin(), losses_.end(), [&](const Loss& l) {
            return l.code == code && l.pointer.find(field) != std::string::npos;
        });
    }

  private:
    Losses losses_;
};

std::string collapse(const std::string& text) {
    std::string out;
    bool space = false;
    for (char ch : text) {
        if (std::isspace(static_cast<unsigned char>(ch))) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += ch;
    }
    return out;
}

std::string normal_json(const std::string& text) {
    auto parsed = parse_json(text);
    return parsed.ok() ? parsed->dump() : text;
}

bool custom_input_schema(const Json& schema) {
    static const Json input_schema = test::parse_or_fail(
        R"({"type":"object","properties":{"input":{"type":"string"}},"required":["input"]})");
    return schema == input_schema;
}

std::string tool_name(const std::string& ns, const std::string& name, const Codes& codes) {
    if (codes.count(Code::LossNamespaceFlattened)) return flat_tool_name(ns, name);
    return ns.empty() ? name : ns + "/" + name;
}

void fingerprint_tools(const Request& r, const Codes& codes, std::vector<std::string>& out) {
    for (const Tool& t : r.tools) {
        if (t.type == ToolType::Hosted) {
            if (!codes.count(Code::LossToolDropped)) out.push_back("hosted " + t.hosted.dump());
            continue;
        }
        bool as_function = codes.count(Code::LossCustomToolAsFunction) &&
                           (t.type == ToolType::Custom || custom_input_schema(t.parameters.json()));
        std::string line = "tool " + tool_name(t.name_space, t.name, codes);
        if (as_function) {
            line += " custom-or-input-function";  // the grammar may have moved to the description
        } else {
            line += (t.type == ToolType::Custom ? " custom " + t.format.dump()
                                                : " function " + t.parameters.text()) +
                    " strict=" + std::to_string(t.strict.value_or(false)) + " " +
                    collapse(t.description);
        }
        out.push_back(line);
    }
}

std::string call_line(const ToolCallPart& c, const Codes& codes) {
    std::string args = c.kind == ToolKind::Custom ? c.arguments : normal_json(c.arguments);
    bool custom = c.kind == ToolKind::Custom;
    if (codes.count(Code::LossCustomToolAsFunction) && !custom) {
        auto parsed = parse_json(c.arguments);
        if (parsed.ok() && parsed->is_object() && parsed->size() == 1 &&
            parsed->contains("input") && (*parsed)["input"].is_string()) {
            args = (*parsed)["input"].get<std::string>();
            custom = true;
        }
    }
    std::string id = codes.count(Code::LossIdRewritten) ? "*" : c.id;
    return "call " + id + " " + tool_name(c.name_space, c.name, codes) +
           (custom ? " input=" : " args=") + args;
}

// Reasoning text, or its summaries when it has none (Chat carries summaries as reasoning_content).
std::string reasoning_text(const ReasoningPart& p) {
    std::string text = p.text;
    if (text.empty()) {
        for (const auto& s : p.summary) text += s + " ";
    }
    return collapse(text);
}

std::string reasoning_line(const ReasoningPart& p, const Codes& codes) {
    std::string text = reasoning_text(p);
    std::string line = "reasoning " + collapse(text);
    if (!codes.count(Code::LossForeignSignature)) {
        line += " sig=" + p.signature + " enc=" + p.encrypted_content + " red=" + p.redacted_data;
    } else if (collapse(text).empty()) {
        return "";  // opaque-only reasoning that could not cross
    }
    return line;
}

// One role run (consecutive turns of one wire role): results, calls, reasoning, text, images.
struct Run {
    std::string role;
    std::vector<std::string> results, calls, reasoning, images;
    std::string text;

    void flush(std::vector<std::string>& out) {
        if (role.empty()) return;
        for (auto* list : {&results, &calls, &reasoning}) {
            for (auto& line : *list) out.push_back(role + " " + line);
        }
        if (!collapse(text).empty()) out.push_back(role + " text " + collapse(text));
        for (auto& line : images) out.push_back(role + " " + line);
        *this = Run{};
    }
};

std::string image_line(const ImagePart& i) {
    return "image " + (i.url.empty() ? i.media_type + " " + i.data_base64 : i.url);
}

void fingerprint_result(const ToolResultPart& r, const Codes& codes, Run& run) {
    std::string text;
    for (const auto& c : r.content) {
        if (const auto* t = std::get_if<TextPart>(&c.value)) {
            text += t->text + " ";
        } else if (codes.count(Code::LossImageMoved)) {
            run.images.push_back(image_line(std::get<ImagePart>(c.value)));
        } else {
            text += image_line(std::get<ImagePart>(c.value)) + " ";
        }
    }
    bool error = r.is_error;
    if (error && codes.count(Code::LossIsErrorAsText)) {
        text = "Error: " + text;
        error = false;
    }
    std::string id = codes.count(Code::LossIdRewritten) ? "*" : r.call_id;
    run.results.push_back("result " + id + (error ? " error " : " ") + collapse(text));
}

void fingerprint_turns(const Request& r, const Codes& codes, std::vector<std::string>& out) {
    std::string system;
    std::vector<std::string> runs;
    Run run;
    for (const Turn& turn : r.turns) {
        if (turn.role == Role::System || turn.role == Role::Developer) {
            bool as_system = turn.role == Role::System || codes.count(Code::LossValueMapped);
            for (const Part& p : turn.parts) {
                if (const auto* t = std::get_if<TextPart>(&p))
                    system += (as_system ? "" : "[developer] ") + t->text + " ";
            }
            continue;
        }
        std::string role = turn.role == Role::Assistant ? "assistant" : "user";
        if (run.role != role) run.flush(runs);
        run.role = role;
        for (const Part& p : turn.parts) {
            if (const auto* t = std::get_if<TextPart>(&p)) run.text += t->text + " ";
            if (const auto* i = std::get_if<ImagePart>(&p)) run.images.push_back(image_line(*i));
            if (const auto* c = std::get_if<ToolCallPart>(&p))
                run.calls.push_back(call_line(*c, codes));
            if (const auto* res = std::get_if<ToolResultPart>(&p))
                fingerprint_result(*res, codes, run);
            if (const auto* rf = std::get_if<RefusalPart>(&p)) run.text += rf->text + " ";
            if (const auto* rs = std::get_if<ReasoningPart>(&p)) {
                if (codes.count(Code::LossReasoningDropped)) continue;
                std::string line = reasoning_line(*rs, codes);
                if (!line.empty()) run.reasoning.push_back(line);
            }
        }
    }
    run.flush(runs);
    out.push_back("system " + collapse(system));
    out.insert(out.end(), runs.begin(), runs.end());
}

// Options, each left out of the comparison only when a loss about that very field was recorded.
void fingerprint_options(const Request& r, const Codes& codes, std::vector<std::string>& out) {
    auto opt = [&](const std::string& line, std::initializer_list<const char*> fields) {
        for (const char* field : fields) {
            for (Code c : {Code::LossFieldDropped, Code::LossValueMapped, Code::LossDefaultApplied,
                           Code::LossUnknownField}) {
                if (codes.at(c, field)) return;
            }
        }
        out.push_back(line);
    };
    auto num = [](auto v) { return v ? std::to_string(*v) : std::string("unset"); };
    opt("max_output_tokens " + num(r.max_output_tokens), {"max_output_tokens", "max_tokens"});
    opt("temperature " + num(r.temperature), {"temperature"});
    opt("top_p " + num(r.top_p), {"top_p"});
    opt("top_k " + num(r.top_k), {"top_k"});
    opt("stop " + Json(r.stop).dump(), {"stop"});
    opt("stream " + std::to_string(r.stream), {});
    std::string choice = r.tool_choice ? std::to_string(int(r.tool_choice->mode)) + " " +
                                             r.tool_choice->name
                                       : "unset";
    opt("tool_choice " + choice, {"tool_choice"});
    opt("parallel_tool_calls " + num(r.parallel_tool_calls), {"parallel_tool_calls"});
    opt("response_format " + r.response_format.dump(), {"response_format", "/text", "format"});
    if (r.reasoning) {
        opt("reasoning effort " + r.reasoning->effort, {"reasoning", "thinking", "effort"});
        opt("reasoning budget " + num(r.reasoning->budget_tokens) + " enabled " +
                num(r.reasoning->enabled),
            {"reasoning", "thinking", "budget"});
        opt("reasoning summary " + r.reasoning->summary, {"summary", "reasoning"});
    } else {
        opt("reasoning unset", {"reasoning", "thinking"});
    }
    opt("metadata " + r.metadata.dump(), {"metadata"});
    opt("user " + r.user, {"user", "metadata"});
}

std::string fingerprint(const Request& r, const Codes& codes) {
    std::vector<std::string> lines{"model " + r.model};
    fingerprint_tools(r, codes, lines);
    fingerprint_turns(r, codes, lines);
    fingerprint_options(r, codes, lines);
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

Request decode_ok(Protocol p, const Json& body) {
    Losses ignored;
    auto r = decode_request(p, body, ignored);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? r.value() : Request{};
}

Json translate_ok(Protocol from, Protocol to, const std::string& body, Codes* codes = nullptr) {
    auto r = test::no_throw("translate_request",
                            [&] { return translate_request(from, to, body); });
    EXPECT_TRUE(r.ok()) << protocol_name(from) << " -> " << protocol_name(to) << ": "
                        << r.error().to_string();
    if (!r.ok()) return Json();
    if (codes) {
        codes->add(r->losses);
    }
    return test::parse_or_fail(r->output);
}

// ---- tests -------------------------------------------------------------------------------------

TEST(Captures, AreAllFound) {
    auto captures = load_captures();
    EXPECT_GE(captures.size(), 10u);
}

TEST(Captures, EveryRequestTranslatesToTheOtherTwoAndKeepsTheirRules) {
    for (const Capture& c : load_captures()) {
        for (Protocol to : others(c.protocol)) {
            SCOPED_TRACE(c.name + " -> " + std::string(protocol_name(to)));
            Json out = translate_ok(c.protocol, to, c.body);
            ASSERT_FALSE(out.is_null());
            Losses losses;
            auto decoded = decode_request(to, out, losses);
            EXPECT_TRUE(decoded.ok()) << "the output does not decode as " << protocol_name(to)
                                      << ": " << decoded.error().to_string();
            std::string breaks;
            for (const auto& b : rule_breaks(to, out)) breaks += b + "\n";
            EXPECT_EQ(breaks, "") << out.dump(1).substr(0, 3000);
        }
    }
}

// Known Messages request-encoder bug, kept here so it is fixed rather than forgotten: a Codex
// request with reasoning on becomes Messages with thinking enabled, while the tool turn's foreign
// reasoning was dropped, so the last assistant message starts with tool_use -> HTTP 400. Enable
// once the encoder leaves thinking off (with a loss) in that case.
TEST(Captures, MessagesWithThinkingStartTheLastToolTurnWithThinking) {
    for (const Capture& c : load_captures()) {
        if (c.protocol == Protocol::Messages) continue;
        SCOPED_TRACE(c.name);
        Json out = translate_ok(c.protocol, Protocol::Messages, c.body);
        std::string breaks;
        for (const auto& b : thinking_rule_breaks(out)) breaks += b + "\n";
        EXPECT_EQ(breaks, "");
    }
}

TEST(Captures, RoundTripKeepsWhatNoLossExplains) {
    for (const Capture& c : load_captures()) {
        Json same = translate_ok(c.protocol, c.protocol, c.body);
        for (Protocol via : others(c.protocol)) {
            SCOPED_TRACE(c.name + " -> " + std::string(protocol_name(via)) + " -> back");
            Codes codes;
            Json there = translate_ok(c.protocol, via, c.body, &codes);
            Json back = translate_ok(via, c.protocol, there.dump(), &codes);
            EXPECT_EQ(fingerprint(decode_ok(c.protocol, same), codes),
                      fingerprint(decode_ok(c.protocol, back), codes));
        }
    }
}

// What a canonical stream says, in lines: text, tool calls, reasoning text, how it ended.
std::string stream_story(Protocol p, const std::string& sse) {
    SseParser parser;
    std::vector<SseEvent> events;
    EXPECT_TRUE(parser.feed(sse, events).ok());
    EXPECT_TRUE(parser.finish(events).ok());
    auto decoder = make_stream_decoder(p);
    std::vector<StreamEvent> canonical;
    Losses losses;
    for (const auto& e : events) EXPECT_TRUE(decoder->feed(e, canonical, losses).ok());
    EXPECT_TRUE(decoder->finish(canonical, losses).ok());
    std::string story, text;
    for (const StreamEvent& e : canonical) {
        if (e.kind == StreamEvent::Kind::TextDelta) text += e.text;
        if (e.kind != StreamEvent::Kind::PartEnd && e.kind != StreamEvent::Kind::Finish &&
            e.kind != StreamEvent::Kind::Error)
            continue;
        if (!text.empty()) story += "text " + text + "\n";
        text.clear();
        if (e.kind == StreamEvent::Kind::PartEnd && e.part_type == PartType::ToolCall) {
            story += call_line(e.tool_call, {Code::LossCustomToolAsFunction}) + "\n";
        } else if (e.kind == StreamEvent::Kind::PartEnd && e.part_type == PartType::Reasoning) {
            story += "reasoning " + reasoning_text(e.reasoning) + "\n";
        } else if (e.kind == StreamEvent::Kind::Finish) {
            bool ok = e.stop_reason == StopReason::EndTurn || e.stop_reason == StopReason::ToolUse;
            story += std::string("finish ") + (ok ? "ok" : stop_reason_name(e.stop_reason).data());
            story += e.usage ? " usage " + std::to_string(e.usage->input) + "/" +
                                   std::to_string(e.usage->output)
                             : " no usage";
            story += "\n";
        } else if (e.kind == StreamEvent::Kind::Error) {
            story += "error\n";
        }
    }
    return story;
}

TEST(Captures, ReplyStreamsTranslateToTheOtherTwoGrammars) {
    for (const Capture& c : load_captures()) {
        if (c.reply_text.find("data:") == std::string::npos) continue;
        std::string source_story = stream_story(c.protocol, c.reply_text);
        ASSERT_NE(source_story.find("finish ok"), std::string::npos) << c.name << source_story;
        for (Protocol to : others(c.protocol)) {
            SCOPED_TRACE(c.name + " -> " + std::string(protocol_name(to)));
            test::StreamRun run = test::translate_stream_pieces(c.protocol, to, {c.reply_text});
            ASSERT_FALSE(run.error) << run.error->to_string();
            EXPECT_EQ(stream_story(to, run.output), source_story) << run.output;
        }
    }
}

}  // namespace
}  // namespace wirecheck
