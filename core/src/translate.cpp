// Translation = decode(A) -> canonical -> encode(B) for bodies and SSE streams (translate.hpp).
// The stream path is SseParser -> StreamDecoder -> (cut parts kept open, client tool calls
// restored when the client's tools are known) -> StreamEncoder; every failure still ends the
// target stream with its error event.
#include "wirecheck/translate.hpp"

#include <algorithm>
#include <utility>

namespace wirecheck {

// ---- bodies ------------------------------------------------------------------------------------

Result<Translation> translate_request(Protocol from, Protocol to, std::string_view body,
                                      const TranslateOptions& options) {
    Translation out;
    auto request = decode_request(from, body, options.json, out.losses);
    if (!request.ok()) return request.error();
    out.output = encode_request(to, std::move(request.value()), out.losses, options.encode);
    return out;
}

Result<Translation> translate_response(Protocol from, Protocol to, std::string_view body,
                                       const TranslateOptions& options) {
    auto json = parse_json(body, options.json);
    if (!json.ok()) return json.error();
    Translation out;
    auto response = decode_response(from, std::move(json.value()), out.losses);
    if (!response.ok()) return response.error();
    if (options.request_tools) {
        restore_client_tool_calls(response.value(), ClientTools(*options.request_tools, from),
                                  out.losses);
    }
    Json encoded = encode_response(to, response.value(), out.losses);
    ReleaseJsonOnExit release{encoded};
    out.output = dump_json(encoded);
    return out;
}

Result<ClientRequestTranslation> translate_client_request(Protocol client, Protocol upstream,
                                                          std::string_view body,
                                                          const TranslateOptions& options) {
    ClientRequestTranslation out;
    auto request = decode_request(client, body, options.json, out.upstream_request.losses);
    if (!request.ok()) return request.error();
    Request& canonical = request.value();
    out.reply_options = options;
    out.reply_options.request_tools = tool_identities(canonical.tools);
    out.stream = canonical.stream;
    if (options.upstream_model) canonical.model = options.upstream_model(canonical.model);
    out.upstream_request.output = encode_request(upstream, std::move(canonical),
                                                 out.upstream_request.losses, options.encode);
    return out;
}

std::optional<Protocol> protocol_from_name(std::string_view name) {
    for (Protocol p : {Protocol::Chat, Protocol::Responses, Protocol::Messages}) {
        if (protocol_name(p) == name) return p;
    }
    return std::nullopt;
}

// ---- streams -----------------------------------------------------------------------------------

namespace {

// Decoders close the parts a failure cut short (PartEnd, then Error) in the events of the one
// source event that failed. Passed on, those PartEnds would make encoders announce cut items as
// complete: a Responses output_item.done that Codex executes, a Messages content_block_stop whose
// half JSON Claude Code parses (peers.md §2.18/2.19). So PartEnds that precede an Error in the
// same batch are dropped: the part stays open and the target's error event says why. Batches are
// per source event, so the result never depends on chunking.
void keep_cut_parts_open(std::vector<StreamEvent>& events) {
    auto error = std::find_if(events.begin(), events.end(), [](const StreamEvent& e) {
        return e.kind == StreamEvent::Kind::Error;
    });
    if (error == events.end()) return;
    auto end = std::remove_if(events.begin(), error, [](const StreamEvent& e) {
        return e.kind == StreamEvent::Kind::PartEnd;
    });
    events.erase(end, error);
}

}  // namespace

StreamTranslator::StreamTranslator(Protocol from, Protocol to, TranslateOptions options)
    : parser_(options.sse),
      decoder_(make_stream_decoder(from)),
      encoder_(make_stream_encoder(to, options.stream)) {
    if (options.request_tools) {
        restorer_.emplace(ClientTools(*options.request_tools, from));
    }
}

void StreamTranslator::encode(std::vector<StreamEvent>& events, std::string& out) {
    keep_cut_parts_open(events);
    if (restorer_) {
        std::vector<StreamEvent> restored;
        for (const StreamEvent& e : events) restorer_->feed(e, restored, losses_);
        events.swap(restored);
    }
    for (const StreamEvent& e : events) encoder_->encode(e, out, losses_);
    events.clear();
}

// Decodes SSE events, encoding what each yields before looking at the next (one batch per source
// event), so a hard error still leaves everything before it on the wire.
Status StreamTranslator::decode(const std::vector<SseEvent>& events, std::string& out) {
    std::vector<StreamEvent> canonical;
    for (const SseEvent& event : events) {
        Status status = decoder_->feed(event, canonical, losses_);
        encode(canonical, out);
        if (status.ok()) continue;
        Error error = status.error();
        if (event.unterminated) {
            // The last event had no blank line and does not decode: the stream was cut inside it.
            error = make_error(Code::SseUnterminatedEvent, error.pointer,
                               "the stream ended inside an event: " + error.message);
        }
        return error;
    }
    return {};
}

// A hard error: the target still gets its protocol's error event (never a silent end), and the
// translator stays failed.
Status StreamTranslator::fail(Error error, std::string& out) {
    add_loss(losses_, Code::LossStreamTruncated, Severity::Error, error.pointer,
             "the source stream failed (" + error.to_string() + "); an error event was sent");
    StreamEvent event;
    event.kind = StreamEvent::Kind::Error;
    event.error = ApiError{"api_error", std::string(code_name(error.code)), error.to_string()};
    encoder_->encode(event, out, losses_);
    encoder_->finish(out, losses_);
    failed_ = std::move(error);
    return *failed_;
}

Status StreamTranslator::feed(std::string_view bytes, std::string& out) {
    if (failed_) return *failed_;
    if (finished_) return make_error(Code::Internal, "", "feed() after finish()");
    if (!decoder_ || !encoder_) return fail(make_error(Code::Internal, "", "bad protocol"), out);
    std::vector<SseEvent> events;
    Status parsed = parser_.feed(bytes, events);
    Status decoded = decode(events, out);  // events completed before a parser error still count
    if (!decoded.ok()) return fail(decoded.error(), out);
    if (!parsed.ok()) return fail(parsed.error(), out);
    return {};
}

Status StreamTranslator::finish(std::string& out) {
    if (failed_) return *failed_;
    if (finished_) return {};
    if (!decoder_ || !encoder_) return fail(make_error(Code::Internal, "", "bad protocol"), out);
    finished_ = true;
    std::vector<SseEvent> events;
    Status parsed = parser_.finish(events);
    Status decoded = decode(events, out);
    if (!decoded.ok()) return fail(decoded.error(), out);
    if (!parsed.ok()) return fail(parsed.error(), out);
    std::vector<StreamEvent> canonical;
    Status ended = decoder_->finish(canonical, losses_);
    encode(canonical, out);
    if (!ended.ok()) return fail(ended.error(), out);
    encoder_->finish(out, losses_);
    return {};
}

}  // namespace wirecheck
